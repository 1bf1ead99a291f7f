"""Multiple systems estimation: how many people did no list record?

Log-linear models (``loglinear``, ``stepwise``, ``selection``, ``heterogeneity``, ``intervals``)
reproduce Rcapture and SparseMSE; ``lcmcr`` is Manrique-Vallier's latent-class model; ``strata``
estimates per stratum and combines; ``report`` runs the methods a person asks for and gathers
the estimates in one shape (the CLI's ``--json``).
"""

from typing import TYPE_CHECKING, Any

from testament.estimate.errors import (
    CaptureTableError,
    ChainsNotMixedError,
    EstimateError,
    NotEstimableError,
    TooFewListsError,
)
from testament.estimate.table import CaptureTable, read_strata, read_table
from testament.estimate.warnings import (
    BoundaryEstimateWarning,
    ConvergenceWarning,
    DuplicatePatternWarning,
    EstimateWarning,
    MLENonExistenceWarning,
    SparseTableWarning,
)

if TYPE_CHECKING:
    from testament.estimate.lcmcr import LCMCR


def __getattr__(name: str) -> Any:
    # LCMCR loads numba (most of a second): only when someone asks for it, so that the command
    # line starts fast.
    if name == "LCMCR":
        from testament.estimate.lcmcr import LCMCR

        return LCMCR
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LCMCR",
    "BoundaryEstimateWarning",
    "CaptureTable",
    "CaptureTableError",
    "ChainsNotMixedError",
    "ConvergenceWarning",
    "DuplicatePatternWarning",
    "EstimateError",
    "EstimateWarning",
    "MLENonExistenceWarning",
    "NotEstimableError",
    "SparseTableWarning",
    "TooFewListsError",
    "read_strata",
    "read_table",
]
