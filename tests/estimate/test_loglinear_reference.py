"""Log-linear estimates reproduce the published and R-computed figures of ``data/mse``.

Sources (data/mse/README.md and the file headers there): Chan, Silverman & Vincent (2021, JASA)
and the SparseMSE / MultipleSystemsEstimation packages for the stepwise rule; Rcapture 1.4-4 for the
independence, heterogeneity and BIC/AIC-selected models with profile-likelihood intervals.
"""

from __future__ import annotations

import math

import pytest

from testament.estimate.errors import NotEstimableError
from testament.estimate.existence import MLEStatus, check_extended_mle
from testament.estimate.face import Unobserved
from testament.estimate.heterogeneity import fit_chao, fit_darroch
from testament.estimate.intervals import profile_interval
from testament.estimate.loglinear import fit_model, parse_model
from testament.estimate.selection import best_model, hierarchical_models
from testament.estimate.stepwise import stepwise
from testament.estimate.table import parse_table
from testament.estimate.warnings import BoundaryEstimateWarning, MLENonExistenceWarning
from tests.estimate.reference import reference_table

# file, published stepwise estimate (to the unit, or to the printed decimals), interactions
STEPWISE = [
    ("new_orleans_8list.csv", 1183.7, ["D:E"]),
    ("new_orleans_5list.csv", 1034.2, []),
    ("western_us_5list.csv", 2483.4, ["A:E"]),
    ("korea_palembang_3list.csv", 268.7778, ["b:c"]),
    (
        "uk_modern_slavery_2013_5list.csv",
        11313.0,
        ["LA:NG", "LA:PFNCA", "NG:GO", "NG:GP", "PFNCA:GP", "GO:GP"],
    ),
    ("spina_bifida_3list_madigan_york.csv", 730.9, ["L1:L2"]),
    ("lesbian_allegheny_4list.csv", 5350.5, ["A:D", "B:C", "B:D", "C:D"]),
    ("hiv_rome_4list.csv", 11124.6, []),
    ("kosovo_1999_4list.csv", 14341.7, ["EXH:ABA", "EXH:OSCE", "EXH:HRW", "ABA:OSCE", "OSCE:HRW"]),
    (
        "uk_modern_slavery_2013_6list.csv",
        11418.0,
        ["LA:NG", "LA:PF", "NG:GO", "NG:GP", "PF:GP", "PF:NCA", "GO:GP"],
    ),
]


@pytest.mark.parametrize(("name", "published", "interactions"), STEPWISE)
def test_stepwise_reproduces_chan_silverman_vincent(name, published, interactions):
    result = stepwise(reference_table(name))
    decimals = len(str(published).split(".")[1])
    assert round(result.fit.n_hat, decimals) == pytest.approx(published, abs=10**-decimals)
    assert sorted(result.fit.interaction_names()) == sorted(interactions)


def test_published_headline_figures_to_the_unit():
    assert round(stepwise(reference_table("new_orleans_8list.csv")).fit.n_hat) == 1184
    assert round(stepwise(reference_table("new_orleans_5list.csv")).fit.n_hat) == 1034
    assert round(stepwise(reference_table("western_us_5list.csv")).fit.n_hat) == 2483
    assert round(stepwise(reference_table("korea_palembang_3list.csv")).fit.n_hat, 1) == 268.8
    uk = stepwise(reference_table("uk_modern_slavery_2013_5list.csv")).fit.n_hat
    assert round(uk) == 11313
    assert 10_000 <= uk <= 13_000  # the Home Office's published range


@pytest.mark.parametrize(
    ("name", "main_effects"),
    [
        ("new_orleans_8list.csv", 996.7),
        ("western_us_5list.csv", 2007.1),
        ("kosovo_1999_4list.csv", 7394.6),
        ("artificial_3list_identifiability.csv", 539.1),
        ("uk_modern_slavery_2013_6list.csv", 12214.0),
    ],
)
def test_main_effects_model_matches_sparsemse(name, main_effects):
    assert round(fit_model(reference_table(name)).n_hat, 1) == pytest.approx(main_effects, abs=0.05)


