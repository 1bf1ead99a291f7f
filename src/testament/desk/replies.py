"""Replies sent to sources, recorded in the casebook so that colleagues know what was promised.

The intake keeps a reply only as ciphertext for the source's own key: once sent, the desk cannot
read it back from there. So every reply sent from the desk, by ``testament desk reply`` or the
web form, is recorded here in one place (``record_reply``), in one transaction with its audit
row: the intake's id of the reply, the source it answers, its author, when (UTC), and its text.

The text inherits the source's confidentiality: the desk shows replies only on the source's page,
to those who may see the source. The audit row (action ``reply``, record type ``desk_reply``)
names the reply, the source and the author but not the text: the audit log is read by
administrators whatever a source's level, and it can never be cleaned of what is written to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from testament.desk.accounts import aware
from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts
from testament.desk.reply import send_reply
from testament.store import Casebook
from testament.store.audit import audit_row, insert_audit_rows
from testament.store.schema import desk_reply


@dataclass(frozen=True, slots=True)
class RecordedReply:
    """A reply as the casebook keeps it."""

    id: str
    source_id: str
    author: str
    sent_at: datetime
    text: str


def record_reply(
    casebook: Casebook, reply_id: str, source_id: str, text: str, *, author: str, now: datetime
) -> RecordedReply:
    """Record that ``author`` sent ``text`` (as sent: stripped) to ``source_id`` at ``now``, and
    audit it, in one transaction."""
    recorded = RecordedReply(reply_id, source_id, author, now, text.strip())
    row = audit_row(
        now,
        actor=f"desk:{author}",
        action="reply",
        record_type="desk_reply",
        record_id=reply_id,
        after=json.dumps(
            {"source_id": source_id, "author": author, "sent_at": now.isoformat()},
            ensure_ascii=False,
        ),
    )
    with casebook.engine.begin() as connection:
        connection.execute(
            insert(desk_reply).values(
                id=recorded.id,
                source_id=recorded.source_id,
                author=recorded.author,
                sent_at=recorded.sent_at,
                text=recorded.text,
            )
        )
        insert_audit_rows(connection, [row])
    return recorded


def send_and_record(
    client: IntakeClient,
    casebook: Casebook,
    contacts: Contacts,
    source_id: str,
    text: str,
    *,
    author: str,
    now: datetime,
    copy_to: Sequence[str] = (),
) -> RecordedReply:
    """Send a reply (``reply.send_reply``) and record it. Nothing is recorded when sending fails
    (the intake unreachable, an empty or too long text, an unknown source): ``DeskError``."""
    sent = send_reply(client, contacts, source_id, text, copy_to=copy_to)
    return record_reply(casebook, sent.id, source_id, text, author=author, now=now)


def replies_of(engine: Engine, source_id: str) -> list[RecordedReply]:
    """The replies recorded for ``source_id``, oldest first. The caller has checked that the
    reader may see the source (``access``): the replies are as confidential as it is."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(desk_reply)
            .where(desk_reply.c.source_id == source_id)
            .order_by(desk_reply.c.sent_at, desk_reply.c.id)
        ).all()
    return [
        RecordedReply(row.id, row.source_id, row.author, aware(row.sent_at), row.text)
        for row in rows
    ]
