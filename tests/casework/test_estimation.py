"""Estimates from a casebook's linked persons: the rows ``testament estimate`` gives its table.

The capture history below has enough people and overlap for every log-linear model to be
estimable without a warning; the assertions compare the casebook's estimates with those of the
same table read as a file, and, on two lists, the independence model with its closed form.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from testament.casework.estimation import EstimationSettings, estimate_casebook
from testament.core.errors import InputError, SettingsError
from testament.estimate import TooFewListsError
from testament.estimate.report import estimate_table
from testament.estimate.table import parse_table
from testament.store import Casebook
from tests.casework.captured import add_captured_people, as_csv, store_run
from tests.support.cli import run_cli

PATTERNS = {"100": 50, "010": 40, "001": 30, "110": 15, "101": 10, "011": 8, "111": 5}
LOGLINEAR = EstimationSettings(method="loglinear")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    location = tmp_path / "casebook.sqlite"
    with Casebook.create(location) as casebook:
        store_run(casebook, add_captured_people(casebook, PATTERNS), "run-1")
    return location


@pytest.fixture
def casebook(db: Path) -> Iterator[Casebook]:
    with Casebook.open(db) as opened:
        yield opened


def test_the_estimates_are_those_of_the_same_table_read_from_a_file(casebook: Casebook) -> None:
    found = estimate_casebook(casebook, LOGLINEAR)
    from_file = estimate_table(parse_table(as_csv(PATTERNS)), "loglinear")
    assert [e.as_json() for e in found.estimates] == [e.as_json() for e in from_file]
    assert found.observed == sum(PATTERNS.values()) == 158


def test_two_lists_give_the_lincoln_petersen_estimate(tmp_path: Path) -> None:
    # 80 people on list A, 60 on list B, 20 on both: under independence N = 80 * 60 / 20.
    with Casebook.create(tmp_path / "two.sqlite") as two:
        store_run(two, add_captured_people(two, {"100": 60, "010": 40, "110": 20}), "run-1")
        found = estimate_casebook(two, LOGLINEAR)
    assert found.histories.lists == ("list-a", "list-b")  # list C recorded nobody
    independence = next(e for e in found.estimates if "(Mt)" in e.model)
    assert independence.n_hat == pytest.approx(240)
    assert independence.lower < 240 < independence.upper


def test_a_named_model_is_fitted_as_well(casebook: Casebook) -> None:
    named = EstimationSettings(method="loglinear", models=("[12,3]",))
    found = estimate_casebook(casebook, named)
    assert len(found.estimates) == len(estimate_casebook(casebook, LOGLINEAR).estimates) + 1
    assert "[12,3]" in found.estimates[0].model


def test_the_json_names_the_linkage_run_it_counted(casebook: Casebook) -> None:
    document = estimate_casebook(casebook, LOGLINEAR).to_json()
    assert document["run_id"] == "run-1"
    assert document["observed"] == 158
    assert document["lists"] == ["list-a", "list-b", "list-c"]


def test_an_unknown_method_is_refused_when_the_settings_are_made() -> None:
    with pytest.raises(SettingsError, match="loglinear, lcmcr or all, got 'bayes'"):
        EstimationSettings(method="bayes")  # type: ignore[arg-type]


def test_a_casebook_never_linked_is_refused_before_any_estimate(tmp_path: Path) -> None:
    with Casebook.create(tmp_path / "empty.sqlite") as empty, pytest.raises(InputError):
        estimate_casebook(empty, LOGLINEAR)


def test_people_on_one_list_cannot_be_estimated(tmp_path: Path) -> None:
    with Casebook.create(tmp_path / "one.sqlite") as one:
        store_run(one, add_captured_people(one, {"100": 40}), "run-1")
        with pytest.raises(TooFewListsError, match="linkage run run-1"):
            estimate_casebook(one, LOGLINEAR)


def test_the_command_estimates_a_casebook_as_it_does_the_file(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    table = tmp_path / "history.csv"
    table.write_text(as_csv(PATTERNS), encoding="utf-8")
    args = ("--method", "loglinear", "--json")
    from_db = run_cli(capsys, "estimate", "--db", str(db), *args)
    from_file = run_cli(capsys, "estimate", str(table), *args)
    assert from_db.exit_code == from_file.exit_code == 0, from_db.stderr
    casebook_json = json.loads(from_db.stdout)
    assert casebook_json.pop("run_id") == "run-1"
    assert casebook_json == json.loads(from_file.stdout)
    human = run_cli(capsys, "estimate", "--db", str(db), "--method", "loglinear")
    assert "158 people observed on the lists (linkage run run-1)" in human.stdout


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        ((), "TABLE"),
        (("table.csv", "--db", "casebook.sqlite"), "TABLE"),
        (("table.csv", "--run", "run-1"), "--run"),
        (("--db", "casebook.sqlite", "--strata", "region"), "--strata"),
    ],
)
def test_table_and_casebook_options_that_do_not_go_together_are_usage_errors(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], hint: str
) -> None:
    result = run_cli(capsys, "estimate", *args)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_a_run_that_is_not_stored_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    result = run_cli(capsys, "estimate", "--db", str(db), "--run", "run-9")
    assert result.exit_code == 1
    assert "run-9" in result.stderr
    assert "Traceback" not in result.stderr
