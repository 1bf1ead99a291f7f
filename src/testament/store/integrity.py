"""Checks that a batch of records fits together and with what the casebook already holds.

Everything is checked before anything is written, and every problem is reported (up to a limit),
so that an import either stores a whole file or nothing, and the person fixing the file sees all
that is wrong at once rather than one error per attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from testament.core.errors import Problem
from testament.core.records import (
    Act,
    AnyRecord,
    Assessment,
    Claim,
    Event,
    Involvement,
    Organisation,
    Person,
    Source,
)


@dataclass(frozen=True, slots=True)
class Located:
    """A record and where it came from, for error messages ("casebook.jsonl line 12")."""

    record: AnyRecord
    where: str


Reference = tuple[str, str, tuple[str, ...]]
"""(field, target id, the record types it may point to). A plain tuple: imports make millions."""


def references(record: AnyRecord) -> Iterator[Reference]:
    """Every reference ``record`` makes to another record, with the types it may point to."""
    match record:
        case Organisation(parent_id=parent) if parent:
            yield ("parent_id", parent, ("organisation",))
        case Source(derived_from=derived):
            for target in derived:
                yield ("derived_from", target, ("source",))
        case Person():
            if record.source_id:
                yield ("source_id", record.source_id, ("source",))
            for name in record.names:
                if name.source_id:
                    yield ("names.source_id", name.source_id, ("source",))
        case Event():
            if record.place_id:
                yield ("place_id", record.place_id, ("place",))
            for link in record.chain:
                yield ("chain.event_id", link.event_id, ("event",))
        case Act():
            yield ("event_id", record.event_id, ("event",))
            if record.victim_id:
                yield ("victim_id", record.victim_id, ("person", "group"))
            if record.place_id:
                yield ("place_id", record.place_id, ("place",))
        case Involvement():
            yield ("act_id", record.act_id, ("act",))
            yield ("perpetrator_id", record.perpetrator_id, ("organisation", "person"))
        case Claim():
            yield ("source_id", record.source_id, ("source",))
            if record.informant_id:
                yield ("informant_id", record.informant_id, ("informant",))
            yield ("target_id", record.target_id, (record.target_kind,))
        case Assessment():
            yield ("target_id", record.target_id, (record.target_kind,))
        case _:
            return


ExistingIds = Callable[[str, Iterable[str]], set[str]]
"""Given a record type and candidate ids, the subset that already exists in the casebook."""


def _claims_resolve(
    claims: Sequence[Located], by_type: dict[str, set[str]], existing_ids: ExistingIds
) -> bool:
    """Whether every reference of these claims points to a record in the batch or the casebook."""
    records = [item.record for item in claims if isinstance(item.record, Claim)]
    wanted: dict[str, set[str]] = {
        "source": {claim.source_id for claim in records},
        "informant": {claim.informant_id for claim in records if claim.informant_id},
        "event": {claim.target_id for claim in records if claim.target_kind == "event"},
        "act": {claim.target_id for claim in records if claim.target_kind == "act"},
    }
    for kind, ids in wanted.items():
        outside = ids - by_type.get(kind, set())
        if outside and len(existing_ids(kind, outside)) < len(outside):
            return False
    return True


def _duplicates(items: Sequence[Located]) -> list[Problem]:
    problems = []
    first: dict[str, str] = {}
    for item in items:
        if item.record.id in first:
            problems.append(
                Problem(
                    item.where,
                    f"duplicate id {item.record.id!r} (first at {first[item.record.id]})",
                    "id",
                )
            )
        else:
            first[item.record.id] = item.where
    return problems


def _points_into(ref: Reference, ids_by_type: dict[str, set[str]]) -> bool:
    _, target, kinds = ref
    for kind in kinds:
        ids = ids_by_type.get(kind)
        if ids is not None and target in ids:
            return True
    return False


def check_batch(
    batch: Sequence[Located],
    existing_ids: ExistingIds,
    existing_derivations: Callable[[], dict[str, tuple[str, ...]]],
    *,
    limit: int = 50,
) -> tuple[list[Problem], bool]:
    """Every problem of ``batch``: duplicate ids, dangling references, ``derived_from`` cycles.

    Returns the problems (at most ``limit``) and whether more were found than returned.
    """
    problems: list[Problem] = []
    records_by_type: dict[str, list[Located]] = {}
    for item in batch:
        records_by_type.setdefault(item.record.type, []).append(item)
    by_type = {kind: {item.record.id for item in items} for kind, items in records_by_type.items()}
    for kind, items in records_by_type.items():
        if len(by_type[kind]) < len(items):  # rare: only then find where the duplicates are
            problems.extend(_duplicates(items))
    for record_type, ids in by_type.items():
        existing = existing_ids(record_type, ids)
        first_place = {
            item.record.id: item.where
            for item in reversed(records_by_type[record_type])
            if item.record.id in existing
        }
        for duplicate in sorted(existing):
            where = first_place[duplicate]
            problems.append(
                Problem(
                    where, f"a {record_type} with id {duplicate!r} is already in the casebook", "id"
                )
            )

    # Claims are most of a big import: when all their references resolve (the usual case), a few
    # set operations show it, and only otherwise are they walked one by one to say which fail.
    claims = records_by_type.get("claim", [])
    if claims and _claims_resolve(claims, by_type, existing_ids):
        batch = [
            item for kind, items in records_by_type.items() if kind != "claim" for item in items
        ]

    # References not satisfied inside the batch are looked up in the casebook, all at once.
    unresolved: list[tuple[Located, Reference]] = []
    wanted: dict[str, set[str]] = {}
    for item in batch:
        for ref in references(item.record):
            if not _points_into(ref, by_type):
                unresolved.append((item, ref))
                for kind in ref[2]:
                    wanted.setdefault(kind, set()).add(ref[1])
    found = {kind: existing_ids(kind, ids) for kind, ids in wanted.items()}
    for item, (field, target, kinds) in unresolved:
        if not _points_into((field, target, kinds), found):
            problems.append(
                Problem(
                    item.where,
                    f"refers to {' or '.join(kinds)} {target!r}, which does not exist",
                    field,
                )
            )

    sources = [item for item in batch if isinstance(item.record, Source)]
    if any(item.record.derived_from for item in sources if isinstance(item.record, Source)):
        problems.extend(_derivation_cycles(sources, existing_derivations))
    return problems[:limit], len(problems) > limit


def _derivation_cycles(
    sources: Sequence[Located], existing_derivations: Callable[[], dict[str, tuple[str, ...]]]
) -> list[Problem]:
    graph = dict(existing_derivations())
    where: dict[str, str] = {}
    for item in sources:
        assert isinstance(item.record, Source)
        graph[item.record.id] = item.record.derived_from
        where[item.record.id] = item.where
    cycles = find_cycles(graph)
    return [
        Problem(
            where.get(cycle[0], "the casebook"),
            "derived_from forms a cycle: "
            + " -> ".join([*cycle, cycle[0]])
            + " (a source cannot, through others, repeat itself)",
            "derived_from",
        )
        for cycle in cycles
    ]


def find_cycles(graph: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Cycles of a directed graph, one per strongly tangled region, found without recursion."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in graph:
        if colour.get(start, white) != white:
            continue
        path: list[str] = [start]
        iterators = [iter(graph.get(start, ()))]
        colour[start] = grey
        while iterators:
            node = next(iterators[-1], None)
            if node is None:
                colour[path.pop()] = black
                iterators.pop()
                continue
            state = colour.get(node, white)
            if state == grey:
                cycles.append(path[path.index(node) :])
            elif state == white:
                colour[node] = grey
                path.append(node)
                iterators.append(iter(graph.get(node, ())))
    return cycles
