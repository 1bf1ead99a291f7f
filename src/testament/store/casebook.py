"""The casebook: records in a database, every change in an append-only audit log.

    with Casebook.create("demo/casebook.sqlite") as casebook:
        casebook.add([source, claim], actor="amina")

``Casebook.open`` refuses a file that is not a casebook and a casebook whose schema is older than
this version of testament (``migrate`` brings it up to date, keeping every record).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from testament.core.errors import (
    CasebookError,
    NotACasebookError,
    RecordNotFoundError,
    ReferenceIntegrityError,
    SchemaVersionError,
    VersionConflictError,
)
from testament.core.records import RECORD_TYPES, AnyRecord, EventLink
from testament.store import migrate as migrations
from testament.store.audit import audit_row, insert_audit_rows
from testament.store.engine import make_engine, sqlite_path
from testament.store.evidence import EvidenceStore
from testament.store.files import garbage_collection_paused
from testament.store.inserting import ProgressCallback, replace_side_tables, write_new
from testament.store.integrity import Located, check_batch
from testament.store.rows import from_row, to_row
from testament.store.schema import (
    RECORD_TABLES,
    attachment,
    audit_log,
    casebook_info,
    event_link,
    metadata,
    source_derivation,
)

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class RecordMeta:
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """An evidence file of a source: the original's hash and the stripped working copy's."""

    id: str
    source_id: str
    filename: str | None
    content_type: str | None
    size: int
    sha256: str
    working_sha256: str
    stripped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    batch: str | None
    reason: str | None = None


class Casebook:
    """A casebook database. Use ``create`` or ``open``; close it (or use ``with``) when done."""

    def __init__(self, engine: Engine, location: str, evidence_dir: Path | None = None) -> None:
        self._engine = engine
        self.location = location
        path = sqlite_path(location)
        self._evidence_dir = evidence_dir or (
            path.with_name(path.name + ".evidence") if path is not None else None
        )

    @property
    def evidence(self) -> EvidenceStore:
        """Where attachments' bytes are kept (beside an SQLite file; configured for PostgreSQL)."""
        if self._evidence_dir is None:
            raise CasebookError(
                "this casebook has no evidence folder: open it with an evidence_dir "
                "(--evidence-dir) to store or read attachments"
            )
        return EvidenceStore(self._evidence_dir)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def create(cls, location: str | Path) -> Self:
        """Create a new, empty casebook. Refuses a database that already holds tables."""
        path = sqlite_path(location)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise CasebookError(f"{path} already exists: choose another path or remove it")
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(location)
        try:
            with engine.begin() as connection:
                if inspect(connection).get_table_names():
                    raise CasebookError(
                        f"{location} already holds tables: a new casebook needs an empty database"
                    )
                migrations.upgrade(connection)
        except OperationalError as error:
            engine.dispose()
            raise CasebookError(f"cannot create a casebook at {location}: {error.orig}") from error
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, str(location))

    @classmethod
    def open(cls, location: str | Path, *, evidence_dir: Path | None = None) -> Self:
        """Open an existing casebook at the current schema version."""
        path = sqlite_path(location)
        if path is not None and not path.exists():
            raise CasebookError(
                f"{path} does not exist: create it with `testament init --db {_quoted(path)}`"
            )
        engine = make_engine(location)
        try:
            with engine.connect() as connection:
                _check_is_casebook(connection, str(location))
                current = migrations.current_revision(connection)
        except DBAPIError as error:
            engine.dispose()
            raise NotACasebookError(
                f"{location} is not a testament casebook (the database cannot be read: "
                f"{error.orig})"
            ) from error
        except BaseException:
            engine.dispose()
            raise
        head = migrations.head_revision()
        if current != head:
            engine.dispose()
            if current is not None and _is_older(current, head):
                raise SchemaVersionError(
                    f"{location} uses casebook schema {current}; this testament needs {head}. "
                    f"Back it up, then run `testament migrate --db {_quoted(location)}`."
                )
            raise SchemaVersionError(
                f"{location} uses casebook schema {current}, which this testament does not know "
                f"(it knows up to {head}): use a newer testament"
            )
        return cls(engine, str(location), evidence_dir)

    @classmethod
    def migrate(cls, location: str | Path) -> tuple[str | None, str]:
        """Bring a casebook's schema up to date. Returns (old revision, new revision)."""
        engine = make_engine(location)
        try:
            with engine.begin() as connection:
                _check_is_casebook(connection, str(location))
                before = migrations.current_revision(connection)
                migrations.upgrade(connection)
                return before, migrations.head_revision()
        finally:
            engine.dispose()

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        return self._engine

    # -- writing ------------------------------------------------------------------------------

    def add(
        self,
        records: Sequence[AnyRecord] | Sequence[Located],
        *,
        actor: str,
        progress: ProgressCallback | None = None,
    ) -> str:
        """Add records in one transaction, after checking every reference. Returns the batch id.

        Raises ``ReferenceIntegrityError`` listing every problem, and stores nothing, when an id is
        a duplicate, a reference dangles or ``derived_from`` forms a cycle.
        """
        located = [
            item if isinstance(item, Located) else Located(item, f"record {index + 1}")
            for index, item in enumerate(records)
        ]
        with self._engine.begin() as connection, garbage_collection_paused():
            problems, truncated = check_batch(
                located,
                lambda kind, ids: _existing_ids(connection, kind, ids),
                lambda: _derivations(connection),
            )
            if problems:
                raise ReferenceIntegrityError(
                    "nothing was stored: the records do not fit together",
                    problems,
                    truncated=truncated,
                )
            return write_new(connection, [item.record for item in located], actor, progress)

    def update(self, record: AnyRecord, *, actor: str, expected_version: int | None = None) -> int:
        """Replace a record's content; its version goes up by one. Returns the new version.

        With ``expected_version`` (the version the editor read), a record no longer at it raises
        ``VersionConflictError`` (the current version) and nothing is written: optimistic
        locking. The UPDATE itself tests the version (``WHERE id=? AND version=?``): two editors
        of one version cannot both pass, and the audit row's "before" is the state replaced."""
        table = RECORD_TABLES[record.type]
        with self._engine.begin() as connection:
            read = select(table.c.version).where(table.c.id == record.id)
            version = connection.execute(read).scalar_one_or_none()
            if version is None:
                raise RecordNotFoundError(f"no {record.type} has the id {record.id!r}")
            if expected_version is not None and version != expected_version:
                raise VersionConflictError(record.type, record.id, current_version=int(version))
            before = _load(connection, record.type, record.id)
            problems, truncated = check_batch(
                [Located(record, f"{record.type} {record.id}")],
                lambda kind, ids: (
                    _existing_ids(connection, kind, ids)
                    | ({record.id} if kind == record.type else set())
                ),
                lambda: {k: v for k, v in _derivations(connection).items() if k != record.id},
                limit=50,
            )
            problems = [p for p in problems if "already in the casebook" not in p.message]
            if problems:
                raise ReferenceIntegrityError(
                    "the change was not stored", problems, truncated=truncated
                )
            now = datetime.now(UTC)
            written = connection.execute(
                update(table)
                .where(table.c.id == record.id, table.c.version == version)
                .values(**to_row(record), version=version + 1, updated_at=now, updated_by=actor)
            ).rowcount
            if written != 1:  # another change was committed since ``version`` was read
                current = connection.execute(read).scalar_one()
                raise VersionConflictError(record.type, record.id, current_version=int(current))
            replace_side_tables(connection, record)
            insert_audit_rows(
                connection,
                [
                    audit_row(
                        now,
                        actor=actor,
                        action="update",
                        record_type=record.type,
                        record_id=record.id,
                        before=before.model_dump_json(),
                        after=record.model_dump_json(),
                    )
                ],
            )
            return int(version) + 1

    def add_attachment(
        self,
        source_id: str,
        *,
        original: Path,
        working_copy: Path,
        filename: str | None,
        content_type: str | None,
        stripped: Sequence[str],
        actor: str,
    ) -> Attachment:
        """Keep an evidence file of a source: the original byte for byte, and a working copy.

        The attachment's id is derived from the source and the original's hash, so adding the
        same file to the same source twice (a repeated pull) stores it once.
        """
        original_sha, size = self.evidence.put_file(original)
        working_sha, _ = self.evidence.put_file(working_copy)
        attachment_id = f"{source_id}:{original_sha[:16]}"
        now = datetime.now(UTC)
        row = {
            "id": attachment_id,
            "source_id": source_id,
            "filename": filename,
            "content_type": content_type,
            "size": size,
            "sha256": original_sha,
            "working_sha256": working_sha,
            "stripped": json.dumps(list(stripped), ensure_ascii=False),
            "created_at": now,
            "created_by": actor,
        }
        with self._engine.begin() as connection:
            _load(connection, "source", source_id)  # the source must exist
            exists = connection.execute(
                select(attachment.c.id).where(attachment.c.id == attachment_id)
            ).first()
            if exists is None:
                connection.execute(insert(attachment), [row])
                insert_audit_rows(
                    connection,
                    [
                        audit_row(
                            now,
                            actor=actor,
                            action="create",
                            record_type="attachment",
                            record_id=attachment_id,
                            after=json.dumps(
                                row | {"created_at": now.isoformat()}, ensure_ascii=False
                            ),
                        )
                    ],
                )
        return self.attachments(source_id)[attachment_id]

    def attachments(self, source_id: str) -> dict[str, Attachment]:
        """A source's attachments by id."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(attachment)
                .where(attachment.c.source_id == source_id)
                .order_by(attachment.c.id)
            )
            return {row.id: _attachment(row) for row in rows}

    def all_attachments(self) -> list[Attachment]:
        """Every attachment of every source, by id."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(attachment).order_by(attachment.c.id))
            return [_attachment(row) for row in rows]

    def replace_working_copy(
        self, attachment_id: str, *, working_copy: Path, stripped: Sequence[str], actor: str
    ) -> Attachment:
        """Give an attachment a new working copy (one made again, e.g. after a stripping tool
        was installed) and what was stripped from it; the original is untouched. The change is
        written to the audit log with the working copy's hash and notes before and after.

        Raises:
            RecordNotFoundError: no attachment has this id.
        """
        working_sha, _ = self.evidence.put_file(working_copy)
        notes = json.dumps(list(stripped), ensure_ascii=False)
        now = datetime.now(UTC)
        with self._engine.begin() as connection:
            row = connection.execute(
                select(attachment).where(attachment.c.id == attachment_id)
            ).first()
            if row is None:
                raise RecordNotFoundError(f"no attachment has the id {attachment_id!r}")
            connection.execute(
                update(attachment)
                .where(attachment.c.id == attachment_id)
                .values(working_sha256=working_sha, stripped=notes)
            )

            def state(sha: str, notes_json: str) -> str:
                after = {"working_sha256": sha, "stripped": json.loads(notes_json)}
                return json.dumps(after, ensure_ascii=False)

            insert_audit_rows(
                connection,
                [
                    audit_row(
                        now,
                        actor=actor,
                        action="update",
                        record_type="attachment",
                        record_id=attachment_id,
                        before=state(row.working_sha256, row.stripped),
                        after=state(working_sha, notes),
                    )
                ],
            )
            updated = connection.execute(
                select(attachment).where(attachment.c.id == attachment_id)
            ).one()
            return _attachment(updated)

    def existing_ids(self, record_type: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` name records of ``record_type`` in the casebook."""
        with self._engine.connect() as connection:
            return _existing_ids(connection, record_type, ids)

    def exists(self, record_type: str, record_id: str) -> bool:
        with self._engine.connect() as connection:
            return bool(_existing_ids(connection, record_type, [record_id]))

    # -- reading ------------------------------------------------------------------------------

    def get(self, record_type: str, record_id: str) -> AnyRecord:
        with self._engine.connect() as connection:
            return _load(connection, record_type, record_id)

    def find(self, record_id: str) -> AnyRecord:
        """The record with ``record_id``, whatever its type."""
        with self._engine.connect() as connection:
            for record_type, table in RECORD_TABLES.items():
                if connection.execute(select(table.c.id).where(table.c.id == record_id)).first():
                    return _load(connection, record_type, record_id)
        raise RecordNotFoundError(f"no record has the id {record_id!r}")

    def meta(self, record_type: str, record_id: str) -> RecordMeta:
        table = RECORD_TABLES[record_type]
        with self._engine.connect() as connection:
            row = connection.execute(
                select(
                    table.c.version,
                    table.c.created_at,
                    table.c.created_by,
                    table.c.updated_at,
                    table.c.updated_by,
                ).where(table.c.id == record_id)
            ).first()
        if row is None:
            raise RecordNotFoundError(f"no {record_type} has the id {record_id!r}")
        return RecordMeta(*row)

    def records(self, record_type: str) -> Iterator[AnyRecord]:
        """Every record of one type, in id order, streamed."""
        table = RECORD_TABLES[record_type]
        with self._engine.connect() as connection:
            derivations = _derivations(connection) if record_type == "source" else {}
            chains = _chains(connection) if record_type == "event" else {}
            result = connection.execution_options(yield_per=5000).execute(
                select(table).order_by(table.c.id)
            )
            for row in result.mappings():
                yield from_row(
                    record_type,
                    dict(row),
                    derivations.get(row["id"], ()),
                    chains.get(row["id"], ()),
                )

    def table_rows(self, table_name: str, *columns: str) -> list[tuple[Any, ...]]:
        """Plain tuples of some columns of a table, for analyses that work on arrays."""
        table = metadata.tables[table_name]
        with self._engine.connect() as connection:
            result = connection.execute(select(*(table.c[name] for name in columns)))
            return [tuple(row) for row in result]

    def count(self, record_type: str) -> int:
        table = RECORD_TABLES[record_type]
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())

    def counts(self) -> dict[str, int]:
        return {record_type: self.count(record_type) for record_type in RECORD_TABLES}

    def audit(
        self,
        record_id: str | None = None,
        *,
        limit: int | None = None,
        record_type: str | None = None,
    ) -> list[AuditEntry]:
        """Audit entries, oldest first; only those of ``record_id`` (and ``record_type``: then
        the log's index finds them without reading the whole log) when given."""
        query = select(audit_log).order_by(audit_log.c.seq)
        if record_id is not None:
            query = query.where(audit_log.c.record_id == record_id)
        if record_type is not None:
            query = query.where(audit_log.c.record_type == record_type)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as connection:
            return [
                AuditEntry(
                    seq=row.seq,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    record_type=row.record_type,
                    record_id=row.record_id,
                    before=json.loads(row.before) if row.before else None,
                    after=json.loads(row.after) if row.after else None,
                    batch=row.batch,
                    reason=row.reason,
                )
                for row in connection.execute(query)
            ]


# -- helpers (module level so that import code can share them inside one transaction) --------


def _check_is_casebook(connection: Connection, location: str) -> None:
    tables = set(inspect(connection).get_table_names())
    if "casebook_info" not in tables:
        path = sqlite_path(location)
        create = "a casebook in an empty database with `testament init --db URL`"
        if path is not None:
            new = path.with_suffix(".casebook.sqlite")
            create = f"a new casebook with `testament init --db {_quoted(new)}`"
        raise NotACasebookError(
            f"{location} is not a testament casebook (it has no casebook_info table): "
            f"check --db, or create {create}"
        )
    application = connection.execute(
        select(casebook_info.c.value).where(casebook_info.c.key == "application")
    ).scalar_one_or_none()
    if application != "testament":
        raise NotACasebookError(f"{location} is not a testament casebook")


def _quoted(location: str | Path) -> str:
    """``location`` as it must be typed in a shell (the hints in messages are run as shown)."""
    return shlex.quote(str(location))


def _is_older(current: str, head: str) -> bool:
    return current.isdigit() and head.isdigit() and int(current) < int(head)


def _existing_ids(connection: Connection, record_type: str, ids: Iterable[str]) -> set[str]:
    table = RECORD_TABLES[record_type]
    wanted = list(ids)
    found: set[str] = set()
    if not wanted or connection.execute(select(table.c.id).limit(1)).first() is None:
        return found  # an empty table holds none of them: skip thousands of lookups
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(connection.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found


def _derivations(connection: Connection) -> dict[str, tuple[str, ...]]:
    derived: dict[str, list[str]] = {}
    query = select(source_derivation).order_by(
        source_derivation.c.source_id, source_derivation.c.position
    )
    for row in connection.execute(query):
        derived.setdefault(row.source_id, []).append(row.derived_from_id)
    return {key: tuple(value) for key, value in derived.items()}


def _chains(connection: Connection) -> dict[str, tuple[EventLink, ...]]:
    chains: dict[str, list[EventLink]] = {}
    query = select(event_link).order_by(event_link.c.event_id, event_link.c.position)
    for row in connection.execute(query):
        chains.setdefault(row.event_id, []).append(
            EventLink(relation=row.relation, event_id=row.other_event_id)
        )
    return {key: tuple(value) for key, value in chains.items()}


def _load(connection: Connection, record_type: str, record_id: str) -> AnyRecord:
    if record_type not in RECORD_TABLES:
        raise RecordNotFoundError(f"there is no record type {record_type!r}")
    table = RECORD_TABLES[record_type]
    row = connection.execute(select(table).where(table.c.id == record_id)).mappings().first()
    if row is None:
        raise RecordNotFoundError(f"no {record_type} has the id {record_id!r}")
    derived: tuple[str, ...] = ()
    chain: tuple[EventLink, ...] = ()
    if record_type == "source":
        derived = tuple(
            connection.execute(
                select(source_derivation.c.derived_from_id)
                .where(source_derivation.c.source_id == record_id)
                .order_by(source_derivation.c.position)
            ).scalars()
        )
    if record_type == "event":
        chain = tuple(
            EventLink(relation=link.relation, event_id=link.other_event_id)
            for link in connection.execute(
                select(event_link)
                .where(event_link.c.event_id == record_id)
                .order_by(event_link.c.position)
            )
        )
    return from_row(record_type, dict(row), derived, chain)


__all__ = ["RECORD_TYPES", "Attachment", "AuditEntry", "Casebook", "RecordMeta"]


def _attachment(row: Any) -> Attachment:
    return Attachment(
        id=row.id,
        source_id=row.source_id,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        working_sha256=row.working_sha256,
        stripped=tuple(json.loads(row.stripped)),
    )
