"""Log-linear models of a capture table (the Rcapture / SparseMSE family).

The model is a Poisson GLM with log link on all 2^t - 1 observable patterns, zero cells included
(leaving zero cells out changes the estimate). Its intercept is the log of the expected count in
the unobservable all-zero cell, so the estimate of the total is ``observed + exp(intercept)``.

A model is a set of interaction terms (tuples of list indices, each of two lists or more) on top
of the intercept and the main effects, plus optional extra columns (the heterogeneity models of
``heterogeneity.py``). Sparse tables often have no ordinary MLE: some fitted values go to zero
(an interaction whose margin is zero is the simplest case). We fit the extended MLE: the cells
outside the facial set are fitted as zero and the model is fitted on the rest (``face.py``),
and every fit says whether it determines the unobserved count (``LogLinearFit.status``). The
criteria count every column of the model, as Rcapture and SparseMSE do.

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

from testament.estimate.errors import EstimateError, NotEstimableError
from testament.estimate.face import BoolArray, Unobserved, facial_set, unobserved_status
from testament.estimate.table import CaptureTable
from testament.estimate.warnings import ConvergenceWarning

FloatArray = npt.NDArray[np.float64]
Term = tuple[int, ...]
# An extra column as a function of how many lists recorded each cell (heterogeneity models).
ExtraColumn = Callable[[npt.NDArray[np.int64]], FloatArray]

MAX_ITERATIONS = 200
TOLERANCE = 1e-13


@dataclass(frozen=True)
class Design:
    """All observable cells, the model matrix (intercept first) and the cells fitted positive.

    ``face`` marks the facial set (``face.py``): the other cells are fitted as zero.
    ``empty_terms`` are the interactions nobody is on (zero margin), for the report.
    """

    histories: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    matrix: FloatArray
    columns: tuple[str, ...]
    empty_terms: tuple[Term, ...]
    face: BoolArray

    @property
    def zero_cells(self) -> int:
        """How many observable cells the extended MLE fits as zero."""
        return int((~self.face).sum())


@dataclass(frozen=True)
class PoissonFit:
    """A Poisson fit on the facial set; ``fitted`` covers every cell (zero off the face)."""

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
    status: Unobserved
    design: Design
    poisson: PoissonFit
    n_parameters: int
    extra_columns: Mapping[str, ExtraColumn] = field(default_factory=dict)
    nonnegative_extra: bool = False

    @property
    def estimable(self) -> bool:
        return self.status.estimable

    @property
    def n_hat(self) -> float:
        """Observed + expected unobserved; infinite when the model gives no finite estimate."""
        if self.status is Unobserved.FINITE:
            return self.observed + math.exp(float(self.poisson.coefficients[0]))
        if self.status is Unobserved.NONE:
            return float(self.observed)
        return math.inf

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
        """Observable cells minus parameters (Rcapture's df)."""
        return int(self.design.counts.size - self.n_parameters)

    def label(self) -> str:
        return model_label(self.terms, self.n_lists, extra=self.extra)

    def interaction_names(self) -> list[str]:
        return [":".join(self.lists[i] for i in term) for term in self.terms]

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    def require_estimable(self) -> None:
        """Raise ``NotEstimableError`` unless the model gives one finite estimate."""
        if not self.estimable:
            raise NotEstimableError(f"model {self.label()}: {self.status.explain()}")

    def wald_interval(self, level: float = 0.95) -> tuple[float, float]:
        """SparseMSE's interval: normal on the log of the unobserved count.

        Defined only when the unobserved count is finite and positive (``status`` FINITE).
        """
        from scipy.stats import norm

        if self.status is not Unobserved.FINITE:
            raise NotEstimableError(
                f"model {self.label()}: no Wald interval on the log scale ({self.status.explain()})"
            )
        z = float(norm.ppf(0.5 + level / 2))
        sd = math.sqrt(max(self.poisson.intercept_variance, 0.0))
        log_dark = float(self.poisson.coefficients[0])
        return (
            self.observed + math.exp(log_dark - z * sd),
            self.observed + _exp_or_inf(log_dark + z * sd),
        )


def _exp_or_inf(value: float) -> float:
    return math.exp(value) if value < 700.0 else math.inf


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
    """The interaction terms of a bracket model (``[12,3]``) or of ``A:B`` terms (``A:B, C:D``).

    In the bracket notation lists are numbered from 1 in column order, one digit each (so up to
    nine lists; name the lists beyond). Raises ``EstimateError`` saying what is wrong.
    """
    text = label.strip()
    t = len(lists)
    terms: set[Term] = set()
    groups: list[tuple[int, ...]] = []
    if text.startswith("["):
        if not text.endswith("]"):
            raise EstimateError(f"model {label!r}: a bracket model ends with ']' (e.g. [12,3])")
        for part in text[1:-1].split(","):
            digits = part.strip()
            if not digits.isdigit():
                raise EstimateError(
                    f"model {label!r}: {digits!r} is not a group of list numbers (1 to {t})"
                )
            if t > 9:
                raise EstimateError(
                    f"model {label!r}: with {t} lists the bracket notation is ambiguous; "
                    "name the lists instead (A:B, C:D)"
                )
            groups.append(tuple(int(ch) - 1 for ch in digits))
    else:
        for part in text.replace("+", ",").split(","):
            names = [name.strip() for name in part.split(":") if name.strip()]
            unknown = [name for name in names if name not in lists]
            if unknown:
                raise EstimateError(
                    f"model {label!r}: no list named {', '.join(map(repr, unknown))} "
                    f"(the lists are {', '.join(lists)})"
                )
            groups.append(tuple(lists.index(name) for name in names))
    for group in groups:
        outside = sorted({i + 1 for i in group if not 0 <= i < t})
        if outside:
            raise EstimateError(
                f"model {label!r}: list number {', '.join(map(str, outside))} does not exist "
                f"(the table has {t} lists: {', '.join(lists)})"
            )
        if len(set(group)) != len(group):
            raise EstimateError(f"model {label!r}: a list appears twice in one interaction")
        if len(group) == t:
            raise EstimateError(
                f"model {label!r}: the interaction of all {t} lists leaves the number of "
                "unobserved people undetermined; it cannot be in a model"
            )
        terms.update(_subterms(tuple(sorted(group))))
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


def model_matrix(
    histories: npt.NDArray[np.int8],
    lists: Sequence[str],
    terms: Sequence[Term],
    extra: Mapping[str, ExtraColumn] | None = None,
) -> tuple[FloatArray, tuple[str, ...]]:
    """Intercept, main effects, interactions and extra columns for the given cells."""
    columns = ["(intercept)", *lists]
    blocks: list[FloatArray] = [np.ones((histories.shape[0], 1)), histories.astype(np.float64)]
    for term in terms:
        member: FloatArray = np.asarray(histories[:, list(term)].all(axis=1), dtype=np.float64)
        blocks.append(member.reshape(-1, 1))
        columns.append(":".join(lists[i] for i in term))
    captures = histories.sum(axis=1).astype(np.int64)
    for name, column in (extra or {}).items():
        blocks.append(np.asarray(column(captures), dtype=np.float64).reshape(-1, 1))
        columns.append(name)
    return np.hstack(blocks), tuple(columns)


def build_design(
    table: CaptureTable,
    terms: Sequence[Term],
    extra: Mapping[str, ExtraColumn] | None = None,
) -> Design:
    """Model matrix on every observable cell, and the cells the extended MLE keeps positive."""
    histories, counts = table.full()
    matrix, columns = model_matrix(histories, table.lists, terms, extra)
    empty_terms = tuple(
        term for term in terms if counts[histories[:, list(term)].all(axis=1)].sum() == 0
    )
    face = facial_set(matrix, counts)
    return Design(histories, counts, matrix, columns, empty_terms, face)


def fit_poisson(
    matrix: FloatArray, counts: npt.ArrayLike, *, face: BoolArray | None = None
) -> PoissonFit:
    """Extended MLE of a Poisson GLM with log link, by IRLS to machine precision.

    The model is fitted on ``face`` (the facial set, found here when not given); the other
    cells are fitted as zero, which is the limit the likelihood runs to. On the facial set the
    MLE exists, so the iterations converge; coefficients a rank-deficient model leaves free
    are set by least norm.
    """
    every = np.asarray(counts, dtype=np.float64)
    face = facial_set(matrix, every) if face is None else face
    n_cells = matrix.shape[0]
    matrix = matrix[face]  # from here on, the facial set only
    y = every[face]
    eta = np.log(y + 0.1)
    beta = np.zeros(matrix.shape[1])
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
    fitted = np.zeros(n_cells)
    fitted[face] = mu
    return PoissonFit(beta, fitted, loglik, _deviance(y, mu), converged, iteration, variance)


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
    poisson = fit_poisson(design.matrix, design.counts, face=design.face)
    while nonnegative_extra and columns:
        first = design.matrix.shape[1] - len(columns)
        negative = negative_columns(design.matrix, design.counts, poisson.coefficients, first)
        if not negative:
            break
        del columns[list(columns)[negative[0] - first]]
        design = build_design(table, ordered, columns)
        poisson = fit_poisson(design.matrix, design.counts, face=design.face)
    if not poisson.converged:
        warnings.warn(
            f"{table.source}: the log-linear fit {model_label(ordered, table.n_lists)} did not "
            f"converge in {MAX_ITERATIONS} iterations",
            ConvergenceWarning,
            stacklevel=2,
        )
    return LogLinearFit(
        lists=table.lists,
        terms=ordered,
        observed=table.observed,
        status=unobserved_status(design.matrix, design.face),
        design=design,
        poisson=poisson,
        n_parameters=int(np.linalg.matrix_rank(design.matrix)),
        extra_columns=columns,
        nonnegative_extra=nonnegative_extra,
    )


def negative_columns(
    matrix: FloatArray, counts: npt.ArrayLike, coefficients: FloatArray, first: int
) -> list[int]:
    """Columns from ``first`` on whose coefficient is negative in the extended MLE.

    A column that is non-zero somewhere but whose sufficient statistic is zero (for Mth Chao:
    nobody was caught that many times) has coefficient minus infinity in the limit, although
    the fit on the facial set, where the column is all zero, leaves it at 0.
    """
    statistics = matrix.T @ np.asarray(counts, dtype=np.float64)
    return [
        j
        for j in range(first, matrix.shape[1])
        if coefficients[j] < 0 or (statistics[j] == 0 and np.any(matrix[:, j] != 0))
    ]


def all_pairs(n_lists: int) -> list[Term]:
    return [(i, j) for i in range(n_lists) for j in range(i + 1, n_lists)]
