"""Errors of multiple systems estimation.

Every error here descends from ``EstimateError``, itself a ``TestamentError``, so the CLI reports
them as user errors (exit 1, no traceback). Bad tables are also ``InputError``s: they list every
problem found with the file and line.

    TestamentError
    └── EstimateError                    root of testament.estimate's errors
        ├── CaptureTableError            a capture table that cannot be used (also an InputError)
        │   └── TooFewListsError         fewer lists than the method needs
        ├── NotEstimableError            the model has no finite, identifiable estimate of N
        └── ChainsNotMixedError          LCMCR chains disagree (R-hat too high): no summary given
"""

from __future__ import annotations

from collections.abc import Sequence

from testament.core.errors import InputError, Problem, TestamentError


class EstimateError(TestamentError):
    """Root of every error raised by ``testament.estimate``."""


class CaptureTableError(EstimateError, InputError):
    """A capture table that cannot be used; lists each problem with its file and line."""

    def __init__(
        self, summary: str, problems: Sequence[Problem] = (), *, truncated: bool = False
    ) -> None:
        InputError.__init__(self, summary, problems, truncated=truncated)


class TooFewListsError(CaptureTableError):
    """The table has fewer lists than the requested method needs (two at least, three for most)."""


class NotEstimableError(EstimateError):
    """A model whose extended MLE does not exist or does not identify the unobserved count."""


class ChainsNotMixedError(EstimateError):
    """LCMCR chains that have not mixed: summarising them would report an arbitrary number."""
