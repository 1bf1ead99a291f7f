"""Profile-likelihood intervals for the population size N (Rcapture's ``closedpCI.t``).

For a fixed N, put ``N - n`` people in the unobservable cell, fit the model to the complete
table (the all-zero cell has only the intercept) and evaluate the multinomial log-likelihood

    l(N) = log N! - log (N - n)! + sum over all cells of n_w log(mu_w / N)

(the fitted values sum to N). The profile estimate is the integer N maximising l; the 95%
interval is where ``2 (l_max - l(N)) <= chi2_1(0.95)``. When l(n) is inside, the lower limit is
the observed total.

Two things keep this independent of rounding. The search for the upper limit stops at a bound
set by the data, ``UPPER_SEARCH_FACTOR`` times the larger of the observed total and the point
estimate of the unobserved, never at a fitting cap; when the likelihood has not fallen enough
there, the upper limit is reported as not finite (with a warning naming the bound). And
``l(N)`` is evaluated in a form without catastrophic cancellation: ``log N!/(N-n)!`` through
``log Beta``, the unobserved cell's term through ``log1p``. The complete table's extended MLE is
fitted on its facial set, found once for an empty and once for a non-empty unobserved cell.

Only models that determine the unobserved count have a profile (``NotEstimableError``
otherwise). The profile estimate differs slightly from the Poisson GLM estimate
``n + exp(intercept)`` (Rcapture prints both; so do we).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, minimize_scalar
from scipy.special import betaln, gammaln
from scipy.stats import chi2

from testament.estimate.face import BoolArray, facial_set
from testament.estimate.loglinear import FloatArray, LogLinearFit, fit_poisson, negative_columns
from testament.estimate.warnings import BoundaryEstimateWarning

# The upper limit is looked for up to this many times max(observed, unobserved estimate).
UPPER_SEARCH_FACTOR = 1000.0


@dataclass(frozen=True)
class ProfileInterval:
    n_hat: float
    lower: float
    upper: float  # math.inf when the likelihood does not fall off

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.upper)


class _Profile:
    """l(N) of one fitted model, as a function of the unobserved count ``dark = N - n``."""

    def __init__(self, fit: LogLinearFit) -> None:
        fit.require_estimable()
        design = fit.design
        self.observed = fit.observed
        zero_row = np.zeros((1, design.matrix.shape[1]))
        zero_row[0, 0] = 1.0
        self.matrix: FloatArray = np.vstack([design.matrix, zero_row])
        self.counts = design.counts.astype(np.float64)
        self.nonnegative_from = (
            design.matrix.shape[1] - len(fit.extra) if fit.nonnegative_extra else None
        )
        self._faces: dict[tuple[bytes, bool], BoolArray] = {}

    def _face(self, keep: npt.NDArray[np.bool_], dark_positive: bool) -> BoolArray:
        # The facial set depends only on which cells are positive, so two per matrix suffice.
        key = (keep.tobytes(), dark_positive)
        if key not in self._faces:
            y = np.append(self.counts, 1.0 if dark_positive else 0.0)
            self._faces[key] = facial_set(self.matrix[:, keep], y)
        return self._faces[key]

    def loglik(self, dark: float) -> float:
        y = np.append(self.counts, dark)
        keep = np.ones(self.matrix.shape[1], dtype=bool)
        fit = fit_poisson(self.matrix, y, face=self._face(keep, dark > 0))
        while self.nonnegative_from is not None:
            coefficients = np.zeros(keep.size)
            coefficients[keep] = fit.coefficients
            negative = [
                j
                for j in negative_columns(self.matrix, y, coefficients, self.nonnegative_from)
                if keep[j]
            ]
            if not negative:
                break
            keep[negative[0]] = False
            fit = fit_poisson(self.matrix[:, keep], y, face=self._face(keep, dark > 0))
        total = self.observed + dark
        mu = fit.fitted
        seen = self.counts > 0
        value = _log_falling_factorial(total, self.observed) + float(
            np.sum(self.counts[seen] * np.log(mu[:-1][seen] / total))
        )
        if dark > 0:
            # dark * log(mu_0 / total), with mu_0 / total close to 1 when dark is large
            value += dark * math.log1p((float(mu[-1]) - total) / total)
        return value


def _log_falling_factorial(total: float, observed: int) -> float:
    """log(total! / (total - observed)!) without cancellation for large totals."""
    return float(gammaln(observed) - betaln(total - observed + 1.0, observed))


def profile_interval(fit: LogLinearFit, level: float = 0.95) -> ProfileInterval:
    """Profile-likelihood estimate and interval for N under the fitted model.

    Raises ``NotEstimableError`` when the model does not determine the unobserved count.
    """
    profile = _Profile(fit)
    drop = float(chi2.ppf(level, 1)) / 2.0
    ceiling = UPPER_SEARCH_FACTOR * max(float(fit.observed), fit.unobserved, 1.0)

    # The profile is unimodal in practice; search on the log scale.
    result = minimize_scalar(
        lambda log_dark: -profile.loglik(math.expm1(log_dark)),
        bounds=(0.0, math.log1p(ceiling)),
        method="bounded",
        options={"xatol": 1e-6},
    )
    dark_max = math.expm1(float(result.x))
    candidates = {max(math.floor(dark_max), 0), math.ceil(dark_max), 0}
    best = max(sorted(candidates), key=profile.loglik)
    l_max = profile.loglik(float(best))
    threshold = l_max - drop

    def gap(dark: float) -> float:
        return profile.loglik(dark) - threshold

    lower = float(fit.observed)
    if best > 0 and gap(0.0) < 0:
        lower = fit.observed + brentq(gap, 0.0, float(best), xtol=1e-6)
    upper = math.inf
    if gap(ceiling) < 0:
        upper = fit.observed + brentq(gap, float(best), ceiling, xtol=1e-6)
    else:
        warnings.warn(
            f"the profile likelihood of {fit.label()} has not fallen enough for a 95% limit at "
            f"N = {fit.observed + ceiling:,.0f} ({UPPER_SEARCH_FACTOR:,.0f} times the larger of "
            "the observed and the estimated unobserved): no finite upper limit below that",
            BoundaryEstimateWarning,
            stacklevel=2,
        )
    return ProfileInterval(fit.observed + float(best), lower, upper)
