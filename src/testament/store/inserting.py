"""Writing new records in bulk, and the side tables that hold a record's lists.

Split from ``casebook.py`` (which calls these inside its own transactions) to keep that module
small: ``write_new`` is the import path (a million rows through the driver's executemany, indexes
rebuilt after a big batch, one audit row per record), ``replace_side_tables`` rewrites a source's
``derived_from`` and an event's chain when the record is updated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

from testament.core.records import AnyRecord, Event, Organisation, Source
from testament.store.audit import AUDIT_COLUMNS, audit_row
from testament.store.rows import tuple_builder
from testament.store.schema import RECORD_TABLES, audit_log, event_link, source_derivation

ProgressCallback = Callable[[int], None]


def _parents_first(organisations: list[AnyRecord]) -> list[AnyRecord]:
    """Organisations ordered so that a parent is inserted before its children."""
    by_id = {record.id: record for record in organisations}
    ordered: list[AnyRecord] = []
    placed: set[str] = set()

    def place(record: AnyRecord) -> None:
        chain: list[AnyRecord] = []
        current: AnyRecord | None = record
        while current is not None and current.id not in placed and current not in chain:
            chain.append(current)
            parent = current.parent_id if isinstance(current, Organisation) else None
            current = by_id.get(parent) if parent else None
        for item in reversed(chain):
            placed.add(item.id)
            ordered.append(item)

    for record in organisations:
        place(record)
    return ordered


def replace_side_tables(connection: Connection, record: AnyRecord) -> None:
    if isinstance(record, Source):
        connection.execute(
            source_derivation.delete().where(source_derivation.c.source_id == record.id)
        )
        _insert_derivations(connection, [record])
    if isinstance(record, Event):
        connection.execute(event_link.delete().where(event_link.c.event_id == record.id))
        _insert_chains(connection, [record])


def _insert_derivations(connection: Connection, sources: Sequence[AnyRecord]) -> None:
    rows = [
        {"source_id": record.id, "position": position, "derived_from_id": target}
        for record in sources
        if isinstance(record, Source)
        for position, target in enumerate(record.derived_from)
    ]
    if rows:
        connection.execute(insert(source_derivation), rows)


def _insert_chains(connection: Connection, events: Sequence[AnyRecord]) -> None:
    rows = [
        {
            "event_id": record.id,
            "position": position,
            "relation": link.relation.value,
            "other_event_id": link.event_id,
        }
        for record in events
        if isinstance(record, Event)
        for position, link in enumerate(record.chain)
    ]
    if rows:
        connection.execute(insert(event_link), rows)


_REBUILD_INDEXES_FROM = 50_000
_META_COLUMNS = ("version", "created_at", "created_by", "updated_at", "updated_by")


def _bulk_insert(
    connection: Connection, table_name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """executemany straight on the driver: a million rows through SQLAlchemy's per-row parameter
    processing would take most of an import's time.

    Only names from our own table definitions reach the statement; values are parameters.
    """
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"  # the driver's style
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    values = ", ".join([marker] * len(columns))
    statement = f"INSERT INTO {table_name} ({quoted}) VALUES ({values})"  # noqa: S608
    connection.exec_driver_sql(statement, rows)


def _timestamp(connection: Connection, moment: datetime) -> Any:
    """A timestamp as the driver needs it: SQLite stores SQLAlchemy's text format."""
    if connection.dialect.name == "sqlite":
        return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def write_new(
    connection: Connection,
    records: Sequence[AnyRecord],
    actor: str,
    progress: ProgressCallback | None,
    *,
    batch_size: int = 20_000,
) -> str:
    """Insert new records, type by type in reference order, with one audit entry each."""
    batch = uuid.uuid4().hex
    now = _timestamp(connection, datetime.now(UTC))
    by_type: dict[str, list[AnyRecord]] = {}
    for record in records:
        by_type.setdefault(record.type, []).append(record)
    if "organisation" in by_type:
        by_type["organisation"] = _parents_first(by_type["organisation"])
    with _indexes_rebuilt_after(connection, by_type):
        _insert_groups(
            connection,
            by_type,
            actor=actor,
            now=now,
            batch=batch,
            progress=progress,
            batch_size=batch_size,
        )
    _insert_derivations(connection, by_type.get("source", []))
    _insert_chains(connection, by_type.get("event", []))
    return batch


@contextmanager
def _indexes_rebuilt_after(
    connection: Connection, by_type: dict[str, list[AnyRecord]]
) -> Iterator[None]:
    """For a big batch, drop secondary indexes and build them again after the inserts.

    Keeping an index up to date row by row costs a random B-tree insert per row; building it
    once at the end sorts instead, several times faster for a million rows. DDL is
    transactional in SQLite and PostgreSQL, so a failed import leaves the indexes as they were.
    """
    big = [t for t, records in by_type.items() if len(records) >= _REBUILD_INDEXES_FROM]
    tables = [RECORD_TABLES[t] for t in big]
    if big:
        tables.append(audit_log)
    indexes = [index for table in tables for index in table.indexes]
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


def _insert_groups(
    connection: Connection,
    by_type: dict[str, list[AnyRecord]],
    *,
    actor: str,
    now: Any,
    batch: str,
    progress: ProgressCallback | None,
    batch_size: int,
) -> None:
    meta = (1, now, actor, now, actor)
    for record_type, table in RECORD_TABLES.items():
        group = by_type.get(record_type, [])
        if not group:
            continue
        columns, build = tuple_builder(
            record_type, [c.name for c in table.columns if c.name not in _META_COLUMNS]
        )
        for start in range(0, len(group), batch_size):
            chunk = group[start : start + batch_size]
            _bulk_insert(
                connection,
                table.name,
                [*columns, *_META_COLUMNS],
                [(*build(record), *meta) for record in chunk],
            )
            _bulk_insert(
                connection,
                "audit_log",
                AUDIT_COLUMNS,
                [
                    audit_row(
                        now,
                        actor=actor,
                        action="create",
                        record_type=record_type,
                        record_id=record.id,
                        after=record.model_dump_json(),
                        batch=batch,
                    )
                    for record in chunk
                ],
            )
            if progress is not None:
                progress(len(chunk))
