"""Reading records on the desk: one record, lists of one type, references between them, the
audit of who opened which secret record and why, and the audit log page.

Every read goes through ``access.visible``; a record a role may not see is answered exactly like
one that does not exist. Opening a secret record (``access.needs_reason``) writes one audit row
(action ``view``, or ``download`` for an attachment) with the reviewer and the reason they gave.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from testament.core.records import AnyRecord
from testament.core.vocabulary import Language, vocabulary
from testament.desk.access import Role, needs_reason, visible
from testament.desk.accounts import User, aware
from testament.store import Casebook
from testament.store.audit import audit_row, insert_audit_rows
from testament.store.schema import RECORD_TABLES, audit_log, desk_read

PAGE_SIZE = 50
MAX_REASON_CHARS = 500
MIN_REASON_CHARS = 5

#: Fields holding a vocabulary code, and the vocabulary of their labels.
VOCABULARY_OF_FIELD = {
    "kind": "source_kind",
    "connection": "informant_connection",
    "reliability": "reliability",
    "risk": "risk_level",
    "stance": "stance",
    "basis": "basis",
    "act_type": "act_type",
    "status_at_end": "act_status_at_end",
    "sex": "sex",
    "age_band": "age_band",
    "org_type": "organisation_type",
    "degree": "involvement_degree",
    "precision": "place_precision",
    "confidentiality": "confidentiality",
}

#: Fields referring to other records, and the record types they may point to.
REFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "source_id": ("source",),
    "informant_id": ("informant",),
    "event_id": ("event",),
    "act_id": ("act",),
    "place_id": ("place",),
    "parent_id": ("organisation",),
    "victim_id": ("person", "group"),
    "perpetrator_id": ("organisation", "person"),
    "derived_from": ("source",),
}

#: The field that names a record in lists (shown only for records that are not secret).
LABEL_FIELD = {
    "source": "title",
    "informant": "pseudonym",
    "person": "pseudonym",
    "group": "pseudonym",
    "organisation": "name",
    "place": "name",
    "event": "title",
    "act": "act_type",
    "involvement": "degree",
    "claim": "stance",
    "assessment": "status",
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A record a role may see, and whether opening it takes a reason."""

    record_type: str
    record_id: str
    confidentiality: str
    needs_reason: bool


@dataclass(frozen=True, slots=True)
class Reference:
    """A link from a field to another record: ``record_type`` None when it is not visible."""

    record_id: str
    record_type: str | None


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class ListRow:
    record_id: str
    label: str | None
    confidentiality: str


@dataclass(frozen=True, slots=True)
class ListPage:
    record_type: str
    rows: list[ListRow]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_id: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    page: int
    pages: int


def shown(engine: Engine, role: Role, record_type: str, record_id: str) -> Shown | None:
    """The record if ``role`` may see it, else None (also for an unknown type or id)."""
    table = RECORD_TABLES.get(record_type)
    if table is None:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(table.c.confidentiality).where(
                table.c.id == record_id, visible(role, record_type, table)
            )
        ).first()
    if row is None:
        return None
    return Shown(record_type, record_id, row.confidentiality, needs_reason(record_type, row[0]))


def clean_reason(reason: str | None) -> str | None:
    """The reason as stored (whitespace tidied, at most 500 characters), or None if too short."""
    text = " ".join((reason or "").split())[:MAX_REASON_CHARS]
    return text if len(text) >= MIN_REASON_CHARS else None


