"""Profile-likelihood intervals for the population size N (Rcapture's ``closedpCI.t``).

For a fixed N, put ``N - n`` people in the unobservable cell, fit the model to the complete
table (the all-zero cell has only the intercept) and evaluate the multinomial log-likelihood

    l(N) = log N! - log (N - n)! + sum over all cells of n_w log(mu_w / N)

(the fitted values sum to N). The profile estimate is the integer N maximising l; the 95%
interval is where ``2 (l_max - l(N)) <= chi2_1(0.95)``. When l(n) is inside, the lower limit is
the observed total; when no finite N is outside above, the upper limit is infinite.

The profile estimate differs slightly from the Poisson GLM estimate ``n + exp(intercept)``
(Rcapture prints both; so do we).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

from testament.estimate.loglinear import FloatArray, LogLinearFit, fit_poisson
from testament.estimate.warnings import BoundaryEstimateWarning

# Beyond this many times the point estimate we call the upper limit infinite.
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
    def __init__(self, fit: LogLinearFit) -> None:
        design = fit.design
        self.observed = fit.observed
        zero_row = np.zeros((1, design.matrix.shape[1]))
        zero_row[0, 0] = 1.0
        self.matrix: FloatArray = np.vstack([design.matrix, zero_row])
        self.counts = design.counts.astype(np.float64)
        self.nonnegative_from = (
            design.matrix.shape[1] - len(fit.extra) if fit.nonnegative_extra else None
        )

    def loglik(self, dark: float) -> float:
        y = np.append(self.counts, dark)
        matrix = self.matrix
        fit = fit_poisson(matrix, y)
        if self.nonnegative_from is not None:
            keep = np.ones(matrix.shape[1], dtype=bool)
            while True:
                coefficients = np.zeros(matrix.shape[1])
                coefficients[keep] = fit.coefficients
                negative = [
                    i for i in range(self.nonnegative_from, keep.size) if coefficients[i] < 0
                ]
                if not negative:
                    break
                keep[negative[0]] = False
                fit = fit_poisson(matrix[:, keep], y)
        total = self.observed + dark
        mu = fit.fitted
        positive = y > 0
        return float(
            gammaln(total + 1.0)
            - gammaln(dark + 1.0)
            + np.sum(y[positive] * np.log(mu[positive] / total))
        )


def profile_interval(fit: LogLinearFit, level: float = 0.95) -> ProfileInterval:
    """Profile-likelihood estimate and interval for N under the fitted model."""
    profile = _Profile(fit)
    drop = float(chi2.ppf(level, 1)) / 2.0
    guess = max(fit.unobserved, 1.0)
    ceiling = max(guess * UPPER_SEARCH_FACTOR, 1e4)

    # Bracket the maximum: the profile is unimodal in practice; search on log scale.
    result = minimize_scalar(
        lambda log_dark: -profile.loglik(math.expm1(log_dark)),
        bounds=(0.0, math.log1p(ceiling)),
        method="bounded",
        options={"xatol": 1e-6},
    )
    dark_max = math.expm1(float(result.x))
    candidates = {max(math.floor(dark_max), 0), math.ceil(dark_max)}
    best = max(candidates, key=profile.loglik)
    l_max = profile.loglik(float(best))
    threshold = l_max - drop

    def gap(dark: float) -> float:
        return profile.loglik(dark) - threshold

    lower = float(fit.observed)
    if gap(0.0) < 0:
        lower = fit.observed + brentq(gap, 0.0, max(float(best), 1e-9), xtol=1e-6)
    upper = math.inf
    if gap(ceiling) < 0:
        upper = fit.observed + brentq(gap, float(best), ceiling, xtol=1e-6)
    else:
        warnings.warn(
            f"the profile likelihood of {fit.label()} stays high up to {ceiling:,.0f} unobserved: "
            "no finite upper limit",
            BoundaryEstimateWarning,
            stacklevel=2,
        )
    return ProfileInterval(fit.observed + float(best), lower, upper)
