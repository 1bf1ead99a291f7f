"""Run the estimation methods on a table and gather their answers in one shape.

One number hides how much the answer depends on the model (on the UK 2013 tables plausible
log-linear models range from 5,500 to 25,000), so the log-linear family reports six models side
by side: independence (Mt), the AIC-best and BIC-best hierarchical models, the stepwise choice of
Chan, Silverman & Vincent (2021), and Rcapture's Mth Chao and Mth Darroch; ``--model`` adds any
named hierarchical model. Each point is the Poisson-GLM estimate ``n + exp(intercept)``; each
interval is the 95% profile-likelihood interval (whose own maximiser is in
``details.profile_n_hat``). LCMCR reports the posterior median and the 2.5% and 97.5% quantiles.

Every log-linear row goes through one check (``_row``): a model that does not determine the
unobserved count is left out with a warning that says why; a model kept although some cells are
fitted as zero, a boundary estimate or an unconverged fit carries a note on its row.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from testament.estimate.defaults import (
    DEFAULT_BURNIN,
    DEFAULT_CHAINS,
    DEFAULT_K,
    DEFAULT_SAMPLES,
    DEFAULT_THINNING,
    ESS_WARNING,
    RHAT_WARNING,
)
from testament.estimate.errors import ChainsNotMixedError, EstimateError, NotEstimableError
from testament.estimate.face import Unobserved
from testament.estimate.heterogeneity import fit_chao, fit_darroch
from testament.estimate.intervals import profile_interval
from testament.estimate.lcmcr import LCMCR, Progress
from testament.estimate.loglinear import LogLinearFit, fit_model, parse_model
from testament.estimate.selection import ModelCache, rank_models
from testament.estimate.stepwise import stepwise
from testament.estimate.table import CaptureTable
from testament.estimate.warnings import (
    BoundaryEstimateWarning,
    ConvergenceWarning,
    MLENonExistenceWarning,
    SparseTableWarning,
)

Method = Literal["loglinear", "lcmcr", "all"]
# Log-linear models work on the full table of 2^t - 1 cells; beyond this it is too big.
LOGLINEAR_MAX_LISTS = 10
# Below these, a warning says the table is too sparse to trust.
SPARSE_OBSERVED = 30
SPARSE_OVERLAP = 5
# An estimate this many times the observed count is a maximum-likelihood figure the data barely
# constrain: it is shown, with a note saying so, never silently.
IMPLAUSIBLE_RATIO = 100


@dataclass(frozen=True)
class Estimate:
    """One method's answer: point estimate of N, 95% interval, and how it was reached.

    ``notes`` qualify this row (a boundary estimate, cells fitted as zero, a fit that did not
    converge, chains that mixed poorly): they are printed beside the number.
    """

    method: str
    model: str
    n_hat: float
    lower: float
    upper: float
    details: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "model": self.model,
            "n_hat": _number(self.n_hat),
            "lower": _number(self.lower),
            "upper": _number(self.upper),
            "details": self.details,
            "notes": list(self.notes),
        }


def _number(value: float) -> float | None:
    return round(value, 1) if math.isfinite(value) else None


@dataclass(frozen=True)
class LCMCRSettings:
    """How LCMCR is run; the defaults are the R package's example run (``lcmcr.py``)."""

    K: int = DEFAULT_K
    burnin: int = DEFAULT_BURNIN
    n_samples: int = DEFAULT_SAMPLES
    thinning: int = DEFAULT_THINNING
    n_chains: int = DEFAULT_CHAINS

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be at least {least}, got {value}"
            for name, value, least in (
                ("K (latent classes)", self.K, 1),
                ("burn-in", self.burnin, 0),
                ("samples", self.n_samples, 4),
                ("thinning", self.thinning, 1),
                ("chains", self.n_chains, 1),
            )
            if value < least
        ]
        if problems:
            raise EstimateError("LCMCR settings: " + "; ".join(problems))

    def model(self, seed: int | None) -> LCMCR:
        return LCMCR(
            self.K,
            burnin=self.burnin,
            n_samples=self.n_samples,
            thinning=self.thinning,
            n_chains=self.n_chains,
            random_state=seed,
        )


def warn_if_sparse(table: CaptureTable) -> None:
    """SparseTableWarning when few people are counted or few appear on more than one list."""
    if table.observed < SPARSE_OBSERVED:
        warnings.warn(
            f"{table.source}: only {table.observed} people observed; estimates from so few "
            "are unstable",
            SparseTableWarning,
            stacklevel=3,
        )
    elif table.overlap_count() < SPARSE_OVERLAP:
        warnings.warn(
            f"{table.source}: only {table.overlap_count()} people are on more than one list; "
            "with lists that barely overlap the estimate rests on the model, not the data",
            SparseTableWarning,
            stacklevel=3,
        )


