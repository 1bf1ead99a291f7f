"""What the intake keeps, and nothing more: a small SQLite database and a folder of ciphertext.

Kept: lookup ids (argon2id output, not the codename), each source's public age recipient, an
opaque random handle per source for the desk, ciphertext blobs under random names, and the day
(never the time) things arrived. Not kept: codenames, IP addresses, user agents, file names,
sizes of plaintext, anything in the clear.

- SQLite runs with ``secure_delete=ON`` and the rollback journal (not WAL), so deleted rows are
  overwritten with zeros instead of lingering in free pages or a write-ahead log.
- A blob is written under ``incoming/`` while it streams in and moved into ``blobs/`` (same
  file system, atomic rename) only when its whole submission is complete; ``open_store`` deletes
  whatever an interrupted upload left in ``incoming/`` (ciphertext fragments only).
- Acknowledged submissions are deleted ``retention_days`` after the acknowledgement.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from testament.crypto.items import ItemKind
from testament.intake.errors import UnknownRecordError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    lookup_id TEXT PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(handle),
    received TEXT NOT NULL,
    acknowledged TEXT
);
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    submission TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('message', 'file')),
    size INTEGER NOT NULL,
    blob TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS replies (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(handle),
    created TEXT NOT NULL,
    blob TEXT NOT NULL UNIQUE
);
"""


def today() -> str:
    """The current UTC day: the only kind of timestamp the intake stores."""
    return datetime.now(UTC).date().isoformat()


def random_name() -> str:
    """A random name for a blob, an id or a handle (128 bits, URL-safe)."""
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class StoredItem:
    id: str
    kind: ItemKind
    size: int


@dataclass(frozen=True, slots=True)
class PendingSubmission:
    id: str
    source: str
    source_recipient: str
    received: str
    items: tuple[StoredItem, ...]


@dataclass(frozen=True, slots=True)
class StoredReply:
    id: str
    created: str
    path: Path


@dataclass(frozen=True, slots=True)
class CompletedItem:
    """A blob fully written under ``incoming/``, waiting to be committed with its submission."""

    kind: ItemKind
    size: int
    incoming_path: Path


