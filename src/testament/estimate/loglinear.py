"""Log-linear models of a capture table (the Rcapture / SparseMSE family).

The model is a Poisson GLM with log link on all 2^t - 1 observable patterns, zero cells included
(leaving zero cells out changes the estimate). Its intercept is the log of the expected count in
the unobservable all-zero cell, so the estimate of the total is ``observed + exp(intercept)``.

A model is a set of interaction terms (tuples of list indices, each of two lists or more) on top
of the intercept and the main effects, plus optional extra columns (the heterogeneity models of
``heterogeneity.py``). As in SparseMSE, an interaction whose margin is zero (no one on all its
lists) has MLE minus infinity: the cells containing it are fitted as zero, which we do by
leaving them out of the fit; the criterion still counts the parameter.

The fit is our own iteratively reweighted least squares in numpy, iterated to machine precision
(R's ``glm`` stops at a relative deviance change of 1e-8; we go further so that published
figures reproduce to the unit whatever the starting values).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from testament.estimate.table import CaptureTable
from testament.estimate.warnings import ConvergenceWarning

FloatArray = npt.NDArray[np.float64]
Term = tuple[int, ...]
# An extra column as a function of how many lists recorded each cell (heterogeneity models).
ExtraColumn = Callable[[npt.NDArray[np.int64]], FloatArray]

MAX_ITERATIONS = 200
TOLERANCE = 1e-13
# exp(intercept) beyond this is not an estimate but a model whose MLE does not exist.
LOG_ESTIMATE_CEILING = math.log(1e12)


@dataclass(frozen=True)
class Design:
    """The cells a model is fitted to and its model matrix (intercept first)."""

    histories: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    matrix: FloatArray
    columns: tuple[str, ...]
    fitted_terms: tuple[Term, ...]
    empty_terms: tuple[Term, ...]


@dataclass(frozen=True)
class PoissonFit:
    coefficients: FloatArray
    fitted: FloatArray
    loglik: float
    deviance: float
    converged: bool
    iterations: int
    intercept_variance: float


@dataclass(frozen=True)
class LogLinearFit:
    """A fitted log-linear model and what it says about the total."""

    lists: tuple[str, ...]
    terms: tuple[Term, ...]
    observed: int
    n_hat: float
    design: Design
    poisson: PoissonFit
    n_parameters: int
    extra_columns: Mapping[str, ExtraColumn] = field(default_factory=dict)
    nonnegative_extra: bool = False

    @property
    def extra(self) -> tuple[str, ...]:
        return tuple(self.extra_columns)

    @property
    def unobserved(self) -> float:
        return self.n_hat - self.observed

    @property
    def aic(self) -> float:
        return -2.0 * self.poisson.loglik + 2.0 * self.n_parameters

    @property
    def bic(self) -> float:
        return -2.0 * self.poisson.loglik + math.log(self.observed) * self.n_parameters

    @property
    def deviance(self) -> float:
        return self.poisson.deviance

    @property
    def residual_df(self) -> int:
        return int(self.design.counts.size - self.design.matrix.shape[1])

    def label(self) -> str:
        return model_label(self.terms, self.n_lists, extra=self.extra)

    def interaction_names(self) -> list[str]:
        return [":".join(self.lists[i] for i in term) for term in self.terms]

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    def wald_interval(self, level: float = 0.95) -> tuple[float, float]:
        """SparseMSE's interval: normal on the log of the unobserved count."""
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + level / 2))
        sd = math.sqrt(max(self.poisson.intercept_variance, 0.0))
        log_dark = float(self.poisson.coefficients[0])
        upper = log_dark + z * sd
        return (
            self.observed + math.exp(min(log_dark - z * sd, LOG_ESTIMATE_CEILING)),
            self.observed + math.exp(upper) if upper < LOG_ESTIMATE_CEILING else math.inf,
        )


def model_label(terms: Iterable[Term], n_lists: int, *, extra: Sequence[str] = ()) -> str:
    """Rcapture's bracket notation: ``[123,14,34]`` = the term 1:2:3 with its margins, 1:4, 3:4.

    Lists are numbered from 1; main effects not inside any interaction are written alone.
    """
    maximal = _maximal(list(terms))
    covered = {i for term in maximal for i in term}
    parts = ["".join(str(i + 1) for i in term) for term in maximal]
    parts += [str(i + 1) for i in range(n_lists) if i not in covered]
    label = "[" + ",".join(parts) + "]"
    if extra:
        label += " + " + " + ".join(extra)
    return label


def parse_model(label: str, lists: Sequence[str]) -> tuple[Term, ...]:
    """The interaction terms of a bracket model (``[12,3]``) or a list of ``A:B`` terms."""
    text = label.strip()
    terms: set[Term] = set()
    if text.startswith("["):
        for part in text.strip("[]").split(","):
            indices = tuple(sorted(int(ch) - 1 for ch in part.strip()))
            terms.update(_subterms(indices))
    else:
        for part in text.replace("+", ",").split(","):
            names = [name.strip() for name in part.split(":") if name.strip()]
            if len(names) >= 2:
                indices = tuple(sorted(lists.index(name) for name in names))
                terms.update(_subterms(indices))
    return tuple(sorted(terms, key=lambda term: (len(term), term)))


def _subterms(term: Term) -> set[Term]:
    from itertools import combinations

    return {sub for size in range(2, len(term) + 1) for sub in combinations(term, size)}


def _maximal(terms: list[Term]) -> list[Term]:
    sets = [set(term) for term in terms]
    maximal = [
        term
        for term, members in zip(terms, sets, strict=True)
        if not any(members < other for other in sets)
    ]
    return sorted(maximal, key=lambda term: (-len(term), term))


