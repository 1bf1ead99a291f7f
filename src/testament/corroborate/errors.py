"""Errors of corroboration.

TestamentError
└── CorroborationError          root of this package's errors
    └── DerivationCycleError    derived_from loops back on itself
"""

from __future__ import annotations

from testament.core.errors import TestamentError


class CorroborationError(TestamentError):
    """Root of corroboration errors."""


class DerivationCycleError(CorroborationError):
    """``derived_from`` loops back on itself, so 'who repeats whom' has no answer."""
