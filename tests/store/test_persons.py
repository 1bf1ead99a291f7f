"""Persons on organisations' lists become linkage input; linkage results come back as links."""

from __future__ import annotations

import pytest

from testament.core.errors import InputError, RecordNotFoundError
from testament.core.records import Act, Event, Person, Place, ReportedDate, ReportedName, Source
from testament.store import Casebook
from testament.store.persons import linkage_rows, person_links, store_person_links


@pytest.fixture
def listed(casebook: Casebook) -> Casebook:
    casebook.add(
        [
            Source(id="list-a", kind="ngo_report"),
            Source(id="list-b", kind="ngo_report"),
            Place(id="grozny", name="Grozny", iso3166_2="RU-CE"),
            Event(id="e1", title="Detentions"),
            Person(
                id="a1",
                pseudonym="M.",
                source_id="list-a",
                sex="male",
                age_band="adult_25_34",
                names=(ReportedName(name="Магомед Хасанов", script="Cyrl"),),
            ),
            Person(
                id="b1",
                pseudonym="M. K.",
                source_id="list-b",
                birth=ReportedDate(edtf="1988"),
                names=(ReportedName(name="Magomed Khasanov"), ReportedName(name="Mahomed")),
            ),
            Person(id="x", pseudonym="not on any list"),
            Act(
                id="act1",
                event_id="e1",
                act_type="arbitrary_detention",
                victim_id="a1",
                date=ReportedDate(edtf="2017-03"),
                place_id="grozny",
            ),
        ],
        actor="analyst",
    )
    return casebook


def test_listed_persons_become_linkage_rows(listed: Casebook) -> None:
    rows, unlisted = linkage_rows(listed)
    assert unlisted == 1
    by_id = {row["record_id"]: row for row in rows}
    assert by_id["a1"] == {
        "list": "list-a",
        "record_id": "a1",
        "names_as_reported": "Магомед Хасанов",
        "sex": "male",
        "birth": "",
        "age": "25-34",
        "event_date": "2017-03",
        "place": "Grozny",
    }
    assert by_id["b1"]["names_as_reported"] == "Magomed Khasanov / Mahomed"
    assert by_id["b1"]["birth"] == "1988"


def test_links_are_stored_per_run_and_audited(listed: Casebook) -> None:
    first = store_person_links(listed, [("a1", "k1", 0.98), ("b1", "k1", 0.98)], actor="analyst")
    second = store_person_links(listed, [("a1", "k1", None), ("b1", "k2", None)], actor="analyst")
    assert {link.cluster_id for link in person_links(listed, first)} == {"k1"}
    assert {link.run_id for link in person_links(listed)} == {second}
    assert listed.count("person") == 3  # links, not merges
    assert [e.record_type for e in listed.audit("a1")] == ["person", "person_link", "person_link"]
    with pytest.raises(RecordNotFoundError, match="nobody"):
        store_person_links(listed, [("nobody", "k1", 0.5)], actor="analyst")
    with pytest.raises(InputError, match="already stored"):
        store_person_links(listed, [("a1", "k9", 0.5)], actor="analyst", run_id=first)