def build_design(
    table: CaptureTable,
    terms: Sequence[Term],
    extra: Mapping[str, ExtraColumn] | None = None,
) -> Design:
    """Model matrix on the observable cells, leaving out cells of zero-margin interactions."""
    histories, counts = table.full()
    keep = np.ones(counts.size, dtype=bool)
    fitted_terms: list[Term] = []
    empty_terms: list[Term] = []
    for term in terms:
        inside = histories[:, list(term)].all(axis=1)
        if counts[inside].sum() == 0:
            empty_terms.append(term)
            keep &= ~inside
        else:
            fitted_terms.append(term)
    columns = ["(intercept)", *table.lists]
    blocks: list[FloatArray] = [np.ones((counts.size, 1)), histories.astype(np.float64)]
    for term in fitted_terms:
        member: FloatArray = np.asarray(histories[:, list(term)].all(axis=1), dtype=np.float64)
        blocks.append(member.reshape(-1, 1))
        columns.append(":".join(table.lists[i] for i in term))
    captures = histories.sum(axis=1).astype(np.int64)
    for name, column in (extra or {}).items():
        blocks.append(np.asarray(column(captures), dtype=np.float64).reshape(-1, 1))
        columns.append(name)
    matrix = np.hstack(blocks)[keep]
    return Design(
        histories[keep],
        counts[keep],
        matrix,
        tuple(columns),
        tuple(fitted_terms),
        tuple(empty_terms),
    )


def fit_poisson(
    matrix: FloatArray, counts: npt.ArrayLike, *, start: FloatArray | None = None
) -> PoissonFit:
    """Poisson GLM, log link, by IRLS to machine precision (counts may include zeros)."""
    y = np.asarray(counts, dtype=np.float64)
    if start is None:
        eta = np.log(y + 0.1)
        beta = np.zeros(matrix.shape[1])
    else:
        beta = start.copy()
        eta = matrix @ beta
    deviance_old = math.inf
    converged = False
    iteration = 0
    for iteration in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - iteration count is reported
        mu = np.exp(np.clip(eta, -700.0, 700.0))
        z = eta + (y - mu) / mu
        root_w = np.sqrt(mu)
        beta_new, *_ = np.linalg.lstsq(matrix * root_w[:, None], z * root_w, rcond=None)
        eta = matrix @ beta_new
        beta = beta_new
        deviance = _deviance(y, np.exp(np.clip(eta, -700.0, 700.0)))
        if abs(deviance - deviance_old) <= TOLERANCE * (abs(deviance) + 0.1):
            converged = True
            break
        deviance_old = deviance
    mu = np.exp(np.clip(eta, -700.0, 700.0))
    loglik = float(np.sum(_xlogy(y, mu) - mu - gammaln(y + 1.0)))
    with np.errstate(over="ignore", invalid="ignore"):
        information = matrix.T @ (matrix * mu[:, None])
    try:
        variance = float(np.linalg.pinv(information)[0, 0])
    except (np.linalg.LinAlgError, ValueError):
        variance = math.inf
    return PoissonFit(beta, mu, loglik, _deviance(y, mu), converged, iteration, variance)


def _xlogy(x: FloatArray, y: FloatArray) -> FloatArray:
    out = np.zeros_like(x)
    positive = x > 0
    out[positive] = x[positive] * np.log(y[positive])
    return out


def _deviance(y: FloatArray, mu: FloatArray) -> float:
    positive = y > 0
    term = np.zeros_like(y)
    term[positive] = y[positive] * np.log(y[positive] / mu[positive])
    return float(2.0 * np.sum(term - (y - mu)))


def fit_model(
    table: CaptureTable,
    terms: Sequence[Term] = (),
    *,
    extra: Mapping[str, ExtraColumn] | None = None,
    nonnegative_extra: bool = False,
) -> LogLinearFit:
    """Fit main effects + ``terms`` (+ extra columns) and estimate the total.

    With ``nonnegative_extra`` (Rcapture's ``neg = TRUE`` for Mth Chao), an extra column whose
    coefficient comes out negative is dropped (its coefficient set to 0) and the model refitted,
    the first negative one at a time, until none is negative.
    """
    ordered = tuple(sorted(set(terms), key=lambda term: (len(term), term)))
    columns = dict(extra or {})
    design = build_design(table, ordered, columns)
    poisson = fit_poisson(design.matrix, design.counts)
    while nonnegative_extra and columns:
        first = design.matrix.shape[1] - len(columns)
        negative = [
            name
            for name, value in zip(columns, poisson.coefficients[first:], strict=True)
            if value < 0
        ]
        if not negative:
            break
        del columns[negative[0]]
        design = build_design(table, ordered, columns)
        poisson = fit_poisson(design.matrix, design.counts)
    if not poisson.converged:
        warnings.warn(
            f"{table.source}: the log-linear fit {model_label(ordered, table.n_lists)} did not "
            f"converge in {MAX_ITERATIONS} iterations",
            ConvergenceWarning,
            stacklevel=2,
        )
    log_dark = min(float(poisson.coefficients[0]), LOG_ESTIMATE_CEILING)
    n_parameters = design.matrix.shape[1] + len(design.empty_terms)
    return LogLinearFit(
        lists=table.lists,
        terms=ordered,
        observed=table.observed,
        n_hat=table.observed + math.exp(log_dark),
        design=design,
        poisson=poisson,
        n_parameters=n_parameters,
        extra_columns=columns,
        nonnegative_extra=nonnegative_extra,
    )


def all_pairs(n_lists: int) -> list[Term]:
    return [(i, j) for i in range(n_lists) for j in range(i + 1, n_lists)]
