"""Linking the persons of a casebook's lists: clusters come back as links, persons stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from testament.core.records import Person
from testament.link.review import pair_id
from testament.store import Casebook
from testament.store.link_review import record_decision
from testament.store.persons import person_links
from tests.support.cli import run_cli
from tests.support.listed_persons import listed_persons

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def listed_casebook(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    records, person_of = listed_persons()
    db = tmp_path / "casebook.sqlite"
    with Casebook.create(db) as casebook:
        casebook.add(records, actor="analyst")  # type: ignore[arg-type]
    return db, person_of


def test_persons_on_lists_are_linked_and_stored_as_links(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    listed_casebook: tuple[Path, dict[str, str]],
) -> None:
    db, person_of = listed_casebook
    history = tmp_path / "history.csv"
    result = run_cli(
        capsys, "link", "casebook", "--db", str(db), "--history", str(history), "--json"
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)  # --json: nothing but the JSON on stdout
    assert summary["persons"] == len(person_of)
    assert summary["persons_csv"] is None
    assert sorted(path.name for path in tmp_path.iterdir()) == ["casebook.sqlite", "history.csv"]
    assert history.read_text(encoding="utf-8").startswith("list-")
    with Casebook.open(db) as casebook:
        links = person_links(casebook, summary["run_id"])
        assert casebook.count("person") == len(person_of)  # linked, not merged
    cluster_of = {link.person_id: link.cluster_id for link in links}
    same = [(a, b) for a in person_of for b in person_of if a < b and person_of[a] == person_of[b]]
    found = sum(cluster_of[a] == cluster_of[b] for a, b in same)
    # Bands are coarser than the ages the lists give, so a little recall is lost against linking
    # the CSV itself (0.83 here against 0.95); the linkage's own quality is tested in tests/link.
    assert found / len(same) > 0.8


def test_the_persons_csv_is_written_on_request_for_review(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    listed_casebook: tuple[Path, dict[str, str]],
) -> None:
    db, person_of = listed_casebook
    persons = tmp_path / "review" / "persons.csv"
    result = run_cli(capsys, "link", "casebook", "--db", str(db), "--persons-csv", str(persons))
    assert result.exit_code == 0, result.stderr
    assert len(persons.read_text(encoding="utf-8").splitlines()) == len(person_of) + 1
    assert (persons.parent / "persons.review.csv").exists()
    assert str(persons) in result.stdout
    listed = run_cli(capsys, "link", "review", str(persons), "--list")
    assert listed.exit_code == 0, listed.stderr


def test_a_casebook_without_listed_persons_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "casebook.sqlite"
    with Casebook.create(db) as casebook:
        casebook.add([Person(id="p1", pseudonym="not on a list")], actor="analyst")
    result = run_cli(capsys, "link", "casebook", "--db", str(db))
    assert result.exit_code == 1
    assert "no persons on a list" in result.stderr


def test_decisions_stored_in_the_casebook_are_honoured_by_the_command(
    capsys: pytest.CaptureFixture[str], listed_casebook: tuple[Path, dict[str, str]]
) -> None:
    """What reviewers decided on the desk binds `testament link casebook`: a pair of persons
    decided different ends in two clusters whatever its score."""
    db, person_of = listed_casebook
    first = json.loads(run_cli(capsys, "link", "casebook", "--db", str(db), "--json").stdout)
    with Casebook.open(db) as casebook:
        clusters = {link.person_id: link.cluster_id for link in person_links(casebook)}
        left, right = next(
            (a, b)
            for a in sorted(clusters)
            for b in sorted(clusters)
            if a < b and clusters[a] == clusters[b]
        )
        record_decision(
            casebook, pair_id(left, right), left, right, "different", actor="desk:amina", now=NOW
        )
    assert first["decisions_honoured"] == 0
    result = run_cli(capsys, "link", "casebook", "--db", str(db), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["decisions_honoured"] == 1
    with Casebook.open(db) as casebook:
        after = {link.person_id: link.cluster_id for link in person_links(casebook)}
    assert after[left] != after[right]
    assert len(after) == len(person_of)