def estimate_table(
    table: CaptureTable,
    method: Method = "all",
    *,
    seed: int | None = None,
    lcmcr: LCMCRSettings | None = None,
    progress: Progress | None = None,
    models: Sequence[str] = (),
) -> list[Estimate]:
    """Every estimate the chosen method(s) give for ``table``, plus the named ``models``."""
    warn_if_sparse(table)
    estimates: list[Estimate] = []
    if models and method == "lcmcr":
        raise EstimateError("a named log-linear model (--model) needs --method loglinear or all")
    if method in {"loglinear", "all"}:
        if table.n_lists > LOGLINEAR_MAX_LISTS:
            if method == "loglinear" or models:
                raise EstimateError(
                    f"{table.source}: log-linear models are limited to {LOGLINEAR_MAX_LISTS} "
                    f"lists (the table has {table.n_lists}, i.e. {2**table.n_lists - 1:,} "
                    "cells); use --method lcmcr"
                )
            warnings.warn(
                f"{table.source}: {table.n_lists} lists is too many for log-linear models; "
                "only LCMCR is reported",
                SparseTableWarning,
                stacklevel=2,
            )
        else:
            estimates.extend(named_model_estimate(table, label) for label in models)
            estimates.extend(loglinear_estimates(table))
    if method == "lcmcr":
        estimates.append(lcmcr_estimate(table, lcmcr or LCMCRSettings(), seed, progress)[0])
    elif method == "all" and table.n_lists >= 3:
        # Unmixed chains: the sampler's ConvergenceWarning says why LCMCR is missing.
        with contextlib.suppress(ChainsNotMixedError):
            estimates.append(lcmcr_estimate(table, lcmcr or LCMCRSettings(), seed, progress)[0])
    if not estimates:
        raise NotEstimableError(f"{table.source}: no method gave an estimate (see the warnings)")
    return estimates


def named_model_estimate(table: CaptureTable, label: str) -> Estimate:
    """One hierarchical model named by the person (Rcapture's ``closedpCI.t`` with ``mX``).

    Raises ``NotEstimableError`` when that model does not determine the unobserved count.
    """
    table.require_lists(2, "a log-linear estimate")
    fit = fit_model(table, parse_model(label, table.lists))
    if not fit.estimable:
        raise NotEstimableError(f"{table.source}: model {fit.label()}: {fit.status.explain()}")
    row = _row(table, f"named model {fit.label()}", fit, {})
    assert row is not None  # estimable, checked above
    return row


def loglinear_estimates(table: CaptureTable) -> list[Estimate]:
    """The spread of plausible log-linear models, each with its profile interval."""
    table.require_lists(2, "a log-linear estimate")
    estimates: list[Estimate] = []
    candidates: list[tuple[str, Callable[[], LogLinearFit | None], dict[str, Any]]] = [
        ("independence (Mt)", lambda: fit_model(table, ()), {}),
    ]
    step: dict[str, Any] = {}
    candidates.append(
        ("stepwise (Chan et al. 2021, p < 0.02)", lambda: _stepwise(table, step), step)
    )
    if table.n_lists >= 3:
        ranked: dict[str, Any] = {}
        cache = ModelCache(table)
        candidates += [
            ("BIC-best hierarchical", lambda: _best(table, "bic", ranked, cache), ranked),
            ("AIC-best hierarchical", lambda: _best(table, "aic", ranked, cache), ranked),
            ("Mth Chao", lambda: fit_chao(table), {}),
            ("Mth Darroch", lambda: fit_darroch(table), {}),
        ]
    for name, make, extra in candidates:
        fit = make()
        if fit is None:
            continue
        row = _row(table, name, fit, dict(extra))
        if row is not None:
            estimates.append(row)
    return estimates


def _stepwise(table: CaptureTable, details: dict[str, Any]) -> LogLinearFit:
    result = stepwise(table)
    details["steps"] = [
        {
            "added": ":".join(table.lists[i] for i in item.term),
            "p_value": item.p_value,
            "n_hat": _number(item.n_hat),
        }
        for item in result.steps
    ]
    return result.fit


