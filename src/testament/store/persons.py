"""Person records as victim-list entries for record linkage, and linkage results stored back.

Each Person that came from a list (``source_id``: the organisation's list, as a Source) is one
entry of that list. Linkage never merges or deletes persons: its clusters are stored as links
(``person_link``), one row per person and run, so a wrong link can be undone and every earlier run
stays visible.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from testament.core.errors import InputError, RecordNotFoundError
from testament.core.records import Act, Person, Place
from testament.core.terms import AgeBand
from testament.store.audit import audit_row, insert_audit_rows
from testament.store.casebook import Casebook
from testament.store.schema import person_link, person_review_pair

_AGE_RANGES = {
    AgeBand.CHILD: "0-17",
    AgeBand.YOUNG_ADULT: "18-24",
    AgeBand.ADULT_25_34: "25-34",
    AgeBand.ADULT_35_44: "35-44",
    AgeBand.ADULT_45_59: "45-59",
    AgeBand.OLDER: "60-110",
}
LINK_COLUMNS = (
    "list",
    "record_id",
    "names_as_reported",
    "sex",
    "birth",
    "age",
    "event_date",
    "place",
)


@dataclass(frozen=True)
class PersonLink:
    run_id: str
    person_id: str
    cluster_id: str
    match_probability: float | None
    linked_at: datetime


def linkage_rows(casebook: Casebook) -> tuple[list[dict[str, str]], int]:
    """One row per listed person in the linkage input format, and how many persons had no list.

    ``names_as_reported`` joins every reported spelling ("Магомед Хасанов / Magomed Khasanov");
    ``event_date`` and ``place`` come from the first act (by id) in which the person is the victim.
    """
    places = {p.id: p.name for p in casebook.records("place") if isinstance(p, Place)}
    first_act: dict[str, Act] = {}
    for record in casebook.records("act"):
        if isinstance(record, Act) and record.victim_id and record.victim_id not in first_act:
            first_act[record.victim_id] = record
    rows: list[dict[str, str]] = []
    unlisted = 0
    for listed in casebook.records("person"):
        if not isinstance(listed, Person):
            continue
        person: Person = listed
        if person.source_id is None:
            unlisted += 1
            continue
        act: Act | None = first_act.get(person.id)
        rows.append(
            {
                "list": person.source_id,
                "record_id": person.id,
                "names_as_reported": " / ".join(name.name for name in person.names)
                or person.pseudonym,
                "sex": "" if person.sex.value == "unknown" else person.sex.value,
                "birth": person.birth.edtf if person.birth else "",
                "age": _AGE_RANGES.get(person.age_band, ""),
                "event_date": act.date.edtf if act and act.date else "",
                "place": places.get(act.place_id or "", "") if act else "",
            }
        )
    return rows, unlisted


def store_person_links(
    casebook: Casebook,
    links: Iterable[tuple[str, str, float | None]],
    *,
    actor: str,
    run_id: str | None = None,
    review: Iterable[tuple[str, str, str, float]] = (),
) -> str:
    """Store one linkage run: (person id, cluster id, match probability) per person.

    ``review`` is the run's queue of uncertain pairs, (pair id, person id, person id, match
    probability) each: stored with the run (``person_review_pair``), so the desk can show it
    later without linking again; a person's link keeps only its cluster's probability, not
    each pair's.

    Returns the run id. Every person must exist; nothing is stored otherwise.
    """
    run = run_id or uuid.uuid4().hex
    now = datetime.now(UTC)
    triples = list(links)
    pairs = list(review)
    if not triples:
        raise InputError("no person links to store: the linkage produced no clusters")
    wanted = {person_id for person_id, _, _ in triples}
    wanted |= {person_id for _, left, right, _ in pairs for person_id in (left, right)}
    missing = sorted(wanted - casebook.existing_ids("person", wanted))
    if missing:
        raise RecordNotFoundError(
            "linkage results name persons the casebook does not hold: " + ", ".join(missing[:10])
        )
    with casebook.engine.begin() as connection:
        if connection.execute(
            select(person_link.c.person_id).where(person_link.c.run_id == run).limit(1)
        ).first():
            raise InputError(f"linkage run {run} is already stored")
        connection.execute(
            insert(person_link),
            [
                {
                    "run_id": run,
                    "person_id": person_id,
                    "cluster_id": cluster_id,
                    "match_probability": probability,
                    "linked_at": now,
                }
                for person_id, cluster_id, probability in triples
            ],
        )
        if pairs:
            connection.execute(
                insert(person_review_pair),
                [
                    {
                        "run_id": run,
                        "pair_id": pair,
                        "person_id_l": min(left, right),
                        "person_id_r": max(left, right),
                        "match_probability": probability,
                    }
                    for pair, left, right, probability in pairs
                ],
            )
        insert_audit_rows(
            connection,
            [
                audit_row(
                    now,
                    actor=actor,
                    action="create",
                    record_type="person_link",
                    record_id=person_id,
                    after=json.dumps(
                        {"run_id": run, "cluster_id": cluster_id, "match_probability": probability}
                    ),
                    batch=run,
                )
                for person_id, cluster_id, probability in triples
            ],
        )
    return run


def person_links(casebook: Casebook, run_id: str | None = None) -> list[PersonLink]:
    """The links of one run (the latest when ``run_id`` is None), by cluster."""
    with casebook.engine.connect() as connection:
        if run_id is None:
            run_id = connection.execute(
                select(person_link.c.run_id).order_by(person_link.c.linked_at.desc()).limit(1)
            ).scalar_one_or_none()
            if run_id is None:
                return []
        rows = connection.execute(
            select(person_link)
            .where(person_link.c.run_id == run_id)
            .order_by(person_link.c.cluster_id, person_link.c.person_id)
        )
        return [PersonLink(*row) for row in rows]


def lists_of(rows: Sequence[dict[str, str]]) -> list[str]:
    return sorted({row["list"] for row in rows})
