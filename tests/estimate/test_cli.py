"""``testament estimate`` as a person and a program use it."""

from __future__ import annotations

import json

import pytest

from tests.estimate.reference import reference_path
from tests.support.cli import run_cli

FAST_LCMCR = (
    "--k",
    "5",
    "--burnin",
    "2000",
    "--samples",
    "200",
    "--thinning",
    "10",
    "--chains",
    "2",
)


def test_json_has_the_documented_shape_and_the_spread_of_models(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("western_us_5list.csv")),
        "--method",
        "loglinear",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"observed", "lists", "estimates"}
    assert payload["observed"] == 345
    assert payload["lists"] == ["A", "B", "C", "D", "E"]
    models = {e["model"]: e for e in payload["estimates"]}
    assert {
        "independence (Mt)",
        "BIC-best hierarchical",
        "AIC-best hierarchical",
        "Mth Chao",
        "Mth Darroch",
    } <= set(models)
    stepwise = next(e for e in payload["estimates"] if e["model"].startswith("stepwise"))
    assert round(stepwise["n_hat"]) == 2483
    for item in payload["estimates"]:
        assert set(item) == {"method", "model", "n_hat", "lower", "upper", "details", "notes"}
        assert item["method"] == "loglinear"
        assert item["lower"] <= item["n_hat"]
        assert item["upper"] is None or item["n_hat"] <= item["upper"]


def test_json_with_lcmcr_is_seeded_and_reports_mixing(capsys):
    args = (
        "estimate",
        str(reference_path("spina_bifida_3list_madigan_york.csv")),
        "--method",
        "lcmcr",
        "--seed",
        "5",
        "--json",
        *FAST_LCMCR,
    )
    first = run_cli(capsys, *args)
    second = run_cli(capsys, *args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    (item,) = json.loads(first.stdout)["estimates"]
    assert item["method"] == "lcmcr"
    assert {"rhat", "ess", "K", "seed"} <= set(item["details"])
    assert item["details"]["seed"] == 5


def test_human_output_is_a_table_with_every_method(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("korea_palembang_3list.csv")),
        "--seed",
        "1",
        *FAST_LCMCR,
    )
    assert result.exit_code == 0, result.stderr
    assert "123 people observed" in result.stdout
    assert "stepwise" in result.stdout
    assert "LCMCR" in result.stdout
    assert "range from" in result.stdout


def test_strata_option_combines_strata(capsys, tmp_path):
    lines = [
        line
        for line in reference_path("kosovo_1999_4list.csv").read_text().splitlines()
        if not line.startswith("#")
    ]
    table = tmp_path / "strata.csv"
    table.write_text(
        "\n".join(
            [f"period,{lines[0]}"] + [f"{p},{row}" for p in ("early", "late") for row in lines[1:]]
        )
        + "\n"
    )
    result = run_cli(
        capsys, "estimate", str(table), "--strata", "period", "--method", "loglinear", "--json"
    )
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["observed"] == 8800
    independence = next(e for e in payload["estimates"] if e["model"] == "independence (Mt)")
    assert independence["n_hat"] == round(2 * 7394.5867, 1)
    assert set(independence["details"]["strata"]) == {"early", "late"}


def test_named_model_in_every_stratum_and_their_sum(capsys, tmp_path):
    lines = [
        line
        for line in reference_path("cormack_chang_smith_2000_4list.csv").read_text().splitlines()
        if not line.startswith("#")
    ]
    table = tmp_path / "strata.csv"
    table.write_text(
        "\n".join([f"site,{lines[0]}"] + [f"{s},{row}" for s in ("x", "y") for row in lines[1:]])
        + "\n"
    )
    args = ("estimate", str(table), "--strata", "site", "--method", "loglinear", "--json")
    result = run_cli(capsys, *args, "--model", "[12,13,34]")
    assert result.exit_code == 0, result.stderr
    named = next(
        e for e in json.loads(result.stdout)["estimates"] if e["model"].startswith("named")
    )
    assert named["n_hat"] == pytest.approx(2 * 218.3, abs=0.1)
    assert set(named["details"]["strata"]) == {"x", "y"}