def _best(
    table: CaptureTable,
    criterion: Literal["aic", "bic"],
    note: dict[str, Any],
    cache: ModelCache,
) -> LogLinearFit | None:
    ranked = rank_models(table, criterion, cache)
    note["search"] = "exhaustive" if table.n_lists <= 4 else "stepwise search from Mt"
    note["models_compared"] = len(ranked)
    if not ranked:
        warnings.warn(
            f"{table.source}: no hierarchical model gives a finite estimate, so there is no "
            f"{criterion.upper()}-best model",
            MLENonExistenceWarning,
            stacklevel=3,
        )
        return None
    return ranked[0].fit


def _row(
    table: CaptureTable, name: str, fit: LogLinearFit, extra: dict[str, Any]
) -> Estimate | None:
    """The one check every log-linear row goes through, then its profile interval."""
    if not fit.estimable:
        warnings.warn(
            f"{table.source}: {name} {fit.label()} left out: {fit.status.explain()}",
            MLENonExistenceWarning,
            stacklevel=3,
        )
        return None
    notes: list[str] = []
    if not fit.poisson.converged:
        notes.append(f"the fit did not converge in {fit.poisson.iterations} iterations")
    if fit.status is Unobserved.NONE:
        notes.append("boundary estimate: the model puts nobody in the unobserved cell")
        warnings.warn(
            f"{table.source}: {name} {fit.label()}: the model estimates no unobserved people "
            "(a boundary estimate)",
            BoundaryEstimateWarning,
            stacklevel=3,
        )
    if fit.n_hat > IMPLAUSIBLE_RATIO * fit.observed:
        notes.append(
            f"the estimate is {fit.n_hat / fit.observed:,.0f} times the number observed: the "
            "lists barely overlap the way this model needs, and the data hardly constrain it"
        )
    if fit.design.zero_cells:
        notes.append(
            f"{fit.design.zero_cells} of {fit.design.counts.size} capture patterns fitted as "
            "zero (extended MLE); the estimate of the unobserved is still determined"
        )
    interval = profile_interval(fit)
    details: dict[str, Any] = {
        "model": fit.label(),
        "interactions": fit.interaction_names(),
        "profile_n_hat": round(interval.n_hat, 1),
        "aic": round(fit.aic, 3),
        "bic": round(fit.bic, 3),
        "deviance": round(fit.deviance, 3),
        "residual_df": fit.residual_df,
        "converged": fit.poisson.converged,
        "interval": "profile likelihood",
    }
    if fit.status is Unobserved.FINITE:
        # SparseMSE's interval (normal on log of the unobserved count), for comparison
        details["wald_interval"] = [_number(limit) for limit in fit.wald_interval()]
    if fit.design.empty_terms:
        details["zero_overlap_terms"] = [
            ":".join(fit.lists[i] for i in term) for term in fit.design.empty_terms
        ]
    details.update(extra)
    return Estimate(
        "loglinear", name, fit.n_hat, interval.lower, interval.upper, details, tuple(notes)
    )


def lcmcr_estimate(
    table: CaptureTable,
    settings: LCMCRSettings,
    seed: int | None,
    progress: Progress | None = None,
) -> tuple[Estimate, LCMCR]:
    """LCMCR posterior summary (raises ``ChainsNotMixedError`` when the chains disagree)."""
    table.require_lists(3, "LCMCR")
    model = settings.model(seed).fit(table, progress)
    summary = model.summary()
    details = {
        "posterior_mean": round(summary.mean, 1),
        "rhat": round(summary.rhat, 4),
        "ess": round(summary.ess, 1),
        "draws": summary.n_draws,
        "K": settings.K,
        "chains": settings.n_chains,
        "burnin": settings.burnin,
        "thinning": settings.thinning,
        "seed": seed,
        "interval": "posterior 2.5% - 97.5%",
    }
    notes = mixing_notes(summary.rhat, summary.ess)
    for note in notes:
        warnings.warn(f"{table.source}: {note}", ConvergenceWarning, stacklevel=2)
    estimate = Estimate(
        "lcmcr",
        f"LCMCR (K = {settings.K})",
        summary.median,
        summary.lower,
        summary.upper,
        details,
        tuple(notes),
    )
    return estimate, model


def mixing_notes(rhat: float, ess: float) -> list[str]:
    """What a reader must know about chains that mixed, but not well enough to trust fully."""
    notes = []
    if not rhat <= RHAT_WARNING:
        notes.append(
            f"LCMCR chains mixed poorly: R-hat {rhat:.3f} is above {RHAT_WARNING}; run longer "
            "chains (--burnin, --samples, --thinning) before citing this figure"
        )
    if not ess >= ESS_WARNING:
        notes.append(
            f"LCMCR effective sample size {ess:.0f} is below {ESS_WARNING:.0f}: the interval's "
            "ends are uncertain; run longer chains (--samples, --thinning)"
        )
    return notes
