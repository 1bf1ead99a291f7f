"""Reviewers' decisions on pairs of persons, and each linkage run's queue of uncertain pairs.

A decision says that two person records are the ``same`` person or ``different`` people. One row
per pair is kept (``link_decision``): a later decision on the same pair replaces the earlier one,
and the audit log keeps both (an ``update`` row with the decision before and after), so the table
answers "what stands now" and the log "who decided what, when". Linkage never reads a decision
as a merge: the next run links or separates the two records and stores links, as always.

The store knows nothing of how pairs are named or scored (``testament.link`` does): callers pass
the pair id with the two person ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, delete, insert, select

from testament.core.errors import InputError, RecordNotFoundError
from testament.store.audit import audit_row, insert_audit_rows
from testament.store.casebook import Casebook
from testament.store.schema import link_decision, person_link

LinkVerdict = Literal["same", "different"]
VERDICTS: tuple[LinkVerdict, ...] = ("same", "different")
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """One pair's standing decision."""

    pair_id: str
    person_id_l: str
    person_id_r: str
    verdict: LinkVerdict
    decided_by: str
    decided_at: datetime
    note: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "person_id_l": self.person_id_l,
                "person_id_r": self.person_id_r,
                "verdict": self.verdict,
                "decided_by": self.decided_by,
                "decided_at": self.decided_at.isoformat(),
                "note": self.note,
            },
            ensure_ascii=False,
        )


def record_decision(
    casebook: Casebook,
    pair: str,
    left: str,
    right: str,
    verdict: str,
    *,
    actor: str,
    now: datetime,
    note: str = "",
) -> StoredDecision:
    """Store ``actor``'s decision that persons ``left`` and ``right`` are the same or different.

    Replaces an earlier decision on the pair; either way one audit row is written in the same
    transaction (``create`` for the first decision, ``update`` with before and after later).

    Raises:
        InputError: the verdict is neither ``same`` nor ``different``, the two ids are one
            person, or the note is too long.
        RecordNotFoundError: either person does not exist.
    """
    if verdict not in VERDICTS:
        raise InputError(f"decision {verdict!r} is neither 'same' nor 'different'")
    if left == right:
        raise InputError(f"a pair needs two persons, not {left!r} twice")
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters")
    missing = sorted({left, right} - casebook.existing_ids("person", {left, right}))
    if missing:
        raise RecordNotFoundError("no person with the id " + ", ".join(map(repr, missing)))
    first, second = sorted((left, right))
    decision = StoredDecision(pair, first, second, verdict, actor, now, note)
    with casebook.engine.begin() as connection:
        before = _decision(connection, pair)
        if before is not None:
            connection.execute(delete(link_decision).where(link_decision.c.pair_id == pair))
        connection.execute(
            insert(link_decision),
            {
                "pair_id": pair,
                "person_id_l": first,
                "person_id_r": second,
                "verdict": verdict,
                "decided_by": actor,
                "decided_at": now,
                "note": note,
            },
        )
        insert_audit_rows(
            connection,
            [
                audit_row(
                    now,
                    actor=actor,
                    action="create" if before is None else "update",
                    record_type="link_decision",
                    record_id=pair,
                    before=None if before is None else before.to_json(),
                    after=decision.to_json(),
                )
            ],
        )
    return decision


def _decision(connection: Connection, pair: str) -> StoredDecision | None:
    row = connection.execute(select(link_decision).where(link_decision.c.pair_id == pair)).first()
    return None if row is None else StoredDecision(*row)


def decision_of(casebook: Casebook, pair: str) -> StoredDecision | None:
    """The standing decision on ``pair``, if any."""
    with casebook.engine.connect() as connection:
        return _decision(connection, pair)


def stored_decisions(casebook: Casebook) -> list[StoredDecision]:
    """Every standing decision, by pair id."""
    with casebook.engine.connect() as connection:
        rows = connection.execute(select(link_decision).order_by(link_decision.c.pair_id))
        return [StoredDecision(*row) for row in rows]


def latest_run_id(connection: Connection) -> str | None:
    """The id of the latest stored linkage run, or None before any run."""
    found: str | None = connection.execute(
        select(person_link.c.run_id).order_by(person_link.c.linked_at.desc()).limit(1)
    ).scalar_one_or_none()
    return found
