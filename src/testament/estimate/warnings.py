"""Typed warnings of multiple systems estimation.

They are warnings, not errors, because the estimate still exists; but a reader must see them
beside the number. Filter them by class, never by message.

    UserWarning
    └── EstimateWarning                  root of testament.estimate's warnings
        ├── SparseTableWarning           few cases, barely overlapping lists, or a tiny stratum
        ├── DuplicatePatternWarning      a capture pattern written twice in a table (counts added)
        ├── MLENonExistenceWarning       a model was left out: it gives no finite estimate of N
        ├── BoundaryEstimateWarning      an estimate or interval limit sits on a boundary
        └── ConvergenceWarning           an iterative fit or a sampler did not converge / mix
"""

from __future__ import annotations


class EstimateWarning(UserWarning):
    """Root of the warnings raised by ``testament.estimate``."""


class SparseTableWarning(EstimateWarning):
    """The table is too sparse for the estimate to be trusted (few cases or little overlap)."""


class DuplicatePatternWarning(EstimateWarning):
    """A capture table writes the same pattern on several rows; their counts were added."""


class MLENonExistenceWarning(EstimateWarning):
    """A model does not determine the number of unobserved people; it was left out."""


class BoundaryEstimateWarning(EstimateWarning):
    """An estimate or an interval limit lies on the boundary (e.g. no unobserved cases, or no
    finite upper limit)."""


class ConvergenceWarning(EstimateWarning):
    """An iterative fit did not converge, or MCMC chains did not mix."""
