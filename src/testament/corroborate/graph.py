"""The casebook reduced to what corroboration needs, as numpy arrays.

A casebook may hold a million claims; corroboration works on integer arrays (one entry per claim)
rather than on record objects, so computing every status takes seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from testament.core.terms import Basis, InformantConnection, SourceKind, Stance
from testament.corroborate.errors import DerivationCycleError

IntArray = npt.NDArray[np.int64]


STANCES = list(Stance)
BASES = list(Basis)
SUPPORT = np.array([s in (Stance.ASSERTS, Stance.ACKNOWLEDGES) for s in STANCES])
DENIAL = np.array(
    [
        s in (Stance.DENIES, Stance.DENIES_RESPONSIBILITY, Stance.ALTERNATIVE_EXPLANATION)
        for s in STANCES
    ]
)
RETRACTION = np.array([s is Stance.RETRACTS for s in STANCES])


@dataclass(frozen=True)
class CaseGraph:
    """Sources, informants and claims as indexed arrays.

    ``target`` indexes ``target_keys`` (``("event", id)`` or ``("act", id)``); ``act_event`` maps
    an act's target index to its event's target index (or -1).
    """

    source_ids: list[str]
    source_kind: list[str]
    source_derived_from: list[tuple[int, int]]
    source_outlet: IntArray  # index into outlet_names, -1: no outlet given
    outlet_names: list[str]
    informant_ids: list[str]
    informant_is_perpetrator: npt.NDArray[np.bool_]
    claim_ids: list[str]
    claim_source: IntArray
    claim_informant: IntArray  # -1: no informant
    claim_target: IntArray
    claim_stance: IntArray  # index into STANCES
    claim_basis: IntArray  # index into BASES
    target_keys: list[tuple[str, str]]
    act_event: IntArray

    @classmethod
    def from_rows(
        cls,
        *,
        sources: Iterable[Sequence[Any]],
        derivations: Iterable[Sequence[Any]],
        informants: Iterable[Sequence[Any]],
        claims: Iterable[Sequence[Any]],
        acts: Iterable[Sequence[Any]] = (),
    ) -> CaseGraph:
        """Build from plain rows (as the store's column queries return them).

        ``sources``: (id, kind) or (id, kind, outlet); ``derivations``: (source id, derived-from
        id); ``informants``: (id, connection); ``claims``: (id, source id, informant id or None,
        target kind, target id, stance, basis); ``acts``: (act id, event id).
        """
        source_ids: list[str] = []
        kinds: list[str] = []
        outlets: list[int] = []
        outlet_index: dict[str, int] = {}
        for row in sources:
            source_id, kind = row[0], row[1]
            source_ids.append(source_id)
            kinds.append(str(kind))
            outlet = _outlet_key(row[2]) if len(row) > 2 else ""
            outlets.append(outlet_index.setdefault(outlet, len(outlet_index)) if outlet else -1)
        source_index = {source_id: i for i, source_id in enumerate(source_ids)}
        edges = [(source_index[a], source_index[b]) for a, b in derivations]

        informant_ids: list[str] = []
        perpetrator: list[bool] = []
        for informant_id, connection in informants:
            informant_ids.append(informant_id)
            perpetrator.append(connection == InformantConnection.PERPETRATOR)
        informant_index = {informant_id: i for i, informant_id in enumerate(informant_ids)}

        target_index: dict[tuple[str, str], int] = {}
        stance_index = {s.value: i for i, s in enumerate(STANCES)}
        basis_index = {b.value: i for i, b in enumerate(BASES)}
        claim_ids: list[str] = []
        columns: list[list[int]] = [[], [], [], [], []]
        for claim_id, source_id, informant_id, kind, target_id, stance, basis in claims:
            claim_ids.append(claim_id)
            key = (str(kind), target_id)
            target = target_index.setdefault(key, len(target_index))
            columns[0].append(source_index[source_id])
            columns[1].append(informant_index[informant_id] if informant_id else -1)
            columns[2].append(target)
            columns[3].append(stance_index[str(stance)])
            columns[4].append(basis_index[str(basis)])
        act_pairs = list(acts)
        for act_id, event_id in act_pairs:
            target_index.setdefault(("act", act_id), len(target_index))
            target_index.setdefault(("event", event_id), len(target_index))
        act_event = np.full(len(target_index), -1, dtype=np.int64)
        for act_id, event_id in act_pairs:
            act_event[target_index[("act", act_id)]] = target_index[("event", event_id)]
        return cls(
            source_ids=source_ids,
            source_kind=kinds,
            source_derived_from=edges,
            source_outlet=np.array(outlets, dtype=np.int64),
            outlet_names=list(outlet_index),
            informant_ids=informant_ids,
            informant_is_perpetrator=np.array(perpetrator, dtype=bool),
            claim_ids=claim_ids,
            claim_source=np.array(columns[0], dtype=np.int64),
            claim_informant=np.array(columns[1], dtype=np.int64),
            claim_target=np.array(columns[2], dtype=np.int64),
            claim_stance=np.array(columns[3], dtype=np.int64),
            claim_basis=np.array(columns[4], dtype=np.int64),
            target_keys=list(target_index),
            act_event=act_event,
        )

    def topological_order(self) -> list[int]:
        """Sources ordered so that each comes after the sources it repeats (Kahn's algorithm:
        linear time, no recursion); DerivationCycleError when derived_from loops."""
        n = len(self.source_ids)
        if not self.source_derived_from:
            return list(range(n))
        pairs = np.array(self.source_derived_from, dtype=np.int64)
        # edges origin -> derived: a source is ready once everything it repeats is placed
        indegree = np.bincount(pairs[:, 0], minlength=n)
        by_origin = np.argsort(pairs[:, 1], kind="stable")
        derived = pairs[by_origin, 0]
        starts = np.searchsorted(pairs[by_origin, 1], np.arange(n + 1))
        queue = np.flatnonzero(indegree == 0).tolist()
        order: list[int] = []
        while queue:
            node = queue.pop()
            order.append(node)
            for follower in derived[starts[node] : starts[node + 1]].tolist():
                indegree[follower] -= 1
                if indegree[follower] == 0:
                    queue.append(follower)
        if len(order) < n:
            stuck = [self.source_ids[i] for i in np.flatnonzero(indegree > 0)[:10]]
            raise DerivationCycleError(
                "derived_from forms a cycle among these sources: "
                + ", ".join(stuck)
                + " (a source cannot, through others, repeat itself; fix their derived_from)"
            )
        return order

    def source_kind_of(self, index: int) -> str:
        return self.source_kind[index]

    def official_sources(self) -> npt.NDArray[np.bool_]:
        return np.array([kind == SourceKind.OFFICIAL_STATEMENT for kind in self.source_kind])


def _outlet_key(outlet: object) -> str:
    """Outlets compared by name, ignoring case and spacing ("Novaya  gazeta" = "Novaya Gazeta")."""
    return " ".join(str(outlet or "").split()).casefold()


def as_int_array(values: Sequence[int]) -> IntArray:
    return np.asarray(values, dtype=np.int64)
