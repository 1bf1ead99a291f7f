"""The ``testament`` command line: a thin shell over the library.

Each command module attaches its commands to ``app`` when imported. Heavy libraries (Splink,
Spark, statsmodels, the web stack) are imported inside the command functions, so that
``testament --help`` stays fast.
"""

from __future__ import annotations

import sys

# Command modules register themselves on import; keep one line per module, sorted.
from testament.cli import browse as _browse  # noqa: F401
from testament.cli import casebook as _casebook  # noqa: F401
from testament.cli import corroboration as _corroboration  # noqa: F401
from testament.cli import desk as _desk  # noqa: F401
from testament.cli import desk_web as _desk_web  # noqa: F401
from testament.cli import estimate as _estimate  # noqa: F401
from testament.cli import intake as _intake  # noqa: F401
from testament.cli import link as _link  # noqa: F401
from testament.cli import link_casebook as _link_casebook  # noqa: F401
from testament.cli import report as _report  # noqa: F401
from testament.cli import synth as _synth  # noqa: F401
from testament.cli.app import app, run


def main() -> None:
    """Entry point of the ``testament`` script."""
    sys.exit(run())


__all__ = ["app", "main", "run"]
