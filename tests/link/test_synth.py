"""Synthetic lists: deterministic, truthful, and as varied as the lists they stand in for."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.core.errors import SettingsError
from testament.synth import SynthSettings, generate_lists
from tests.support.cli import run_cli


def test_the_same_seed_gives_the_same_lists_and_another_seed_other_lists():
    first = generate_lists(SynthSettings(people=300, lists=3, seed=1))
    again = generate_lists(SynthSettings(people=300, lists=3, seed=1))
    other = generate_lists(SynthSettings(people=300, lists=3, seed=2))
    pd.testing.assert_frame_equal(first.records, again.records)
    assert not first.records.equals(other.records)


def test_truth_names_a_person_for_every_record_and_matches_who_was_captured():
    lists = generate_lists(SynthSettings(people=500, lists=4, seed=3))
    assert lists.truth["record_id"].tolist() == lists.records["record_id"].tolist()
    captured = lists.people.set_index("person_id")[list(lists.lists)]
    for row in lists.truth.itertuples(index=False):
        assert captured.loc[row.person_id, row.list] == 1
    assert lists.true_capture_history()["count"].sum() == lists.truth["person_id"].nunique()


def test_lists_write_names_in_their_own_script():
    records = generate_lists(SynthSettings(people=400, lists=3, seed=5)).records
    cyrillic = records["given_name"].str.contains("[а-яА-Я]", regex=True)
    assert cyrillic[records["list"] == "list_a"].mean() > 0.9
    latin_b = records.loc[records["list"] == "list_b", "names_as_reported"]
    assert not latin_b.str.contains("[а-яА-Я]", regex=True).any()


def test_dependence_between_lists_raises_the_overlap():
    def overlap(dependence: float) -> float:
        people = generate_lists(
            SynthSettings(people=4000, lists=2, seed=9, list_dependence=dependence)
        ).people
        on_first = people["list_a"] == 1
        return float(people.loc[on_first, "list_b"].mean() - people.loc[~on_first, "list_b"].mean())

    assert overlap(2.0) > overlap(0.0) + 0.1


def test_a_single_list_is_refused():
    with pytest.raises(SettingsError, match="at least 2"):
        SynthSettings(people=10, lists=1)


def test_the_command_writes_records_and_truth(capsys, tmp_path):
    out, truth = tmp_path / "RECORDS.csv", tmp_path / "TRUTH.csv"
    result = run_cli(
        capsys,
        "synth",
        "lists",
        "--people",
        "200",
        "--lists",
        "3",
        "--seed",
        "7",
        "--out",
        str(out),
        "--truth",
        str(truth),
    )
    assert result.exit_code == 0, result.stderr
    records = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(records["list"]) == {"list_a", "list_b", "list_c"}
    assert len(pd.read_csv(truth)) == len(records)
