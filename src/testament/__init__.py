"""testament: documenting persecution that outsiders cannot see.

The public API is deliberately small; most names live in the subpackages named after what they do
(``core``, ``store``, ``corroborate``, ``link``, ``estimate``, ``intake``, ``desk``).
"""

from testament.core.errors import TestamentError

__version__ = "0.1.0"

__all__ = ["TestamentError", "__version__"]
