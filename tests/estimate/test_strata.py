"""Stratified estimation: strata are estimated alone and added up as documented."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from testament.estimate.report import LCMCRSettings
from testament.estimate.strata import estimate_strata
from testament.estimate.table import parse_strata
from testament.estimate.warnings import ConvergenceWarning, EstimateWarning, SparseTableWarning
from tests.estimate.reference import reference_path


def _two_strata(name: str) -> str:
    """The reference table twice, as strata 'a' and 'b'."""
    lines = [
        line
        for line in reference_path(name).read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    rows = [f"stratum,{lines[0]}"]
    rows += [f"{label},{line}" for label in ("a", "b") for line in lines[1:]]
    return "\n".join(rows) + "\n"


def test_loglinear_strata_add_points_and_combine_intervals():
    tables = parse_strata(_two_strata("western_us_5list.csv"), "stratum")
    result = estimate_strata(tables, "loglinear")
    assert result.observed == 2 * 345
    stepwise = next(e for e in result.combined if e.model.startswith("stepwise"))
    part = next(e for e in result.per_stratum["a"] if e.model.startswith("stepwise"))
    assert stepwise.n_hat == pytest.approx(2 * 2483.4, abs=0.2)
    half_width = (part.upper - part.lower) / 2
    # two independent equal strata: the total's half-width is sqrt(2) times one stratum's
    assert (stepwise.upper - stepwise.lower) / 2 == pytest.approx(
        math.sqrt(2) * half_width, rel=1e-6
    )
    assert set(stepwise.details["strata"]) == {"a", "b"}


@pytest.mark.slow
def test_lcmcr_strata_sum_posterior_draws():
    tables = parse_strata(_two_strata("spina_bifida_3list_madigan_york.csv"), "stratum")
    settings = LCMCRSettings(K=5, burnin=2_000, n_samples=300, thinning=10, n_chains=2)
    with warnings.catch_warnings():
        # chains this short (for speed) are expected to be flagged as mixing poorly
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = estimate_strata(tables, "lcmcr", seed=11, lcmcr=settings)
    total = result.combined[0]
    parts = [result.per_stratum[name][0] for name in ("a", "b")]
    assert total.n_hat == pytest.approx(sum(p.n_hat for p in parts), rel=0.03)
    assert total.lower > sum(p.lower for p in parts)  # summing draws narrows the relative spread
    assert total.upper < sum(p.upper for p in parts)
    assert np.isfinite(total.details["rhat"])


def test_small_or_barely_overlapping_strata_warn():
    text = (
        "zone,A,B,C,count\n"
        "big,1,1,0,40\nbig,1,0,0,100\nbig,0,1,0,80\nbig,0,0,1,60\nbig,1,0,1,30\nbig,0,1,1,20\n"
        "tiny,1,1,0,1\ntiny,1,0,0,4\ntiny,0,1,0,3\ntiny,0,0,1,5\ntiny,0,1,1,1\n"
        "apart,1,1,0,1\napart,1,0,0,100\napart,0,1,0,90\napart,0,0,1,80\n"
    )
    tables = parse_strata(text, "zone")
    with pytest.warns(EstimateWarning) as caught:
        estimate_strata({"tiny": tables["tiny"]}, "loglinear")
    sparse = [str(w.message) for w in caught if w.category is SparseTableWarning]
    assert any("only 14 people" in message for message in sparse)
    with pytest.warns(EstimateWarning) as caught:
        estimate_strata({"apart": tables["apart"]}, "loglinear")
    sparse = [str(w.message) for w in caught if w.category is SparseTableWarning]
    assert any("barely overlap" in message for message in sparse)