def test_bad_input_exits_1_with_where_and_what(capsys, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("A,B,C,count\n1,0,1,3\n0,0,0,5\n1,1,0,-1\n")
    result = run_cli(capsys, "estimate", str(table))
    assert result.exit_code == 1
    assert "bad.csv line 3" in result.stderr
    assert "all-zero pattern" in result.stderr
    assert "bad.csv line 4" in result.stderr
    assert "negative" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_lists_refuse_lcmcr(capsys, tmp_path):
    table = tmp_path / "two.csv"
    table.write_text("A,B,count\n1,1,20\n1,0,30\n0,1,40\n")
    result = run_cli(capsys, "estimate", str(table), "--method", "lcmcr")
    assert result.exit_code == 1
    assert "needs at least 3 lists" in result.stderr


def test_unknown_method_is_a_usage_error(capsys):
    result = run_cli(
        capsys, "estimate", str(reference_path("korea_palembang_3list.csv")), "--method", "magic"
    )
    assert result.exit_code == 2


def test_missing_file_is_a_clear_error(capsys, tmp_path):
    result = run_cli(capsys, "estimate", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_warnings_go_to_stderr_beside_the_numbers(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("artificial_3list_identifiability.csv")),
        "--method",
        "loglinear",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert "MLENonExistenceWarning" in result.stderr
    assert "[12,3]" in result.stderr
    for item in json.loads(result.stdout)["estimates"]:
        assert item["n_hat"] < 1_000  # no absurd estimate among the answers


def test_all_methods_leave_out_unmixed_lcmcr_and_say_why(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("korea_palembang_3list.csv")),
        "--json",
        "--seed",
        "3",
        "--burnin",
        "0",
        "--samples",
        "8",
        "--thinning",
        "1",
    )
    assert result.exit_code == 0, result.stderr
    methods = {item["method"] for item in json.loads(result.stdout)["estimates"]}
    assert methods == {"loglinear"}
    assert "ConvergenceWarning" in result.stderr


def test_nothing_to_report_is_an_error_that_shows_why(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("colombia_recruitment_R1_hombre_1999_20list.csv")),
        "--seed",
        "1",
        "--k",
        "15",
        "--burnin",
        "0",
        "--samples",
        "10",
        "--thinning",
        "1",
    )
    assert result.exit_code == 1
    assert "too many for log-linear models" in result.stderr
    assert "ConvergenceWarning" in result.stderr
    assert "no method gave an estimate" in result.stderr


def test_loglinear_on_twenty_lists_says_to_use_lcmcr(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("colombia_recruitment_R2_hombre_1999_20list.csv")),
        "--method",
        "loglinear",
    )
    assert result.exit_code == 1
    assert "limited to 10 lists" in result.stderr
    assert "--method lcmcr" in result.stderr


def test_named_model_row_with_deviance_df_and_the_list_legend(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("cormack_chang_smith_2000_4list.csv")),
        "--method",
        "loglinear",
        "--model",
        "[12,13,34]",
    )
    assert result.exit_code == 0, result.stderr
    assert "1 = death, 2 = ntof, 3 = wcc, 4 = mosh" in result.stdout
    assert "named model" in result.stdout
    assert "[12,13,34]" in result.stdout
    assert "218" in result.stdout
    assert "deviance 2.57, 7 df" in result.stdout
    assert "fitted as zero" in result.stdout


def test_named_model_without_finite_estimate_is_a_clear_error(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("cormack_chang_smith_2000_4list.csv")),
        "--model",
        "[12,13,14,23,24,34]",
    )
    assert result.exit_code == 1
    assert "no finite estimate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [("--k", "0"), ("--chains", "0"), ("--samples", "0"), ("--thinning", "0"), ("--burnin", "-1")],
)
def test_settings_out_of_range_are_refused_before_any_work(capsys, option, value):
    result = run_cli(
        capsys, "estimate", str(reference_path("korea_palembang_3list.csv")), option, value
    )
    assert result.exit_code == 2
    assert option in result.stderr
    assert "Traceback" not in result.stderr


def test_a_table_nobody_is_on_two_lists_of_gives_an_error_not_a_traceback(capsys, tmp_path):
    table = tmp_path / "apart.csv"
    table.write_text("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n")
    result = run_cli(capsys, "estimate", str(table), "--method", "loglinear")
    assert result.exit_code == 1
    assert "no method gave an estimate" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_warning_is_printed_once(capsys, tmp_path):
    table = tmp_path / "twice.csv"
    table.write_text("A,B,C,count\n1,1,0,3\n1,1,0,4\n1,0,0,20\n0,1,0,18\n0,0,1,9\n1,0,1,2\n")
    result = run_cli(capsys, "estimate", str(table), "--method", "loglinear")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
    assert sum("line 3 repeats line 2" in line for line in lines) == 1


def test_poorly_mixed_lcmcr_is_flagged_on_its_row(capsys):
    result = run_cli(
        capsys,
        "estimate",
        str(reference_path("spina_bifida_3list_madigan_york.csv")),
        "--method",
        "lcmcr",
        "--seed",
        "3",
        "--k",
        "5",
        "--burnin",
        "200",
        "--samples",
        "50",
        "--thinning",
        "1",
        "--chains",
        "2",
    )
    assert result.exit_code == 0, result.stderr
    assert "effective sample size" in result.stdout  # a footnote of its row
    assert "ConvergenceWarning" in result.stderr