def test_artificial_table_existence_and_identifiability_as_in_chan_et_al_table_2():
    table = reference_table("artificial_3list_identifiability.csv")
    expected = {
        "[1,2,3]": MLEStatus.OK,
        "[12,3]": MLEStatus.DOES_NOT_EXIST,
        "[13,2]": MLEStatus.OK,
        "[23,1]": MLEStatus.OK,
        "[12,13]": MLEStatus.DOES_NOT_EXIST,
        "[12,23]": MLEStatus.DOES_NOT_EXIST,
        "[13,23]": MLEStatus.OK,
        "[12,13,23]": MLEStatus.NOT_IDENTIFIABLE,
    }
    for model, status in expected.items():
        assert check_extended_mle(table, parse_model(model, table.lists)) is status, model


def test_models_without_an_mle_are_those_that_do_not_determine_the_unobserved_here():
    # On this table the two checks agree; on Cormack's (test_named_models.py) they do not.
    table = reference_table("artificial_3list_identifiability.csv")
    for model in ("[12,3]", "[12,13]", "[12,23]", "[12,13,23]"):
        fit = fit_model(table, parse_model(model, table.lists))
        assert not fit.estimable, model
        assert check_extended_mle(table, fit.terms) is not MLEStatus.OK, model
    for model in ("[1,2,3]", "[13,2]", "[23,1]", "[13,23]"):
        assert fit_model(table, parse_model(model, table.lists)).estimable, model


# Rcapture closedpCI.t: profile estimate [lower, upper] for Mt, Mth Chao, Mth Darroch.
RCAPTURE = [
    ("kosovo_1999_4list.csv", (7393, 7148, 7656), (8588, 8189, 9027), (12784, 11323, 14531)),
    ("western_us_5list.csv", (2000, 1431, 2965), (2192, 1507, 3409), None),
    ("new_orleans_8list.csv", (990, 651, 1663), (1197, 726, 2239), (2622, 517, 6829)),
    (
        "uk_modern_slavery_2013_5list.csv",
        (13438, 11985, 15166),
        (13564, 12086, 15323),
        (14490, 7921, 26080),
    ),
    ("hiv_rome_4list.csv", (11117, 9532, 13114), (11692, 9898, 13985), (21164, 9343, 44006)),
    ("lesbian_allegheny_4list.csv", (3737, 3559, 3933), (4319, 4034, 4644), (6950, 5826, 8398)),
    ("netherlands_6list.csv", (52814, 48542, 57648), (54357, 49698, 59659), (81984, 51140, 125877)),
    ("spina_bifida_3list_madigan_york.csv", (763, 726, 807), (763, 726, 807), (647, 633, 673)),
    ("madigan_york_5list_dga_example.csv", (638, 611, 669), (658, 622, 705), (694, 634, 780)),
]


def _assert_profile(fit, expected):
    interval = profile_interval(fit)
    point, lower, upper = expected
    assert interval.n_hat == pytest.approx(point, abs=1)
    # Rcapture interpolates linearly between integer N; we solve for the limit: within 1.
    assert interval.lower == pytest.approx(lower, abs=1)
    assert interval.upper == pytest.approx(upper, abs=1)


@pytest.mark.parametrize(("name", "mt", "chao", "darroch"), RCAPTURE)
def test_rcapture_models_and_profile_intervals(name, mt, chao, darroch):
    table = reference_table(name)
    _assert_profile(fit_model(table), mt)
    _assert_profile(fit_chao(table), chao)
    if darroch is not None:
        _assert_profile(fit_darroch(table), darroch)


def test_darroch_on_western_us_has_the_lower_limit_rcapture_prints():
    # Rcapture prints no upper limit ("—") here; its grid stops. We find one far out.
    interval = profile_interval(fit_darroch(reference_table("western_us_5list.csv")))
    assert interval.n_hat == pytest.approx(4505, abs=1)
    assert interval.lower == pytest.approx(874, abs=1.5)
    assert interval.upper > 3 * interval.n_hat


def test_a_model_that_does_not_determine_the_unobserved_has_no_profile():
    table = reference_table("artificial_3list_identifiability.csv")
    fit = fit_model(table, parse_model("[12,3]", table.lists))
    assert fit.status is Unobserved.UNBOUNDED
    assert math.isinf(fit.n_hat)
    with pytest.raises(NotEstimableError, match="no finite estimate"):
        profile_interval(fit)


