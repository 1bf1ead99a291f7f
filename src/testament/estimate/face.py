"""Which cells a log-linear model fits as zero, and whether it determines the unobserved count.

A Poisson log-linear model of a sparse table often has no ordinary maximum-likelihood estimate:
the likelihood keeps rising as some fitted values go to zero. Its *extended* MLE (Fienberg &
Rinaldo 2012) is the limit. The cells whose fitted value stays positive form the *facial set*:
the cells that are positive in some non-negative table with the same sufficient statistics
``X'y`` as the data. On the facial set the ordinary MLE exists; the other cells are fitted as
zero. ``facial_set`` finds it with linear programs.

What matters for the size of a population is not whether every parameter is finite but whether
the fit determines the expected count of the unobservable all-zero cell, ``exp(x0'b)`` with
``x0`` the intercept's unit vector. Three cases:

1. ``x0`` lies in the row space of the model matrix on the facial set: ``x0'b`` is the same for
   every parameter vector of the extended MLE, so the unobserved count is finite and unique
   (``FINITE``), even when some list or interaction parameter runs off to infinity. Cormack,
   Chang & Smith's model [12,13,34] (2000) is such a case.
2. Otherwise the limit is reached along directions ``d`` with ``X_F d = 0`` on the facial set and
   ``X_Z d < 0`` on the cells fitted as zero. If every such direction has ``x0'd < 0``, the
   unobserved count goes to zero with the zero cells (``NONE``: the estimate is the observed
   total, e.g. two lists that recorded the same ten people). If some direction has
   ``x0'd > 0``, it grows without limit (``UNBOUNDED``).
3. Anything else (a flat likelihood along which the unobserved count moves) is ``UNDETERMINED``.

Decisions are made with exact-arithmetic-friendly tolerances on quantities measured in people
(counts are integers and the model matrices hold small numbers), never on the size of a fitted
value, so they do not depend on the BLAS or on rounding.
"""

from __future__ import annotations

import enum

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# A cell whose largest possible share of the data, in people, is below this is fitted as zero.
# Linear-program vertices of integer counts over small integer matrices are far from it.
_POSITIVE = 1e-7


class Unobserved(enum.Enum):
    """What a fitted model says about the count in the unobservable cell."""

    FINITE = "finite"
    NONE = "none"
    UNBOUNDED = "unbounded"
    UNDETERMINED = "undetermined"

    @property
    def estimable(self) -> bool:
        """True when the model gives one finite estimate of the population size."""
        return self in {Unobserved.FINITE, Unobserved.NONE}

    def explain(self) -> str:
        return {
            Unobserved.FINITE: "the model determines a finite number of unobserved people",
            Unobserved.NONE: (
                "the model puts nobody in the unobserved cell: the estimate is the observed total"
            ),
            Unobserved.UNBOUNDED: (
                "the data are fitted as well by ever larger numbers of unobserved people: the "
                "model gives no finite estimate"
            ),
            Unobserved.UNDETERMINED: (
                "the data do not determine the number of unobserved people under this model "
                "(it is not identifiable)"
            ),
        }[self]


def facial_set(matrix: FloatArray, counts: npt.ArrayLike) -> BoolArray:
    """Cells positive in some non-negative table with the same sufficient statistics.

    Cells with a positive count always belong. For the zero cells, a linear program maximises
    ``sum min(r_i, 1)`` over those not yet known to belong, subject to ``X'r = X'y, r >= 0``;
    every cell it makes positive belongs, and the program is repeated on the rest until it
    finds none (usually once or twice).
    """
    y = np.asarray(counts, dtype=np.float64)
    face = y > 0
    if face.all():
        return face
    n_cells = y.size
    statistics = matrix.T @ y
    while True:
        unknown = np.flatnonzero(~face)
        if unknown.size == 0:
            return face
        m = unknown.size
        # variables: r (n_cells), then t (one per unknown cell); maximise sum t
        objective = np.concatenate([np.zeros(n_cells), -np.ones(m)])
        equalities = np.hstack([matrix.T, np.zeros((matrix.shape[1], m))])
        caps = np.zeros((m, n_cells + m))
        caps[np.arange(m), unknown] = -1.0  # t_j - r_j <= 0
        caps[np.arange(m), n_cells + np.arange(m)] = 1.0
        result = linprog(
            objective,
            A_ub=caps,
            b_ub=np.zeros(m),
            A_eq=equalities,
            b_eq=statistics,
            bounds=[(0, None)] * n_cells + [(0, 1)] * m,
            method="highs",
        )
        if result.status != 0:
            # The data themselves are a feasible point, so this is a solver failure: treat the
            # remaining cells conservatively as fitted zero (the status check below then decides
            # whether the unobserved count is still determined).
            return face
        found = unknown[result.x[n_cells:] > _POSITIVE]
        if found.size == 0:
            return face
        face[found] = True


def unobserved_status(matrix: FloatArray, face: BoolArray) -> Unobserved:
    """What the extended MLE on ``face`` says about the all-zero cell (see the module docstring)."""
    n_params = matrix.shape[1]
    x0 = np.zeros(n_params)
    x0[0] = 1.0
    inside = matrix[face]
    if _in_row_space(inside, x0):
        return Unobserved.FINITE
    if face.all():
        return Unobserved.UNDETERMINED
    outside = matrix[~face]
    # maximise x0'd subject to X_F d = 0 and X_Z d <= -1 (a scale of the open cone X_Z d < 0)
    result = linprog(
        -x0,
        A_ub=outside,
        b_ub=-np.ones(outside.shape[0]),
        A_eq=inside if inside.size else None,
        b_eq=np.zeros(inside.shape[0]) if inside.size else None,
        bounds=[(None, None)] * n_params,
        method="highs",
    )
    if result.status == 3:  # unbounded: some direction sends the unobserved count to infinity
        return Unobserved.UNBOUNDED
    if result.status == 0 and -result.fun < -_POSITIVE:
        return Unobserved.NONE
    if result.status == 0 and -result.fun > _POSITIVE:
        # a bounded positive optimum cannot occur (the feasible set is closed under scaling up)
        return Unobserved.UNBOUNDED
    return Unobserved.UNDETERMINED


def _in_row_space(rows: FloatArray, vector: FloatArray) -> bool:
    if rows.shape[0] == 0:
        return False
    rank = np.linalg.matrix_rank(rows)
    return bool(np.linalg.matrix_rank(np.vstack([rows, vector])) == rank)
