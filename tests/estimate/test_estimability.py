"""Every reported estimate is a real maximum-likelihood figure, never an artefact of fitting.

A log-linear row is shown when the model determines the number of unobserved people: finite
(even if some list or interaction parameter diverges), or none at all (a boundary). A model that
sends it to infinity or leaves it free is left out with a warning that says so. No row, limit
or summary ever shows a fitting cap.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testament.estimate.errors import NotEstimableError
from testament.estimate.face import Unobserved
from testament.estimate.heterogeneity import fit_chao, fit_darroch
from testament.estimate.intervals import profile_interval
from testament.estimate.loglinear import fit_model, parse_model
from testament.estimate.report import estimate_table, loglinear_estimates
from testament.estimate.table import from_histories, parse_table
from testament.estimate.warnings import BoundaryEstimateWarning, MLENonExistenceWarning
from tests.estimate.reference import reference_table

THREE_LISTS = [p for p in itertools.product((0, 1), repeat=3) if any(p)]


def test_two_lists_that_recorded_the_same_ten_people_estimate_exactly_ten():
    table = parse_table("A,B,count\n1,1,10\n")
    fit = fit_model(table)
    assert fit.status is Unobserved.NONE
    assert fit.n_hat == 10
    with pytest.warns(BoundaryEstimateWarning, match="no unobserved people"):
        (independence, *_) = loglinear_estimates(table)
    assert independence.n_hat == 10
    assert independence.lower == 10
    assert 10 < independence.upper < 12
    assert any("boundary" in note for note in independence.notes)


def test_two_lists_without_overlap_give_no_finite_estimate():
    fit = fit_model(parse_table("A,B,count\n1,0,7\n0,1,5\n"))
    assert fit.status is Unobserved.UNBOUNDED
    assert math.isinf(fit.n_hat)


def test_three_lists_in_which_nobody_is_on_two_lists_end_in_a_clear_error():
    table = parse_table("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n", source="apart.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(NotEstimableError, match="no method gave an estimate"):
            estimate_table(table, "loglinear")
    messages = [str(w.message) for w in caught]
    assert any("no hierarchical model gives a finite estimate" in m for m in messages)
    assert any("independence" in m and "no finite estimate" in m for m in messages)


def test_heterogeneity_models_of_a_tiny_table_never_show_a_fitting_cap():
    # Six people on three lists (the shape of Rcapture's own warning example): Mth Chao and
    # Mth Darroch used to print the internal cap, 1,000,000,000,006.
    table = parse_table("A,B,C,count\n1,0,0,2\n0,1,0,1\n0,0,1,1\n1,1,1,2\n", source="six")
    for fit in (fit_chao(table), fit_darroch(table)):
        assert fit.status is Unobserved.UNBOUNDED
        assert math.isinf(fit.n_hat)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = loglinear_estimates(table)
    for row in rows:
        assert row.n_hat < 1e6
        assert math.isinf(row.upper) or row.upper < 1e7
    left_out = [str(w.message) for w in caught if w.category is MLENonExistenceWarning]
    assert any("Mth Chao" in m for m in left_out)
    assert any("Mth Darroch" in m for m in left_out)


def test_the_status_of_artificial_table_models_matches_chan_et_al():
    table = reference_table("artificial_3list_identifiability.csv")
    assert fit_model(table, parse_model("[12,3]", table.lists)).status is Unobserved.UNBOUNDED
    assert fit_model(table, parse_model("[13,23]", table.lists)).status is Unobserved.FINITE
    # Rcapture's Mth Darroch gives 96 [96, 104]: nobody unobserved, a boundary estimate.
    darroch = fit_darroch(table)
    assert darroch.status is Unobserved.NONE
    interval = profile_interval(darroch)
    assert (interval.n_hat, interval.lower) == (96, 96)
    assert interval.upper == pytest.approx(104, abs=1)


counts_of_three_lists = st.lists(st.integers(0, 12), min_size=7, max_size=7).filter(
    lambda counts: sum(counts) > 0
)


@settings(max_examples=60, deadline=None)
@given(counts_of_three_lists, st.sampled_from(["[1,2,3]", "[12,3]", "[12,13]", "[12,13,23]"]))
def test_every_estimable_fit_is_an_extended_mle_with_a_finite_estimate(counts, model):
    table = from_histories(["A", "B", "C"], THREE_LISTS, counts)
    if table.n_lists < 3 or table.observed == 0:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_model(table, parse_model(model, table.lists))
    if not fit.estimable:
        assert math.isinf(fit.n_hat)
        return
    design, mu = fit.design, fit.poisson.fitted
    assert fit.poisson.converged
    # the likelihood equations: fitted margins equal the observed ones, zero off the face
    np.testing.assert_allclose(
        design.matrix.T @ mu, design.matrix.T @ design.counts, rtol=1e-7, atol=1e-6
    )
    assert (mu[~design.face] == 0).all()
    assert fit.observed <= fit.n_hat < math.inf


def test_an_estimate_far_beyond_the_data_says_so_on_its_row():
    # Mth Darroch on 36 people whose lists barely overlap: a finite MLE of tens of thousands.
    table = parse_table(
        "a,b,c,count\n1,0,0,12\n0,1,0,9\n0,0,1,12\n1,1,0,1\n1,1,1,2\n", source="sparse"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = loglinear_estimates(table)
    darroch = next(row for row in rows if row.model == "Mth Darroch")
    assert darroch.n_hat > 100 * table.observed
    assert any("times the number observed" in note for note in darroch.notes)
    independence = next(row for row in rows if row.model == "independence (Mt)")
    assert not any("times the number observed" in note for note in independence.notes)
