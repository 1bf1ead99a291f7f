"""The audit log's one row builder: every writer's rows have the same shape and invariants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from testament.core.records import Event, Person, Source
from testament.store import Casebook
from testament.store.audit import AUDIT_COLUMNS, audit_row
from testament.store.persons import store_person_links
from testament.store.schema import audit_log

NOW = datetime(2017, 4, 1, tzinfo=UTC)


def test_the_row_has_the_columns_of_the_table_in_their_order() -> None:
    assert tuple(c.name for c in audit_log.columns if c.name != "seq") == AUDIT_COLUMNS


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("create", '{"id": "e1"}', '{"id": "e1"}'),  # a creation has nothing before it
        ("create", None, None),
        ("update", None, '{"id": "e1"}'),  # an update has both
        ("update", '{"id": "e1"}', None),
        ("delete", '{"id": "e1"}', '{"id": "e1"}'),  # a deletion has nothing after it
    ],
)
def test_a_row_whose_states_do_not_fit_its_action_is_refused(
    action: str, before: str | None, after: str | None
) -> None:
    with pytest.raises(ValueError, match=action):
        audit_row(
            NOW,
            actor="researcher",
            action=action,  # type: ignore[arg-type]
            record_type="event",
            record_id="e1",
            before=before,
            after=after,
        )


def test_records_edits_attachments_and_links_all_leave_the_same_kind_of_row(
    tmp_path: Path,
) -> None:
    original = tmp_path / "original.txt"
    original.write_text("what the witness wrote", encoding="utf-8")
    with Casebook.create(tmp_path / "casebook.sqlite") as casebook:
        batch = casebook.add(
            [
                Event(id="e1", title="Detentions"),
                Source(id="list-a", kind="ngo_report"),
                Person(id="p1", pseudonym="M.", source_id="list-a"),
            ],
            actor="importer",
        )
        casebook.update(Event(id="e1", title="Detentions in the city"), actor="editor")
        casebook.add_attachment(
            "list-a",
            original=original,
            working_copy=original,
            filename=None,
            content_type=None,
            stripped=(),
            actor="puller",
        )
        store_person_links(casebook, [("p1", "k1", 0.9)], actor="analyst", run_id="run-1")
        entries = casebook.audit()
    seen = [(e.actor, e.action, e.record_type, e.record_id, e.batch) for e in entries]
    attachment_id = next(e.record_id for e in entries if e.record_type == "attachment")
    assert sorted(seen, key=str) == sorted(
        [
            ("importer", "create", "event", "e1", batch),
            ("importer", "create", "source", "list-a", batch),
            ("importer", "create", "person", "p1", batch),
            ("editor", "update", "event", "e1", None),
            ("puller", "create", "attachment", attachment_id, None),
            ("analyst", "create", "person_link", "p1", "run-1"),
        ],
        key=str,
    )
    update = next(e for e in entries if e.action == "update")
    assert update.before is not None
    assert update.before["title"] == "Detentions"
    assert update.after is not None
    assert update.after["title"] == "Detentions in the city"
    assert all(e.before is None and e.after is not None for e in entries if e.action == "create")


@pytest.mark.parametrize("action", ["view", "download"])
def test_a_desk_opening_needs_a_reason_and_changes_nothing(action: str) -> None:
    row = audit_row(
        NOW,
        actor="desk:amina",
        action=action,  # type: ignore[arg-type]
        record_type="source",
        record_id="intake:1",
        reason="dating the detention",
    )
    assert (row.before, row.reason) == (None, "dating the detention")
    with pytest.raises(ValueError, match="needs a reason"):
        audit_row(NOW, actor="x", action=action, record_type="source", record_id="s")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a reason"):
        audit_row(
            NOW,
            actor="x",
            action=action,
            record_type="source",
            record_id="s",  # type: ignore[arg-type]
            before="{}",
            reason="a reason",
        )


def test_a_change_carries_no_reason() -> None:
    with pytest.raises(ValueError, match="carries no reason"):
        audit_row(
            NOW,
            actor="x",
            action="create",
            record_type="event",
            record_id="e1",
            after="{}",
            reason="because",
        )


@pytest.mark.parametrize("action", ["pull", "reply"])
def test_an_exchange_with_the_intake_says_what_happened_and_nothing_before(action: str) -> None:
    row = audit_row(
        NOW, actor="desk:amina", action=action, record_type="intake", record_id="x", after="{}"
    )  # type: ignore[arg-type]
    assert (row.before, row.after, row.reason) == (None, "{}", None)
    for wrong in ({"after": None}, {"before": "{}", "after": "{}"}, {"after": "{}", "reason": "r"}):
        with pytest.raises(ValueError, match=action):
            audit_row(
                NOW,
                actor="desk:amina",
                action=action,  # type: ignore[arg-type]
                record_type="intake",
                record_id="x",
                **wrong,
            )
