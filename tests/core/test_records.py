"""Records validate what a researcher codes: vocabularies, dates, places, ranges."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from testament.core.records import Claim, Group, Place, Record, Source
from testament.core.terms import VOCABULARY_ENUMS
from testament.core.vocabulary import vocabulary

RECORD = TypeAdapter(Record)


def test_an_unknown_vocabulary_term_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="'testimony', 'intermediary_interview'"):
        Source(id="s1", kind="blog")  # type: ignore[arg-type]


def test_places_carry_real_iso_3166_2_codes() -> None:
    assert Place(id="p", name="Grozny", iso3166_2="RU-CE").iso3166_2 == "RU-CE"
    with pytest.raises(ValidationError, match="not an ISO 3166-2 subdivision code"):
        Place(id="p", name="Nowhere", iso3166_2="RU-XX")


def test_ranges_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="size_max must not be below size_min"):
        Group(id="g", pseudonym="men", size_min=10, size_max=3)
    with pytest.raises(ValidationError, match="count_max must not be below count_min"):
        Claim(
            id="c",
            source_id="s",
            target_kind="event",
            target_id="e",
            stance="asserts",
            basis="hearsay",
            count_min=100,
            count_max=3,
        )


def test_records_are_restricted_unless_said_otherwise() -> None:
    assert Source(id="s1", kind="testimony").confidentiality == "restricted"


def test_the_type_field_selects_the_record() -> None:
    record = RECORD.validate_json('{"type": "source", "id": "s1", "kind": "ngo_report"}')
    assert isinstance(record, Source)


@pytest.mark.parametrize("name", sorted(VOCABULARY_ENUMS))
def test_vocabulary_files_and_enums_agree(name: str) -> None:
    data = vocabulary(name)
    assert list(data.codes) == [member.value for member in VOCABULARY_ENUMS[name]]
    for term in data.terms:
        assert term.label("en")
        assert term.label("ru")
