"""The stepwise model choice of Chan, Silverman & Vincent (2021), p-value threshold 0.02.

Start from main effects. At each stage, for every two-list interaction not yet in the model,
compute the number of people on both lists, ``n*``, and its expectation ``e`` under the current
fit (the sum of fitted values over the cells with both lists). Under the current model ``n*`` is
Poisson(e); the p-value is the smaller tail, ``min(P[X <= n*], P[X >= n*])``. Candidates whose
model fails the extended-MLE check (``existence.py``) get p = 1. Add the candidate with the
smallest p-value (the first in list order on ties) if it is below the threshold; stop otherwise.

This is the rule of SparseMSE's ``stepwisefit`` and reproduces the paper's figures (New Orleans
1184, Western US 2483) to the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import poisson

from testament.estimate.existence import MLEStatus, check_extended_mle
from testament.estimate.loglinear import LogLinearFit, Term, all_pairs, fit_model
from testament.estimate.table import CaptureTable

DEFAULT_PTHRESH = 0.02


@dataclass(frozen=True)
class StepwiseStep:
    """One interaction added: which, its p-value, and the estimate after adding it."""

    term: Term
    p_value: float
    n_hat: float


@dataclass(frozen=True)
class StepwiseResult:
    fit: LogLinearFit
    steps: tuple[StepwiseStep, ...]
    main_effects: LogLinearFit


def stepwise(table: CaptureTable, pthresh: float = DEFAULT_PTHRESH) -> StepwiseResult:
    """Chan–Silverman–Vincent stepwise selection of two-list interactions."""
    table.require_lists(2, "the stepwise log-linear model")
    histories, counts = table.full()
    candidates = all_pairs(table.n_lists)
    overlap = {term: int(counts[histories[:, list(term)].all(axis=1)].sum()) for term in candidates}
    chosen: list[Term] = []
    fit = fit_model(table, ())
    main_effects = fit
    steps: list[StepwiseStep] = []
    while len(chosen) < len(candidates):
        cells = fit.design.histories
        best: tuple[float, Term] | None = None
        for term in candidates:
            if term in chosen:
                continue
            both = cells[:, list(term)].all(axis=1)
            expected = float(fit.poisson.fitted[both].sum())
            observed = overlap[term]
            p_value = min(
                float(poisson.cdf(observed, expected)), float(poisson.sf(observed - 1, expected))
            )
            if p_value >= pthresh or (best is not None and p_value >= best[0]):
                continue
            if check_extended_mle(table, [*chosen, term]) is not MLEStatus.OK:
                continue
            best = (p_value, term)
        if best is None:
            break
        chosen.append(best[1])
        fit = fit_model(table, chosen)
        steps.append(StepwiseStep(best[1], best[0], fit.n_hat))
    return StepwiseResult(fit, tuple(steps), main_effects)
