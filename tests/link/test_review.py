"""The review queue round trip: a run queues unsure pairs, a reviewer decides, the next obeys."""

from __future__ import annotations

import io
import json
import re
import shlex

import pandas as pd
import pytest

from testament.synth import SynthSettings, generate_lists
from tests.support.cli import run_cli


@pytest.fixture
def linked(capsys, tmp_path):
    """A records file linked once: its clusters and its (non-empty) review queue."""
    records = tmp_path / "RECORDS.csv"
    generate_lists(SynthSettings(people=600, lists=3, seed=4)).records.to_csv(records, index=False)
    out = tmp_path / "CLUSTERS.csv"
    result = run_cli(capsys, "link", str(records), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    queue = pd.read_csv(tmp_path / "RECORDS.review.csv", dtype=str)
    assert not queue.empty
    return records, out, queue


def cluster_of(out) -> dict[str, str]:
    clusters = pd.read_csv(out, dtype=str)
    return dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True))


def test_an_accepted_pair_is_linked_by_the_next_run_and_leaves_the_queue(capsys, linked):
    records, out, queue = linked
    pair = queue.iloc[0]
    result = run_cli(capsys, "link", "review", str(records), "--accept", pair["pair_id"])
    assert result.exit_code == 0, result.stderr
    decisions = pd.read_csv(records.with_name("RECORDS.decisions.csv"), dtype=str)
    assert decisions[["pair_id", "decision"]].values.tolist() == [[pair["pair_id"], "match"]]

    assert run_cli(capsys, "link", str(records), "--out", str(out)).exit_code == 0
    clusters = cluster_of(out)
    assert clusters[pair["record_id_l"]] == clusters[pair["record_id_r"]]
    new_queue = pd.read_csv(records.with_name("RECORDS.review.csv"), dtype=str)
    assert pair["pair_id"] not in set(new_queue["pair_id"])


def test_a_rejected_pair_stays_apart_even_below_a_lower_match_threshold(capsys, linked):
    records, out, queue = linked
    pair = queue.iloc[0]
    run_cli(capsys, "link", "review", str(records), "--reject", pair["pair_id"])
    result = run_cli(
        capsys,
        "link",
        str(records),
        "--out",
        str(out),
        "--match-threshold",
        "0.05",
        "--review-threshold",
        "0.05",
    )
    assert result.exit_code == 0, result.stderr
    clusters = cluster_of(out)
    assert clusters[pair["record_id_l"]] != clusters[pair["record_id_r"]]


def test_the_interactive_review_records_answers_until_quit(capsys, linked, monkeypatch):
    records, _, queue = linked
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\nq\n"))
    result = run_cli(capsys, "link", "review", str(records), "--reviewer", "r1")
    assert result.exit_code == 0, result.stderr
    decisions = pd.read_csv(records.with_name("RECORDS.decisions.csv"), dtype=str)
    assert sorted(decisions["decision"]) == ["match", "non-match"]
    assert set(decisions["reviewer"]) == {"r1"}
    assert set(decisions["pair_id"]) <= set(queue["pair_id"])


def test_the_review_speaks_russian_when_asked(capsys, linked):
    records, _, _ = linked
    result = run_cli(capsys, "link", "review", str(records), "--list", "--lang", "ru")
    assert result.exit_code == 0
    assert "Ждут проверки пар" in result.stdout


def test_deciding_a_pair_that_is_not_queued_is_an_error(capsys, linked):
    records, _, _ = linked
    result = run_cli(capsys, "link", "review", str(records), "--accept", "no-such-pair")
    assert result.exit_code == 1
    assert "not in the review queue" in result.stderr
    assert not records.with_name("RECORDS.decisions.csv").exists()


def test_a_run_writes_the_capture_history_and_a_json_summary(capsys, linked):
    records, out, _ = linked
    history = records.with_name("HISTORY.csv")
    result = run_cli(
        capsys, "link", str(records), "--out", str(out), "--history", str(history), "--json"
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    table = pd.read_csv(history)
    assert list(table.columns) == [*summary["lists"], "count"]
    assert table["count"].sum() == summary["people"] == pd.read_csv(out)["cluster_id"].nunique()
    assert set(table[summary["lists"]].stack()) <= {0, 1}


def test_the_review_shows_names_from_the_lists_literally(capsys, linked):
    """A name in a list is text: not markup, and no terminal escape reaches the screen."""
    records, _, queue = linked
    table = pd.read_csv(records, dtype=str, keep_default_na=False)
    record_id = queue.iloc[0]["record_id_l"]
    column = next(c for c in table.columns if c != "record_id" and table[c].str.len().gt(0).any())
    table.loc[table["record_id"] == record_id, column] = "[/]\x1b[2J\x9b2Jname"
    table.to_csv(records, index=False)

    result = run_cli(capsys, "link", "review", str(records), "--list")

    assert result.exit_code == 0, result.stderr
    assert r"[/]\x1b[2J\x9b2Jname" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\x9b" not in result.stdout


def test_the_hint_for_an_unknown_pair_lists_the_queue(capsys, linked):
    records, _, queue = linked
    refused = run_cli(capsys, "link", "review", str(records), "--accept", "no-such-pair")
    (command,) = re.findall(r"`testament ([^`]+)`", refused.stderr)

    listed = run_cli(capsys, *shlex.split(command))

    assert listed.exit_code == 0, listed.stderr
    assert queue.iloc[0]["pair_id"] in listed.stdout


def test_the_hint_for_a_missing_queue_links_the_records(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records = tmp_path / "my lists.csv"
    generate_lists(SynthSettings(people=300, lists=3, seed=4)).records.to_csv(records, index=False)
    refused = run_cli(capsys, "link", "review", str(records), "--list")
    assert refused.exit_code == 1
    (command,) = re.findall(r"`testament ([^`]+)`", refused.stderr)

    linked = run_cli(capsys, *shlex.split(command))

    assert linked.exit_code == 0, linked.stderr
    assert run_cli(capsys, "link", "review", str(records), "--list").exit_code == 0
