"""The linkage review queue on the desk: uncertain pairs of the latest run, and one pair aligned.

The queue is the latest linkage run's stored queue (``person_review_pair``) less the pairs that
have a standing decision (``link_decision``), most uncertain first (match probability closest to
one half), twenty to a page. A pair is listed, counted and opened only when the role may see
both persons (``access.visible``): a pair naming a person the role may not see does not exist
for it. A decision is stored by ``store.link_review`` (audited) and honoured by the next run of
``casework.linking.link_casebook``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select

from testament.core.records import Person
from testament.core.vocabulary import Language
from testament.desk.access import Role, visible
from testament.desk.viewing import Field, fields
from testament.store import Casebook
from testament.store.link_review import latest_run_id
from testament.store.schema import link_decision, person, person_review_pair

PAGE_SIZE = 20
#: Fields of a person that say nothing about who they are: not aligned side by side.
_NOT_COMPARED = frozenset({"confidentiality"})


@dataclass(frozen=True, slots=True)
class QueuedPair:
    pair_id: str
    person_id_l: str
    person_id_r: str
    match_probability: float


@dataclass(frozen=True, slots=True)
class ReviewPage:
    rows: list[QueuedPair]
    page: int
    pages: int
    total: int
    run_id: str | None


@dataclass(frozen=True, slots=True)
class AlignedField:
    """One field of both persons, and whether they differ."""

    name: str
    left: Field
    right: Field

    @property
    def differs(self) -> bool:
        return _shown(self.left) != _shown(self.right)


def _shown(field: Field) -> tuple[str, tuple[str, ...]]:
    return field.value, tuple(reference.record_id for reference in field.references)


def _both_visible(role: Role) -> ColumnElement[bool]:
    seen = select(person.c.id).where(visible(role, "person", person))
    return and_(
        person_review_pair.c.person_id_l.in_(seen), person_review_pair.c.person_id_r.in_(seen)
    )


def _open_pairs(connection: Connection, role: Role) -> tuple[str | None, ColumnElement[bool]]:
    run = latest_run_id(connection)
    return run, and_(
        person_review_pair.c.run_id == run,
        person_review_pair.c.pair_id.not_in(select(link_decision.c.pair_id)),
        _both_visible(role),
    )


def review_queue(engine: Engine, role: Role, page: int) -> ReviewPage:
    """Page ``page`` (from 1) of the undecided pairs of the latest run that ``role`` may see."""
    with engine.connect() as connection:
        run, where = _open_pairs(connection, role)
        if run is None:
            return ReviewPage([], 1, 1, 0, None)
        total = connection.execute(
            select(func.count()).select_from(person_review_pair).where(where)
        ).scalar_one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        rows = connection.execute(
            select(
                person_review_pair.c.pair_id,
                person_review_pair.c.person_id_l,
                person_review_pair.c.person_id_r,
                person_review_pair.c.match_probability,
            )
            .where(where)
            .order_by(
                func.abs(person_review_pair.c.match_probability - 0.5),
                person_review_pair.c.pair_id,
            )
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
        return ReviewPage([QueuedPair(*row) for row in rows], page, pages, total, run)


def queued_pair(engine: Engine, role: Role, pair: str) -> QueuedPair | None:
    """The pair ``pair`` of the latest run's queue (decided or not), if ``role`` may see both."""
    with engine.connect() as connection:
        run = latest_run_id(connection)
        row = connection.execute(
            select(
                person_review_pair.c.pair_id,
                person_review_pair.c.person_id_l,
                person_review_pair.c.person_id_r,
                person_review_pair.c.match_probability,
            ).where(
                person_review_pair.c.run_id == run,
                person_review_pair.c.pair_id == pair,
                _both_visible(role),
            )
        ).first()
    return None if row is None else QueuedPair(*row)


def next_pair(engine: Engine, role: Role, after: str) -> str | None:
    """The undecided pair that follows ``after`` in the queue's order (for "skip" and after a
    decision), or the first one when ``after`` is no longer in the queue; None when none is left
    but ``after``."""
    with engine.connect() as connection:
        run, where = _open_pairs(connection, role)
        if run is None:
            return None
        ids = list(
            connection.execute(
                select(person_review_pair.c.pair_id)
                .where(where)
                .order_by(
                    func.abs(person_review_pair.c.match_probability - 0.5),
                    person_review_pair.c.pair_id,
                )
            ).scalars()
        )
    if after in ids:
        index = ids.index(after)
        ids = ids[index + 1 :] + ids[:index]
    return ids[0] if ids else None


def aligned(
    casebook: Casebook, role: Role, pair: QueuedPair, language: Language
) -> tuple[Person, Person, list[AlignedField]]:
    """Both persons of ``pair`` and their fields side by side, in the record's field order."""
    left = casebook.get("person", pair.person_id_l)
    right = casebook.get("person", pair.person_id_r)
    assert isinstance(left, Person)
    assert isinstance(right, Person)
    left_fields = {f.name: f for f in fields(casebook, role, left, language)}
    right_fields = {f.name: f for f in fields(casebook, role, right, language)}
    rows = [
        AlignedField(name, left_fields[name], right_fields[name])
        for name in left_fields
        if name in right_fields and name not in _NOT_COMPARED
    ]
    return left, right, rows