class IntakeStore:
    """The intake's database and blob folders. One instance per process; thread-safe by locking
    nothing: every method opens its own short-lived connection (SQLite serialises writers)."""

    def __init__(self, folder: Path) -> None:
        self.database = folder / "intake.sqlite"
        self.blobs = folder / "blobs"
        self.incoming = folder / "incoming"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.database, timeout=30)) as connection:
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                yield connection

    def initialise(self) -> None:
        """Create folders and tables; delete what an interrupted upload left in ``incoming/``."""
        for folder in (self.blobs, self.incoming):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for leftover in self.incoming.iterdir():
            leftover.unlink()
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
            connection.executescript(_SCHEMA)
        self.sweep_orphans()

    def new_incoming_path(self) -> Path:
        return self.incoming / random_name()

    # sources ---------------------------------------------------------------------------------

    def source_recipient(self, lookup_id: str) -> str | None:
        """The recipient stored for ``lookup_id``, or None when no such source exists yet."""
        with self._connect() as connection:
            row = connection.execute(
                "SELECT recipient FROM sources WHERE lookup_id = ?", (lookup_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def register_source(self, lookup_id: str, recipient: str) -> None:
        """Record a source when its codename is issued, not only at its first submission: a
        source who leaves before sending anything (or whose session runs out while writing)
        must be able to log in again with the codename it was given."""
        with self._connect() as connection:
            self._ensure_source(connection, lookup_id, recipient)

    def _ensure_source(self, connection: sqlite3.Connection, lookup_id: str, recipient: str) -> str:
        row = connection.execute(
            "SELECT handle FROM sources WHERE lookup_id = ?", (lookup_id,)
        ).fetchone()
        if row is not None:
            return str(row[0])
        handle = random_name()
        connection.execute(
            "INSERT INTO sources (lookup_id, handle, recipient, created) VALUES (?, ?, ?, ?)",
            (lookup_id, handle, recipient, today()),
        )
        return handle

    # submissions -----------------------------------------------------------------------------

    def commit_submission(
        self, lookup_id: str, recipient: str, items: Sequence[CompletedItem]
    ) -> str:
        """Move the items' blobs into place and record the submission; return its id.

        Blobs are renamed into ``blobs/`` inside the transaction that writes their rows, so the
        desk sees a submission with all its items or not at all. A crash between a rename and
        the commit leaves a blob no row names; ``initialise`` sweeps those away.
        """
        submission = random_name()
        with self._connect() as connection:
            source = self._ensure_source(connection, lookup_id, recipient)
            connection.execute(
                "INSERT INTO submissions (id, source, received) VALUES (?, ?, ?)",
                (submission, source, today()),
            )
            for position, item in enumerate(items):
                blob = random_name()
                connection.execute(
                    "INSERT INTO items (id, submission, position, kind, size, blob)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (random_name(), submission, position, item.kind, item.size, blob),
                )
                item.incoming_path.replace(self.blobs / blob)
        return submission

    def sweep_orphans(self) -> int:
        """Delete blobs that no row names (left by a crash between rename and commit)."""
        with self._connect() as connection:
            named = {row[0] for row in connection.execute("SELECT blob FROM items")}
            named |= {row[0] for row in connection.execute("SELECT blob FROM replies")}
        removed = 0
        for blob in self.blobs.iterdir():
            if blob.name not in named:
                blob.unlink()
                removed += 1
        return removed

    def pending_submissions(self) -> list[PendingSubmission]:
        """Submissions the desk has not acknowledged yet, oldest first."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT s.id, s.source, src.recipient, s.received FROM submissions s"
                " JOIN sources src ON src.handle = s.source"
                " WHERE s.acknowledged IS NULL ORDER BY s.received, s.rowid"
            ).fetchall()
            result = []
            for submission, source, recipient, received in rows:
                items = connection.execute(
                    "SELECT id, kind, size FROM items WHERE submission = ? ORDER BY position",
                    (submission,),
                ).fetchall()
                result.append(
                    PendingSubmission(
                        submission,
                        source,
                        recipient,
                        received,
                        tuple(StoredItem(i, k, s) for i, k, s in items),
                    )
                )
        return result

    def item_path(self, item_id: str) -> Path:
        """Where the ciphertext of ``item_id`` is; UnknownRecordError when it does not exist."""
        with self._connect() as connection:
            row = connection.execute("SELECT blob FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownRecordError("no such item")
        return self.blobs / str(row[0])

    def acknowledge(self, submission: str) -> None:
        """Mark ``submission`` as received by the desk (idempotent: the first day is kept)."""
        with self._connect() as connection:
            found = connection.execute(
                "UPDATE submissions SET acknowledged = coalesce(acknowledged, ?) WHERE id = ?",
                (today(), submission),
            ).rowcount
        if not found:
            raise UnknownRecordError("no such submission")

    def purge_acknowledged(self, retention_days: int, *, on: date | None = None) -> int:
        """Delete submissions acknowledged more than ``retention_days`` ago; return how many."""
        cutoff = ((on or datetime.now(UTC).date()) - timedelta(days=retention_days)).isoformat()
        with self._connect() as connection:
            doomed = [
                row[0]
                for row in connection.execute(
                    "SELECT id FROM submissions WHERE acknowledged IS NOT NULL"
                    " AND acknowledged <= ?",
                    (cutoff,),
                )
            ]
            for submission in doomed:
                for (blob,) in connection.execute(
                    "SELECT blob FROM items WHERE submission = ?", (submission,)
                ).fetchall():
                    (self.blobs / blob).unlink(missing_ok=True)
                connection.execute("DELETE FROM submissions WHERE id = ?", (submission,))
        return len(doomed)

    # replies ---------------------------------------------------------------------------------

    def source_exists(self, handle: str) -> bool:
        with self._connect() as connection:
            row = connection.execute("SELECT 1 FROM sources WHERE handle = ?", (handle,)).fetchone()
        return row is not None

    def add_reply(self, handle: str, incoming_path: Path) -> str:
        """Record a reply (ciphertext already written to ``incoming_path``); return its id."""
        reply, blob = random_name(), random_name()
        with self._connect() as connection:
            if connection.execute("SELECT 1 FROM sources WHERE handle = ?", (handle,)).fetchone():
                connection.execute(
                    "INSERT INTO replies (id, source, created, blob) VALUES (?, ?, ?, ?)",
                    (reply, handle, today(), blob),
                )
                incoming_path.replace(self.blobs / blob)
                return reply
        incoming_path.unlink(missing_ok=True)
        raise UnknownRecordError("no such source")

    def replies_for(self, lookup_id: str) -> list[StoredReply]:
        """The replies to the source with ``lookup_id``, oldest first."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT r.id, r.created, r.blob FROM replies r"
                " JOIN sources s ON s.handle = r.source WHERE s.lookup_id = ?"
                " ORDER BY r.created, r.rowid",
                (lookup_id,),
            ).fetchall()
        return [StoredReply(i, c, self.blobs / b) for i, c, b in rows]
