"""The one builder of audit-log rows, for every writer of the store.

Every change to a casebook (records added or edited, evidence attached, persons linked) leaves a
row in ``audit_log`` that says who did what to which record, when, and what the record was before
and after. Those rows used to be built in four places, each spelling the columns its own way; a
fifth writer (the desk) would have made a fifth. Now each builds its rows with ``audit_row``,
which also holds the log's invariants: a creation has nothing before it, a deletion nothing
after it, an update both. The database's triggers keep the rows from being changed later
(migration 0001); this module keeps them well-formed when written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import Connection, insert

from testament.store.schema import audit_log

#: ``view`` and ``download`` are the desk's: a reviewer opened a secret record, or downloaded one
#: of its files, for the ``reason`` written with it (migration 0003). They change nothing.
#: ``pull`` and ``reply`` are the desk's exchanges with the intake: submissions pulled into the
#: casebook (record type ``intake``, what was stored in ``after``), a reply sent to a source
#: (record type ``desk_reply``, who and to which source in ``after``; migration 0005). They are
#: events, not states of a record: something ``after``, nothing before, no reason.
AuditAction = Literal["create", "update", "delete", "view", "download", "pull", "reply"]
_READS = ("view", "download")
_EVENTS = ("pull", "reply")


class AuditRow(NamedTuple):
    """One row of ``audit_log``, its fields in the table's column order (for bulk inserts).

    ``at`` is a ``datetime``, or on the bulk path the driver's own text form of it; ``before``
    and ``after`` are the record as JSON.
    """

    at: datetime | str
    actor: str
    action: AuditAction
    record_type: str
    record_id: str
    before: str | None
    after: str | None
    batch: str | None
    reason: str | None = None


AUDIT_COLUMNS: tuple[str, ...] = AuditRow._fields


def audit_row(
    at: datetime | str,
    *,
    actor: str,
    action: AuditAction,
    record_type: str,
    record_id: str,
    before: str | None = None,
    after: str | None = None,
    batch: str | None = None,
    reason: str | None = None,
) -> AuditRow:
    """A row of the audit log: ``actor`` did ``action`` to the record, ``before`` -> ``after``.

    ``batch`` groups the rows of one operation (an import, a linkage run). A ``view`` or
    ``download`` (the desk opening a secret record) carries the reviewer's ``reason`` and no
    states; ``after`` may name the file downloaded. A ``pull`` or ``reply`` says in ``after``
    (JSON) what happened.

    Raises:
        ValueError: the states do not fit the action (a programming error, never a user's).
    """
    if action in _READS:
        if not reason or before is not None:
            raise ValueError(f"an audit row of a {action!r} needs a reason and no record before")
        return AuditRow(at, actor, action, record_type, record_id, None, after, batch, reason)
    if reason is not None:
        raise ValueError(f"an audit row of a {action!r} carries no reason")
    if action in _EVENTS:
        if before is not None or after is None:
            raise ValueError(f"an audit row of a {action!r} needs what happened after, no before")
        return AuditRow(at, actor, action, record_type, record_id, None, after, batch)
    if (before is None) != (action == "create") or (after is None) != (action == "delete"):
        raise ValueError(
            f"an audit row of a {action!r} needs "
            + {
                "create": "the record after it and nothing before",
                "update": "the record before and after it",
                "delete": "the record before it and nothing after",
            }[action]
        )
    return AuditRow(at, actor, action, record_type, record_id, before, after, batch)


def insert_audit_rows(connection: Connection, rows: Sequence[AuditRow]) -> None:
    """Write ``rows`` to the audit log, in the caller's transaction."""
    if rows:
        connection.execute(insert(audit_log), [row._asdict() for row in rows])
