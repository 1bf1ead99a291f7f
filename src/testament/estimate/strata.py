"""Stratified estimation: estimate each stratum (region, period...) and add them up.

Capture probabilities and list dependence often differ between strata; estimating each and
summing avoids the bias of pooling them. How the parts are added:

- LCMCR: the strata's posterior draws are added draw by draw (the strata are independent a
  posteriori), so the total's median and interval are exact posterior summaries.
- Log-linear: for each model kind (independence, stepwise, ...), point estimates are added;
  each stratum's profile interval is turned into a standard error, ``(upper - lower) / 3.92``,
  the variances are added, and the total's interval is the normal one, ``sum +- 1.96 sd``, held
  above the observed total. This is an approximation (asymmetric intervals become symmetric);
  it is unbounded when any stratum's interval is.

A stratum with few people, or whose lists barely overlap, gets a ``SparseTableWarning``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from testament.estimate.defaults import RHAT_REFUSE
from testament.estimate.errors import ChainsNotMixedError, NotEstimableError
from testament.estimate.lcmcr import Progress, effective_sample_size, split_rhat
from testament.estimate.report import (
    Estimate,
    LCMCRSettings,
    Method,
    lcmcr_estimate,
    loglinear_estimates,
    mixing_notes,
    named_model_estimate,
    warn_if_sparse,
)
from testament.estimate.table import CaptureTable
from testament.estimate.warnings import MLENonExistenceWarning

Z95 = 1.959963984540054


@dataclass(frozen=True)
class StratifiedResult:
    observed: int
    combined: list[Estimate]
    per_stratum: dict[str, list[Estimate]] = field(default_factory=dict)


def estimate_strata(
    tables: dict[str, CaptureTable],
    method: Method = "all",
    *,
    seed: int | None = None,
    lcmcr: LCMCRSettings | None = None,
    progress: Progress | None = None,
    models: Sequence[str] = (),
) -> StratifiedResult:
    """Estimate every stratum with ``method`` (and the named ``models``) and combine them.

    A named model that gives no finite estimate in some stratum is left out of that stratum
    (with a warning), and so out of the combination.
    """
    per_stratum: dict[str, list[Estimate]] = {name: [] for name in tables}
    for table in tables.values():
        warn_if_sparse(table)
    combined: list[Estimate] = []
    if method in {"loglinear", "all"}:
        for name, table in tables.items():
            for label in models:
                try:
                    per_stratum[name].append(named_model_estimate(table, label))
                except NotEstimableError as error:
                    warnings.warn(str(error), MLENonExistenceWarning, stacklevel=2)
            per_stratum[name].extend(loglinear_estimates(table))
        combined.extend(_combine_loglinear(per_stratum, tables))
    if method in {"lcmcr", "all"}:
        settings = lcmcr or LCMCRSettings()
        draws = []
        for offset, (name, table) in enumerate(tables.items()):
            stratum_seed = None if seed is None else seed + offset
            estimate, model = lcmcr_estimate(table, settings, stratum_seed, progress)
            per_stratum[name].append(estimate)
            draws.append(model.samples_)
        combined.append(_combine_lcmcr(draws, settings, seed, tables))
    return StratifiedResult(sum(t.observed for t in tables.values()), combined, per_stratum)


def _combine_loglinear(
    per_stratum: dict[str, list[Estimate]], tables: dict[str, CaptureTable]
) -> list[Estimate]:
    observed = sum(table.observed for table in tables.values())
    models = [e.model for e in next(iter(per_stratum.values())) if e.method == "loglinear"]
    combined = []
    for model in models:
        parts = {
            name: next((e for e in estimates if e.model == model), None)
            for name, estimates in per_stratum.items()
        }
        if any(part is None for part in parts.values()):
            continue  # a model left out in some stratum cannot be summed
        found = [part for part in parts.values() if part is not None]
        total = sum(part.n_hat for part in found)
        if all(math.isfinite(part.upper) for part in found):
            sd = math.sqrt(sum(((p.upper - p.lower) / (2 * Z95)) ** 2 for p in found))
            lower, upper = max(total - Z95 * sd, float(observed)), total + Z95 * sd
        else:
            lower, upper = max(sum(p.lower for p in found), float(observed)), math.inf
        details = {
            "combination": "sum of strata; normal interval from the strata's profile intervals",
            "strata": {name: _brief(part) for name, part in parts.items() if part is not None},
        }
        notes = tuple(
            f"{name}: {note}"
            for name, part in parts.items()
            if part is not None
            for note in part.notes
        )
        combined.append(Estimate("loglinear", model, total, lower, upper, details, notes))
    return combined


def _combine_lcmcr(
    draws: list[np.ndarray],
    settings: LCMCRSettings,
    seed: int | None,
    tables: dict[str, CaptureTable],
) -> Estimate:
    total = np.sum(np.stack(draws), axis=0).astype(np.float64)
    rhat = split_rhat(total)
    if not rhat <= RHAT_REFUSE:
        raise ChainsNotMixedError(
            f"the strata's summed LCMCR draws have not mixed (R-hat {rhat:.3f}); run longer chains"
        )
    flat = total.reshape(-1)
    ess = effective_sample_size(total)
    details = {
        "combination": "posterior draws summed over strata",
        "posterior_mean": round(float(flat.mean()), 1),
        "rhat": round(rhat, 4),
        "ess": round(ess, 1),
        "K": settings.K,
        "seed": seed,
        "strata": list(tables),
    }
    return Estimate(
        "lcmcr",
        f"LCMCR (K = {settings.K})",
        float(np.median(flat)),
        float(np.quantile(flat, 0.025)),
        float(np.quantile(flat, 0.975)),
        details,
        tuple(mixing_notes(rhat, ess)),
    )


def _brief(estimate: Estimate) -> dict[str, float | None]:
    data = estimate.as_json()
    return {"n_hat": data["n_hat"], "lower": data["lower"], "upper": data["upper"]}
