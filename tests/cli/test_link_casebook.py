"""Linking the persons of a casebook's lists: clusters come back as links, persons stay."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from testament.core.records import Act, Event, Person, Place, ReportedDate, ReportedName, Source
from testament.store import Casebook
from testament.store.persons import person_links
from tests.support.cli import run_cli


def _band(age: str) -> str:
    """The casebook keeps an age band, not the reported age ("25-30" -> adult_25_34)."""
    if not age:
        return "unknown"
    years = [int(part) for part in age.replace("~", "").split("-") if part.strip().isdigit()]
    middle = sum(years) / len(years)
    for upper, band in (
        (17, "child"),
        (24, "young_adult"),
        (34, "adult_25_34"),
        (44, "adult_35_44"),
        (59, "adult_45_59"),
    ):
        if middle <= upper:
            return band
    return "older"


def _persons_from_synthetic_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> tuple[list[object], dict[str, str]]:
    records, truth = tmp_path / "records.csv", tmp_path / "truth.csv"
    result = run_cli(
        capsys,
        "synth",
        "lists",
        "--people",
        "300",
        "--lists",
        "3",
        "--seed",
        "5",
        "--out",
        str(records),
        "--truth",
        str(truth),
    )
    assert result.exit_code == 0, result.stderr
    with records.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    with truth.open(encoding="utf-8") as stream:
        person_of = {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}
    lists = sorted({row["list"] for row in rows})
    places = sorted({row["place"] for row in rows if row["place"]})
    place_ids = {name: f"place-{index}" for index, name in enumerate(places)}
    casebook_records: list[object] = [
        *(Source(id=f"list-{name}", kind="ngo_report", title=f"List {name}") for name in lists),
        *(Place(id=place_ids[name], name=name) for name in places),
        Event(id="detentions", title="Detentions"),
    ]
    for row in rows:
        name = " ".join(p for p in (row["given_name"], row["patronymic"], row["family_name"]) if p)
        casebook_records.append(
            Person(
                id=row["record_id"],
                pseudonym=f"person {row['record_id']}",
                source_id=f"list-{row['list']}",
                names=(ReportedName(name=name or row["names_as_reported"]),),
                sex={"m": "male", "f": "female"}.get(row["sex"], "unknown"),
                age_band=_band(row["age"]),
                birth=ReportedDate(edtf=row["birth"]) if row["birth"] else None,
            )
        )
        casebook_records.append(  # where and when each list says the person was detained
            Act(
                id=f"act-{row['record_id']}",
                event_id="detentions",
                act_type="arbitrary_detention",
                victim_id=row["record_id"],
                date=ReportedDate(edtf=row["event_date"]) if row["event_date"] else None,
                place_id=place_ids.get(row["place"]),
            )
        )
    return casebook_records, person_of


def test_persons_on_lists_are_linked_and_stored_as_links(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records, person_of = _persons_from_synthetic_lists(capsys, tmp_path)
    db = tmp_path / "casebook.sqlite"
    with Casebook.create(db) as casebook:
        casebook.add(records, actor="analyst")  # type: ignore[arg-type]
    history = tmp_path / "history.csv"
    result = run_cli(
        capsys,
        "link",
        "casebook",
        "--db",
        str(db),
        "--history",
        str(history),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["persons"] == len(person_of)
    assert (tmp_path / "casebook.persons.csv").exists()
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


def test_a_casebook_without_listed_persons_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "casebook.sqlite"
    with Casebook.create(db) as casebook:
        casebook.add([Person(id="p1", pseudonym="not on a list")], actor="analyst")
    result = run_cli(capsys, "link", "casebook", "--db", str(db))
    assert result.exit_code == 1
    assert "no persons on a list" in result.stderr
