"""Multiple systems estimation: how many people did no list record?

Log-linear models (``loglinear``, ``stepwise``, ``selection``, ``heterogeneity``, ``intervals``)
reproduce Rcapture and SparseMSE; ``lcmcr`` is Manrique-Vallier's latent-class model; ``strata``
estimates per stratum and combines; ``report`` runs the methods a person asks for and gathers
the estimates in one shape (the CLI's ``--json``).
"""

from testament.estimate.errors import (
    CaptureTableError,
    ChainsNotMixedError,
    EstimateError,
    NotEstimableError,
    TooFewListsError,
)
from testament.estimate.lcmcr import LCMCR
from testament.estimate.table import CaptureTable, read_strata, read_table
from testament.estimate.warnings import (
    BoundaryEstimateWarning,
    ConvergenceWarning,
    EstimateWarning,
    MLENonExistenceWarning,
    SparseTableWarning,
)

__all__ = [
    "LCMCR",
    "BoundaryEstimateWarning",
    "CaptureTable",
    "CaptureTableError",
    "ChainsNotMixedError",
    "ConvergenceWarning",
    "EstimateError",
    "EstimateWarning",
    "MLENonExistenceWarning",
    "NotEstimableError",
    "SparseTableWarning",
    "TooFewListsError",
    "read_strata",
    "read_table",
]
