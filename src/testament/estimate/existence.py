"""SparseMSE's ``checkident``: does every parameter of a log-linear model have a finite MLE?

This is the check of Chan, Silverman & Vincent's stepwise rule (``stepwise.py``), kept exactly
so that the rule picks the interactions the paper publishes. It is stricter than what a
population estimate needs: whether the unobserved count is determined is decided by
``face.py``, the check every reported row goes through.

Chan, Silverman & Vincent (2021) check two things before fitting a model to a sparse table.
Interactions with a zero margin are set to minus infinity (their cells fitted as zero and left
out), then:

1. Existence (Fienberg & Rinaldo 2012): the MLE exists only if the model's sufficient
   statistics ``X'y`` can be matched by a strictly positive table ``r`` on the remaining cells.
   A linear program maximises ``s`` subject to ``X'r = X'y``, ``r >= s``; ``s = 0`` at the
   optimum means the fit runs off to infinity (often: an "astronomically large" estimate).
2. Identifiability: the model matrix on the remaining cells has full column rank.

The status codes follow SparseMSE's ``checkident``: 0 fine, 1 no MLE, 2 not identifiable, 3 both.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

from testament.estimate.loglinear import Term, model_matrix
from testament.estimate.table import CaptureTable

# The LP optimum counts people, so anything below this is zero up to rounding.
_POSITIVE = 1e-7


class MLEStatus(enum.IntEnum):
    OK = 0
    DOES_NOT_EXIST = 1
    NOT_IDENTIFIABLE = 2
    NEITHER = 3

    def explain(self) -> str:
        return {
            MLEStatus.OK: "the extended MLE exists and is identifiable",
            MLEStatus.DOES_NOT_EXIST: "the MLE does not exist: the estimate is not finite",
            MLEStatus.NOT_IDENTIFIABLE: "the model's parameters are not identifiable",
            MLEStatus.NEITHER: "the MLE does not exist and the parameters are not identifiable",
        }[self]


def check_extended_mle(table: CaptureTable, terms: Sequence[Term]) -> MLEStatus:
    """Existence and identifiability of the extended MLE of main effects + ``terms``."""
    histories, all_counts = table.full()
    # SparseMSE fits a zero-margin interaction as minus infinity: its cells are left out.
    keep = np.ones(all_counts.size, dtype=bool)
    fitted: list[Term] = []
    for term in terms:
        inside = histories[:, list(term)].all(axis=1)
        if all_counts[inside].sum() == 0:
            keep &= ~inside
        else:
            fitted.append(term)
    matrix = model_matrix(histories, table.lists, fitted)[0][keep]
    counts = all_counts[keep].astype(np.float64)
    n_cells, n_params = matrix.shape
    rank_deficient = n_params - int(np.linalg.matrix_rank(matrix)) > 0
    # variables: r (n_cells) then s; maximise s
    objective = np.zeros(n_cells + 1)
    objective[-1] = -1.0
    equalities = np.hstack([matrix.T, np.zeros((n_params, 1))])
    bounds_rows = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])  # s - r_i <= 0
    result = linprog(
        objective,
        A_ub=bounds_rows,
        b_ub=np.zeros(n_cells),
        A_eq=equalities,
        b_eq=matrix.T @ counts,
        bounds=[(0, None)] * n_cells + [(0, None)],
        method="highs",
    )
    exists = bool(result.status == 0 and -result.fun > _POSITIVE)
    return MLEStatus(int(not exists) + 2 * int(rank_deficient))