def test_profile_that_never_falls_enough_reports_no_finite_upper_limit():
    # Mth Darroch on 36 people whose lists overlap little: a finite MLE (tens of thousands) whose
    # profile likelihood stays within the 95% drop up to 1000 times the estimate.
    table = parse_table(
        "a,b,c,count\n1,0,0,12\n0,1,0,9\n0,0,1,12\n1,1,0,1\n1,1,1,2\n", source="sparse"
    )
    fit = fit_darroch(table)
    assert fit.status is Unobserved.FINITE
    with pytest.warns(BoundaryEstimateWarning, match="no finite upper limit below"):
        interval = profile_interval(fit)
    assert math.isinf(interval.upper)
    assert interval.lower < interval.n_hat < 1e6


def test_four_lists_have_the_113_hierarchical_models_rcapture_fits():
    assert len(list(hierarchical_models(4))) == 113
    assert len(list(hierarchical_models(3))) == 8


# Rcapture closedpMS.t best models: label, GLM estimate, profile estimate and interval.
BIC_BEST = [
    ("kosovo_1999_4list.csv", "[123,14,34]", 10356.5, (10334, 8994, 12110)),
    ("lesbian_allegheny_4list.csv", "[12,14,23,24,34]", None, (6337, 5422, 7536)),
    ("hiv_rome_4list.csv", "[1,2,3,4]", None, (11117, 9532, 13114)),
    ("spina_bifida_3list_madigan_york.csv", "[12,3]", 730.9, (730, 700, 766)),
    ("western_us_5list.csv", "[15,2,3,4]", 2483.4, (2474, 1681, 3928)),
    ("new_orleans_5list.csv", "[1,2,3,4,5]", None, None),
    ("uk_modern_slavery_2013_6list.csv", "[12,13,25,35,36,45]", None, (12342, 10868, 14143)),
    ("uk_modern_slavery_2013_5list.csv", "[123,25,34]", None, (25279, 19389, 34111)),
    ("madigan_york_5list_dga_example.csv", "[12,13,45]", None, (619, 593, 652)),
]


@pytest.mark.parametrize(("name", "label", "glm", "profile"), BIC_BEST)
def test_bic_best_model_matches_rcapture(name, label, glm, profile):
    fit = best_model(reference_table(name), "bic")
    assert fit.label() == label
    if glm is not None:
        assert round(fit.n_hat, 1) == pytest.approx(glm, abs=0.05)
    if profile is not None:
        _assert_profile(fit, profile)


@pytest.mark.parametrize(
    ("name", "label", "profile"),
    [
        ("kosovo_1999_4list.csv", "[123,134]", (12688, 10184, 16703)),
        ("lesbian_allegheny_4list.csv", "[124,134,23]", (9863, 7072, 14285)),
        ("hiv_rome_4list.csv", "[12,3,4]", (12308, 10266, 14992)),
        ("spina_bifida_3list_madigan_york.csv", "[12,23]", (756, 713, 814)),
        ("madigan_york_5list_dga_example.csv", "[125,13,24,45]", (677, 623, 759)),
    ],
)
def test_aic_best_model_matches_rcapture(name, label, profile):
    fit = best_model(reference_table(name), "aic")
    assert fit.label() == label
    _assert_profile(fit, profile)


def test_five_list_search_beats_rcapture_where_their_aic_choices_differ():
    # Rcapture reports [12,15,45,3] (Western US) and [12,35,4] (New Orleans) as AIC-best;
    # our search finds hierarchical models with a lower AIC on the same tables.
    for name, theirs in [
        ("western_us_5list.csv", "[12,15,45,3]"),
        ("new_orleans_5list.csv", "[12,35,4]"),
    ]:
        table = reference_table(name)
        ours = best_model(table, "aic")
        assert ours.aic < fit_model(table, parse_model(theirs, table.lists)).aic


def test_selection_skips_the_model_rcapture_picks_without_a_finite_estimate():
    # Rcapture's BIC picks [12,3] on the artificial table, whose MLE does not exist.
    with pytest.warns(MLENonExistenceWarning, match=r"\[12,3\] has the best BIC but was left out"):
        fit = best_model(reference_table("artificial_3list_identifiability.csv"), "bic")
    assert fit.label() != "[12,3]"
    assert math.isfinite(fit.n_hat)
    assert fit.n_hat < 1000


def test_sparsemse_wald_interval_reproduces_the_published_main_effects_interval():
    # Chan et al. (2021) Sec 4.1: main effects only N = 997 (644, 1618) on New Orleans.
    lower, upper = fit_model(reference_table("new_orleans_8list.csv")).wald_interval()
    assert math.floor(lower) == 644
    assert round(upper) == 1618
