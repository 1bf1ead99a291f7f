"""Rcapture's heterogeneity models: Mt plus a function of how many lists caught each person.

People differ in how catchable they are; Darroch et al. (1993) and Chao's lower-bound model put
that into the log-linear model as extra columns depending only on the number of lists ``x`` that
recorded a cell (Rivest & Baillargeon, Rcapture):

- Mth Chao: columns ``max(x - j + 1, 0)`` for j = 3..t, with coefficients held non-negative
  (a negative one is dropped and the model refitted, Rcapture's ``neg = TRUE``);
- Mth Darroch: one column ``x^2 / 2``.

With three lists, Mth Chao's single column is usually dropped and the model is Mt.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from testament.estimate.loglinear import ExtraColumn, FloatArray, LogLinearFit, fit_model
from testament.estimate.table import CaptureTable


def _chao_column(j: int) -> ExtraColumn:
    def column(captures: npt.NDArray[np.int64]) -> FloatArray:
        return np.maximum(captures - j + 1, 0).astype(np.float64)

    return column


def _darroch(captures: npt.NDArray[np.int64]) -> FloatArray:
    return np.asarray(captures, dtype=np.float64) ** 2 / 2.0


def chao_columns(n_lists: int) -> dict[str, ExtraColumn]:
    return {f"chao{j}": _chao_column(j) for j in range(3, n_lists + 1)}


def fit_chao(table: CaptureTable) -> LogLinearFit:
    """Mth Chao (lower-bound heterogeneity model)."""
    table.require_lists(3, "Mth Chao")
    return fit_model(table, (), extra=chao_columns(table.n_lists), nonnegative_extra=True)


def fit_darroch(table: CaptureTable) -> LogLinearFit:
    """Mth Darroch (quadratic heterogeneity)."""
    table.require_lists(3, "Mth Darroch")
    return fit_model(table, (), extra={"darroch": _darroch})
