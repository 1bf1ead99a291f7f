"""The casebook stores records, refuses broken references, and audits every change."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from testament.core.errors import (
    CasebookError,
    RecordNotFoundError,
    ReferenceIntegrityError,
)
from testament.core.records import (
    Claim,
    Event,
    EventLink,
    Organisation,
    Person,
    ReportedName,
    Source,
)
from testament.store import Casebook


def _source(source_id: str, *derived: str) -> Source:
    return Source(id=source_id, kind="news_article", derived_from=tuple(derived))


def _claim(claim_id: str, source_id: str, event_id: str) -> Claim:
    return Claim(
        id=claim_id,
        source_id=source_id,
        target_kind="event",
        target_id=event_id,
        stance="asserts",
        basis="first_hand",
    )


def test_records_come_back_as_they_were_stored(casebook: Casebook) -> None:
    records = [
        _source("s1"),
        _source("s2", "s1"),
        Event(id="e1", title="Detentions", chain=(EventLink(relation="related", event_id="e2"),)),
        Event(id="e2", title="Flight"),
        _claim("c1", "s2", "e1"),
        Person(
            id="p1",
            pseudonym="Ruslan",
            names=(ReportedName(name="Руслан", script="Cyrl", source_id="s1"),),
            source_id="s1",
        ),
        Organisation(id="o2", name="Unit", org_type="state_security", parent_id="o1"),
        Organisation(id="o1", name="Service", org_type="state_security"),
    ]
    casebook.add(records, actor="amina")
    for record in records:
        assert casebook.get(record.type, record.id) == record
    assert [record.id for record in casebook.records("source")] == ["s1", "s2"]
    assert casebook.count("claim") == 1


def test_nothing_is_stored_when_any_reference_is_broken(casebook: Casebook) -> None:
    casebook.add([_source("s1")], actor="amina")
    with pytest.raises(ReferenceIntegrityError) as raised:
        casebook.add(
            [_source("s2"), _claim("c1", "s2", "missing-event"), _source("s1")], actor="amina"
        )
    message = str(raised.value)
    assert "refers to event 'missing-event', which does not exist" in message
    assert "a source with id 's1' is already in the casebook" in message
    assert casebook.count("source") == 1
    assert casebook.count("claim") == 0


def test_a_derived_from_cycle_is_refused_even_through_stored_sources(casebook: Casebook) -> None:
    casebook.add([_source("a"), _source("b", "a")], actor="amina")
    with pytest.raises(ReferenceIntegrityError, match=r"cycle: .*a -> .*b"):
        casebook.update(_source("a", "b"), actor="amina")


def test_every_change_is_audited_with_before_and_after(casebook: Casebook) -> None:
    casebook.add([_source("s1")], actor="amina")
    version = casebook.update(
        Source(id="s1", kind="news_article", outlet="Novaya Gazeta"), actor="boris"
    )
    assert version == 2
    entries = casebook.audit("s1")
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("create", "amina"),
        ("update", "boris"),
    ]
    assert entries[1].before is not None
    assert entries[1].before["outlet"] is None
    assert entries[1].after is not None
    assert entries[1].after["outlet"] == "Novaya Gazeta"
    assert casebook.meta("source", "s1").updated_by == "boris"


def test_the_audit_log_cannot_be_rewritten(casebook: Casebook) -> None:
    casebook.add([_source("s1")], actor="amina")
    with pytest.raises(Exception, match="append-only"), casebook.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(Exception, match="append-only"), casebook.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    assert [entry.actor for entry in casebook.audit()] == ["amina"]


def test_unknown_ids_are_reported(casebook: Casebook) -> None:
    with pytest.raises(RecordNotFoundError, match="no source has the id 'nope'"):
        casebook.get("source", "nope")
    with pytest.raises(RecordNotFoundError):
        casebook.find("nope")


def test_a_casebook_is_not_created_over_an_existing_one(casebook_location: str) -> None:
    Casebook.create(casebook_location).close()
    with pytest.raises(CasebookError):
        Casebook.create(casebook_location)


def test_attachments_keep_the_original_bytes_under_their_hash(tmp_path) -> None:
    original = tmp_path / "photo.jpg"
    original.write_bytes(b"\xff\xd8original with metadata")
    working = tmp_path / "photo-clean.jpg"
    working.write_bytes(b"\xff\xd8clean")
    with Casebook.create(tmp_path / "casebook.sqlite") as casebook:
        casebook.add([_source("t1")], actor="desk")
        first = casebook.add_attachment(
            "t1",
            original=original,
            working_copy=working,
            filename="photo.jpg",
            content_type="image/jpeg",
            stripped=["EXIF"],
            actor="desk",
        )
        again = casebook.add_attachment(
            "t1",
            original=original,
            working_copy=working,
            filename="photo.jpg",
            content_type="image/jpeg",
            stripped=["EXIF"],
            actor="desk",
        )
        assert first == again
        assert list(casebook.attachments("t1")) == [first.id]
        with casebook.evidence.open(first.sha256) as stream:
            assert stream.read() == original.read_bytes()
        assert casebook.evidence.path(first.working_sha256).read_bytes() == b"\xff\xd8clean"


def test_a_big_batch_keeps_every_index(casebook: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import inspect

    from testament.store import inserting

    def index_names() -> set[str]:
        inspector = inspect(casebook.engine)
        return {
            index["name"] or ""
            for table in ("claim", "audit_log")
            for index in inspector.get_indexes(table)
        }

    before = index_names()
    monkeypatch.setattr(inserting, "_REBUILD_INDEXES_FROM", 3)
    casebook.add(
        [
            _source("s1"),
            Event(id="e1", title="t"),
            *(_claim(f"c{i}", "s1", "e1") for i in range(5)),
        ],
        actor="amina",
    )
    assert index_names() == before
    assert {"ix_claim_target", "ix_claim_source_id", "ix_audit_log_record"} <= before
    assert casebook.count("claim") == 5
