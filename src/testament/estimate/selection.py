"""Choosing a hierarchical log-linear model by AIC or BIC (Rcapture's ``closedpMS.t``).

A hierarchical model contains every lower-order margin of each of its interactions; the
t-way interaction is never included (it would leave the unobserved cell unidentified). With up
to four lists we fit every hierarchical model (113 of them for four lists) and rank them; with
more lists there are far too many, so we search from the independence model by single steps
(add an interaction whose margins are all in, or drop a maximal one) while the criterion falls.

Models that do not determine the unobserved count (``face.py``: their extended MLE sends it to
infinity or leaves it free) are left out: their "estimates" are artefacts of where a fitting
routine stops. Models whose unobserved count is determined are kept even when some parameter
diverges (cells fitted as zero). When a left-out model would have scored best among all models
(up to four lists, where Rcapture compares the same set and would report it), an
``MLENonExistenceWarning`` names it. The criteria count every column of the model, as Rcapture
and SparseMSE do (zero-margin interactions count). BIC uses log(observed).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from testament.estimate.loglinear import LogLinearFit, Term, fit_model
from testament.estimate.table import CaptureTable
from testament.estimate.warnings import ConvergenceWarning, MLENonExistenceWarning

Criterion = Literal["aic", "bic"]
EXHAUSTIVE_MAX_LISTS = 4
MAX_SEARCH_STEPS = 60
# Beyond this many lists the search considers two-way interactions only (time).
SEARCH_THREE_WAY_MAX_LISTS = 6


@dataclass(frozen=True)
class RankedModel:
    fit: LogLinearFit
    score: float


def _score(fit: LogLinearFit, criterion: Criterion) -> float:
    return fit.aic if criterion == "aic" else fit.bic


def hierarchical_models(n_lists: int) -> Iterator[tuple[Term, ...]]:
    """Every hierarchical model (as its interaction terms) below the saturated one."""
    terms = [term for size in range(2, n_lists) for term in combinations(range(n_lists), size)]

    def extend(index: int, chosen: frozenset[Term]) -> Iterator[frozenset[Term]]:
        if index == len(terms):
            yield chosen
            return
        yield from extend(index + 1, chosen)
        term = terms[index]
        if all(sub in chosen for sub in combinations(term, len(term) - 1) if len(sub) >= 2):
            yield from extend(index + 1, chosen | {term})

    for model in extend(0, frozenset()):
        yield tuple(sorted(model, key=lambda term: (len(term), term)))


class ModelCache:
    """Fits of the models visited, shared between criteria; the non-estimable kept apart."""

    def __init__(self, table: CaptureTable) -> None:
        self.table = table
        self.fits: dict[frozenset[Term], LogLinearFit | None] = {}
        self.invalid: list[LogLinearFit] = []

    def fit(self, terms: frozenset[Term]) -> LogLinearFit | None:
        if terms not in self.fits:
            with warnings.catch_warnings():
                # an unconverged fit is noted on its row (report._row), not warned of per visit
                warnings.simplefilter("ignore", ConvergenceWarning)
                fitted = fit_model(self.table, sorted(terms))
            if fitted.estimable:
                self.fits[terms] = fitted
            else:
                self.fits[terms] = None
                self.invalid.append(fitted)
        return self.fits[terms]


def rank_models(
    table: CaptureTable, criterion: Criterion, cache: ModelCache | None = None
) -> list[RankedModel]:
    """Valid hierarchical models ranked by the criterion (best first).

    Exhaustive up to four lists; beyond, the models visited by the stepwise search. Pass the
    same ``cache`` to rank by both criteria without fitting a model twice.
    """
    table.require_lists(3, "model selection by AIC/BIC")
    cache = cache if cache is not None and cache.table is table else ModelCache(table)
    if table.n_lists <= EXHAUSTIVE_MAX_LISTS:
        for model in hierarchical_models(table.n_lists):
            cache.fit(frozenset(model))
    else:
        for closure in (False, True):
            _search(table.n_lists, cache, lambda fit: _score(fit, criterion), closure=closure)
    ranked = [
        RankedModel(fit, _score(fit, criterion)) for fit in cache.fits.values() if fit is not None
    ]
    ranked.sort(key=lambda model: model.score)
    best = ranked[0].score if ranked else math.inf
    better = [fit for fit in cache.invalid if _score(fit, criterion) < best]
    if better and table.n_lists <= EXHAUSTIVE_MAX_LISTS:
        fit = min(better, key=lambda item: _score(item, criterion))
        warnings.warn(
            f"{table.source}: {fit.label()} has the best {criterion.upper()} but was left out: "
            f"{fit.status.explain()}",
            MLENonExistenceWarning,
            stacklevel=2,
        )
    return ranked


def best_model(table: CaptureTable, criterion: Criterion) -> LogLinearFit:
    return rank_models(table, criterion)[0].fit


def _neighbours(
    model: frozenset[Term], n_lists: int, *, closure: bool, max_order: int
) -> Iterator[frozenset[Term]]:
    """Models one step away: add an interaction (with ``closure``, together with the margins
    it needs; without, only once its margins are in), or drop a maximal one."""
    for size in range(2, min(max_order, n_lists - 1) + 1):
        for term in combinations(range(n_lists), size):
            if term in model:
                continue
            margins = {sub for order in range(2, size) for sub in combinations(term, order)}
            if closure:
                yield model | margins | {term}
            elif margins <= model:
                yield model | {term}
    for term in model:
        if not any(set(term) < set(other) for other in model):
            yield model - {term}


def _search(
    n_lists: int,
    cache: ModelCache,
    score: Callable[[LogLinearFit], float],
    *,
    closure: bool,
) -> None:
    current: frozenset[Term] = frozenset()
    start = cache.fit(current)
    current_score = score(start) if start is not None else math.inf
    max_order = 3 if n_lists <= SEARCH_THREE_WAY_MAX_LISTS else 2
    for _ in range(MAX_SEARCH_STEPS):
        best: tuple[float, frozenset[Term]] | None = None
        for neighbour in _neighbours(current, n_lists, closure=closure, max_order=max_order):
            fit = cache.fit(neighbour)
            if fit is None:
                continue
            value = score(fit)
            if value < current_score and (best is None or value < best[0]):
                best = (value, neighbour)
        if best is None:
            return
        current_score, current = best
