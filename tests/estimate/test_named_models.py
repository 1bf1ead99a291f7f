"""``--model``: a named hierarchical model, as Rcapture's ``closedpCI.t`` with ``mX`` fits it.

Figures from Rcapture 1.4-4's own tests of published results (data/mse file headers): Cormack,
Chang & Smith (2000) Table 3a, Darroch et al.'s (1993) R3 data and Bruno et al.'s (1994)
diabetes data as Rivest (2011) analysed them. Each must reproduce within 0.1 of the printed
figure (estimates rounded to the unit by Rcapture's tests are compared to the unit).
"""

from __future__ import annotations

import pytest

from testament.estimate.errors import EstimateError, NotEstimableError
from testament.estimate.face import Unobserved
from testament.estimate.loglinear import fit_model, parse_model
from testament.estimate.report import named_model_estimate
from tests.estimate.reference import reference_table

# file, model, (Poisson-GLM estimate, its decimals), (deviance, its decimals), residual df
NAMED = [
    ("cormack_chang_smith_2000_4list.csv", "[1,2,3,4]", (215, 0), (87.1, 1), 10),
    ("cormack_chang_smith_2000_4list.csv", "[12,13,34]", (218.3, 1), (2.6, 1), 7),
    ("cormack_chang_smith_2000_4list.csv", "[13,34,2]", None, (7.7, 1), 8),
    ("darroch_1993_r3_3list.csv", "[12,23]", (850, 0), (3.8, 1), 1),
    ("bruno_1994_diabetes_4list.csv", "[12,13,23,24,34]", (2771, 0), (7.62, 2), 5),
    ("bruno_1994_diabetes_4list.csv", "[13,24,34]", (2472, 0), (21.97, 2), 7),
]


@pytest.mark.parametrize(("name", "model", "n_hat", "deviance", "df"), NAMED)
def test_named_models_reproduce_rcapture(name, model, n_hat, deviance, df):
    row = named_model_estimate(reference_table(name), model)
    if n_hat is not None:
        value, decimals = n_hat
        assert round(row.n_hat, decimals) == pytest.approx(value, abs=0.1)
    value, decimals = deviance
    assert round(row.details["deviance"], decimals) == pytest.approx(value, abs=0.01)
    assert row.details["residual_df"] == df


def test_cormack_model_kept_although_a_list_parameter_diverges():
    # Rcapture: 218.3, profile 217 [215.0, 225.4]. Four cells are fitted as zero, yet the
    # unobserved count is determined; the old check dropped this model as "not finite".
    table = reference_table("cormack_chang_smith_2000_4list.csv")
    fit = fit_model(table, parse_model("[12,13,34]", table.lists))
    assert fit.status is Unobserved.FINITE
    assert fit.design.zero_cells > 0
    row = named_model_estimate(table, "[12,13,34]")
    assert row.details["profile_n_hat"] == 217
    assert row.lower == pytest.approx(215.0, abs=0.1)
    assert row.upper == pytest.approx(225.4, abs=0.1)
    assert any("fitted as zero" in note for note in row.notes)


@pytest.mark.parametrize("model", ["[12,13,14,23,24,34]", "[12,13,14,34]"])
def test_models_rcapture_puts_above_a_million_have_no_finite_estimate(model):
    with pytest.raises(NotEstimableError, match=r"cormack.*no finite estimate"):
        named_model_estimate(reference_table("cormack_chang_smith_2000_4list.csv"), model)


def test_named_models_accept_list_names_as_terms():
    table = reference_table("cormack_chang_smith_2000_4list.csv")
    by_names = named_model_estimate(table, "death:ntof, death:wcc, wcc:mosh")
    by_numbers = named_model_estimate(table, "[12,13,34]")
    assert by_names.n_hat == by_numbers.n_hat
    assert by_names.model == "named model [12,13,34]"


@pytest.mark.parametrize(
    ("model", "fragment"),
    [
        ("[15]", "list number 5 does not exist"),
        ("[12,3", "ends with ']'"),
        ("[1a]", "not a group of list numbers"),
        ("[1234]", "interaction of all 4 lists"),
        ("death:police", "no list named 'police'"),
        ("[11]", "appears twice"),
    ],
)
def test_a_model_that_cannot_be_read_is_refused_with_what_is_wrong(model, fragment):
    with pytest.raises(EstimateError, match=fragment.replace("[", r"\[")):
        named_model_estimate(reference_table("cormack_chang_smith_2000_4list.csv"), model)