def record_opening(
    engine: Engine,
    user: User,
    record: Shown,
    *,
    action: Literal["view", "download"],
    reason: str,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Write who opened which secret record (or downloaded which of its files) and why."""
    row = audit_row(
        now,
        actor=user.actor,
        action=action,
        record_type=record.record_type,
        record_id=record.record_id,
        after=json.dumps({"attachment": detail}) if detail else None,
        reason=reason,
    )
    with engine.begin() as connection:
        insert_audit_rows(connection, [row])


def mark_read(engine: Engine, user_id: int, source_id: str, now: datetime) -> None:
    """Note that this user has read this testimony (once; reading again changes nothing)."""
    values = {"user_id": user_id, "source_id": source_id, "read_at": now}
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            statement: Any = pg_insert(desk_read).values(**values).on_conflict_do_nothing()
        else:
            statement = sqlite_insert(desk_read).values(**values).on_conflict_do_nothing()
        connection.execute(statement)


def _text(name: str, value: Any, language: Language) -> str:
    if value is None:
        return ""
    vocabulary_name = VOCABULARY_OF_FIELD.get(name)
    if vocabulary_name is not None and isinstance(value, str):
        try:
            return vocabulary(vocabulary_name).label(value, language)
        except KeyError:
            return value
    if isinstance(value, dict) and "edtf" in value:
        words = value.get("as_reported")
        return f"{value['edtf']} ({words})" if words else str(value["edtf"])
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return "; ".join(_text(name, item, language) for item in value)
    return str(value)


def _reference_targets(record: AnyRecord, name: str) -> tuple[str, ...]:
    if name == "target_id":
        return (str(getattr(record, "target_kind", "")),)
    return REFERENCE_FIELDS.get(name, ())


def fields(casebook: Casebook, role: Role, record: AnyRecord, language: Language) -> list[Field]:
    """The record's fields as text, references resolved to what ``role`` may open."""
    data = record.model_dump(mode="json", exclude={"type", "id"})
    result = []
    for name, value in data.items():
        targets = _reference_targets(record, name)
        if targets and value:
            ids = value if isinstance(value, list) else [value]
            references = tuple(
                Reference(str(target_id), _visible_type(casebook.engine, role, targets, target_id))
                for target_id in ids
            )
            result.append(Field(name, "", references))
        else:
            result.append(Field(name, _text(name, value, language)))
    return result


def _visible_type(
    engine: Engine, role: Role, candidates: tuple[str, ...], record_id: str
) -> str | None:
    for record_type in candidates:
        if shown(engine, role, record_type, record_id) is not None:
            return record_type
    return None


def record_list(
    engine: Engine, role: Role, record_type: str, page: int, language: Language = "en"
) -> ListPage:
    """One page of the records of ``record_type`` that ``role`` may see, by id, each named by
    its label field (a vocabulary label in ``language`` where the field holds a code)."""
    table = RECORD_TABLES[record_type]
    where = visible(role, record_type, table)
    label_column = table.c[LABEL_FIELD[record_type]]
    with engine.connect() as connection:
        total = int(
            connection.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        )
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        rows = connection.execute(
            select(table.c.id, table.c.confidentiality, label_column.label("label"))
            .where(where)
            .order_by(table.c.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
    return ListPage(
        record_type=record_type,
        rows=[
            ListRow(
                record_id=row.id,
                # a secret record's name is part of what the reason guards
                label=None
                if needs_reason(record_type, row.confidentiality)
                else _text(LABEL_FIELD[record_type], row.label, language),
                confidentiality=row.confidentiality,
            )
            for row in rows
        ],
        page=page,
        pages=pages,
        total=total,
    )


def audit_page(engine: Engine, page: int) -> AuditPage:
    """One page of the audit log, newest first (who did what to which record, and why).

    The records' contents before and after are not shown here: they may be secret."""
    with engine.connect() as connection:
        total = int(connection.execute(select(func.count()).select_from(audit_log)).scalar_one())
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        rows = connection.execute(
            select(
                audit_log.c.seq,
                audit_log.c.at,
                audit_log.c.actor,
                audit_log.c.action,
                audit_log.c.record_type,
                audit_log.c.record_id,
                audit_log.c.reason,
            )
            .order_by(audit_log.c.seq.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
    return AuditPage(
        rows=[
            AuditRow(
                seq=row.seq,
                at=aware(row.at),
                actor=row.actor,
                action=row.action,
                record_type=row.record_type,
                record_id=row.record_id,
                reason=row.reason,
            )
            for row in rows
        ],
        page=page,
        pages=pages,
    )


#: A field's value as the pages show it (vocabulary labels in ``language``), for the editing
#: pages' differences; and the record types a reference field may point to.
value_text = _text
reference_targets = _reference_targets
