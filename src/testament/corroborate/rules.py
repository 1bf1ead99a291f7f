"""The corroboration rules, applied to every claim, event and act at once (vectorised).

Statuses are computed for all targets in one pass over integer arrays; the explanation of one
status (which independent lines, which sources depend on which and why, which denials) is
assembled on demand, because a casebook of a million claims needs every status but rarely every
explanation. Independence itself is ``independence.py``'s.

Retraction: a source that retracts withdraws, about the same target, its own supporting claims
and those of every source that repeats it (they rest on it); when the retraction is made through
an informant, the claims through that informant are withdrawn too, with the sources that repeat
them. A retraction never withdraws what the retracting source itself repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from testament.core.terms import BASES_ORDER, ClaimStatus, StandardOfProof
from testament.corroborate.graph import DENIAL, RETRACTION, SUPPORT, CaseGraph, IntArray
from testament.corroborate.independence import (
    Lineage,
    Lines,
    count_lines,
    lineage,
    max_independent,
    origins,
)
from testament.corroborate.rationale import english, rationale_reasons
from testament.corroborate.settings import CorroborationSettings

_FIRST_HAND = BASES_ORDER.index("first_hand")
_DOCUMENTARY = BASES_ORDER.index("documentary")
_STATUS_CODES = [
    ClaimStatus.UNCORROBORATED,
    ClaimStatus.CORROBORATED,
    ClaimStatus.CONFIRMED,
    ClaimStatus.RETRACTED,
]


@dataclass(frozen=True)
class Denial:
    source_id: str
    source_kind: str
    claim_id: str
    by_authorities: bool


@dataclass(frozen=True)
class Dependency:
    """Why two supporting sources are not independent lines."""

    source: str
    other: str
    reasons: list[str]


@dataclass(frozen=True)
class Assessment:
    """The status of one event or act, and why.

    ``lines`` are the supporting sources chosen as pairwise independent lines (one per line);
    ``supporting`` are all sources whose claims support the target; ``dependencies`` say which
    of them share an origin and how. ``lines_exact`` is False only when a group of dependent
    sources was too large for the exact count (then ``lines`` is a lower bound).
    """

    target_kind: str
    target_id: str
    status: ClaimStatus
    standard_of_proof: StandardOfProof
    disputed: bool
    denied_by_authorities: bool
    lines: list[str]
    supporting: list[str]
    first_hand: bool
    documentary: bool
    dependencies: list[Dependency] = field(default_factory=list)
    lines_exact: bool = True
    denials: list[Denial] = field(default_factory=list)
    denial_lines: list[str] = field(default_factory=list)
    retracted_sources: list[str] = field(default_factory=list)
    rationale: str = ""

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.disputed:
            flags.append("disputed")
        if self.denied_by_authorities:
            flags.append("denied_by_authorities")
        return flags

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["standard_of_proof"] = self.standard_of_proof.value
        data["flags"] = self.flags
        return data


@dataclass(frozen=True)
class _Tally:
    lines: Lines
    first_hand: npt.NDArray[np.bool_]
    documentary: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Pairs:
    """(effective target, claim) pairs of one kind: supporting or denying."""

    target: IntArray
    claim: IntArray


class Corroboration:
    """Every target's status (arrays) plus on-demand explanations."""

    def __init__(
        self,
        graph: CaseGraph,
        settings: CorroborationSettings,
        *,
        lineage_: Lineage,
        preference: IntArray,
        support: _Pairs,
        withdrawn_claims: npt.NDArray[np.bool_],
        status: IntArray,
        disputed: npt.NDArray[np.bool_],
        denied_by_authorities: npt.NDArray[np.bool_],
        tally: _Tally,
        denials: _Pairs,
        denial_status: IntArray,
        retractions: _Pairs,
    ) -> None:
        self.graph = graph
        self.settings = settings
        self.lineage = lineage_
        self._preference = preference
        self._support = _Grouped(support, len(graph.target_keys))
        self._denials = _Grouped(denials, len(graph.target_keys))
        self._retractions = _Grouped(retractions, len(graph.target_keys))
        self._withdrawn = withdrawn_claims
        self._status = status
        self._disputed = disputed
        self._denied = denied_by_authorities
        self._tally = tally
        self._denial_status = denial_status
        self._target_index = {key: i for i, key in enumerate(graph.target_keys)}

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self._status, minlength=len(_STATUS_CODES))
        return {code.value: int(counts[i]) for i, code in enumerate(_STATUS_CODES)}

    def targets(self) -> Iterator[tuple[str, str]]:
        yield from self.graph.target_keys

    def status(self, kind: str, target_id: str) -> ClaimStatus:
        return _STATUS_CODES[int(self._status[self._index(kind, target_id)])]

    def line_count(self, kind: str, target_id: str) -> int:
        """The number of independent lines the statuses were computed from (vectorised)."""
        return int(self._tally.lines.count[self._index(kind, target_id)])

    def claim_status(self, claim_index: int) -> ClaimStatus:
        """A claim stands as its target does; a retracted or retracting claim is retracted."""
        stance = self.graph.claim_stance[claim_index]
        target = self.graph.claim_target[claim_index]
        if RETRACTION[stance] or (SUPPORT[stance] and self._withdrawn[claim_index]):
            return ClaimStatus.RETRACTED
        if DENIAL[stance]:  # a denial stands on the denials' own independent lines
            return _STATUS_CODES[int(self._denial_status[target])]
        return _STATUS_CODES[int(self._status[target])]

    def claim_statuses(self) -> list[ClaimStatus]:
        """Every claim's status, in the order of ``graph.claim_ids`` (vectorised)."""
        graph = self.graph
        stance = graph.claim_stance
        codes = np.where(
            DENIAL[stance],
            self._denial_status[graph.claim_target],
            self._status[graph.claim_target],
        )
        codes[RETRACTION[stance] | (SUPPORT[stance] & self._withdrawn)] = 3
        return [_STATUS_CODES[code] for code in codes.tolist()]

    def assessment(self, kind: str, target_id: str) -> Assessment:
        index = self._index(kind, target_id)
        graph = self.graph
        supporting_claims = self._support.claims_of(index)
        lines, supporting, dependencies, exact = self._explain(index, supporting_claims)
        denying_claims = self._denials.claims_of(index)
        denial_lines, _, _, _ = self._explain(index, denying_claims)
        denials = [
            Denial(
                source_id=graph.source_ids[int(graph.claim_source[claim])],
                source_kind=graph.source_kind[int(graph.claim_source[claim])],
                claim_id=graph.claim_ids[int(claim)],
                by_authorities=_by_authorities(graph, int(claim)),
            )
            for claim in denying_claims
        ]
        retracted = sorted(
            {
                graph.source_ids[int(graph.claim_source[claim])]
                for claim in self._retractions.claims_of(index)
            }
        )
        status = _STATUS_CODES[int(self._status[index])]
        assessment = Assessment(
            target_kind=kind,
            target_id=target_id,
            status=status,
            standard_of_proof=_standard_of_proof(status, len(lines)),
            disputed=bool(self._disputed[index]),
            denied_by_authorities=bool(self._denied[index]),
            lines=lines,
            supporting=supporting,
            first_hand=bool(self._tally.first_hand[index]),
            documentary=bool(self._tally.documentary[index]),
            dependencies=dependencies,
            lines_exact=exact,
            denials=denials,
            denial_lines=denial_lines,
            retracted_sources=retracted,
        )
        return with_rationale(assessment, self.settings)

    def _explain(
        self, index: int, claims: IntArray
    ) -> tuple[list[str], list[str], list[Dependency], bool]:
        """The chosen lines, all sources, their dependencies, for one target's claims."""
        graph = self.graph
        if not len(claims):
            return [], [], [], True
        found = origins(
            graph,
            self.lineage,
            claim_target=np.full(len(claims), index, dtype=np.int64),
            claim_index=claims,
            same_outlet_independent=self.settings.same_outlet_independent,
        )
        starts = np.searchsorted(found.token_pair, np.arange(len(found.pair_source) + 1))
        tokens = [
            frozenset(found.token[starts[i] : starts[i + 1]].tolist())
            for i in range(len(found.pair_source))
        ]
        sources = found.pair_source.tolist()
        # component by component, as count_lines does, so that explanation and count agree
        chosen: list[int] = []
        exact = True
        for members in _components(tokens):
            picked, is_exact = max_independent(
                [tokens[m] for m in members], self._preference[[sources[m] for m in members]]
            )
            chosen += [members[p] for p in picked]
            exact &= is_exact
        ids = graph.source_ids
        dependencies = [
            Dependency(
                ids[sources[i]],
                ids[sources[j]],
                self._reasons(sources[i], sources[j], tokens[i] & tokens[j]),
            )
            for i in range(len(sources))
            for j in range(i + 1, len(sources))
            if tokens[i] & tokens[j]
        ]
        return (
            sorted(ids[sources[i]] for i in chosen),
            sorted(ids[source] for source in sources),
            dependencies,
            exact,
        )

    def _reasons(self, a: int, b: int, shared: frozenset[int]) -> list[str]:
        """Why ``a`` and ``b`` share an origin. When one repeats the other (or both repeat a
        third), that is the reason: the informants and outlets they share follow from it."""
        graph = self.graph
        ids = graph.source_ids
        n_sources, n_outlets = len(ids), len(graph.outlet_names)
        repeats = []
        for token in sorted(t for t in shared if t < n_sources):
            if token == b:
                repeats.append(f"{ids[a]} repeats {ids[b]}")
            elif token == a:
                repeats.append(f"{ids[b]} repeats {ids[a]}")
            else:
                repeats.append(f"both repeat {ids[token]}")
        if repeats:
            return repeats
        reasons = []
        for token in sorted(t for t in shared if t >= n_sources):
            if token < n_sources + n_outlets:
                reasons.append(f"both draw on the outlet {graph.outlet_names[token - n_sources]}")
            else:
                informant = graph.informant_ids[token - n_sources - n_outlets]
                reasons.append(f"both rest on the informant {informant}")
        return reasons

    def _index(self, kind: str, target_id: str) -> int:
        from testament.core.errors import RecordNotFoundError

        try:
            return self._target_index[(kind, target_id)]
        except KeyError:
            raise RecordNotFoundError(f"no claim is about {kind} {target_id!r}") from None


class _Grouped:
    """(target, claim) pairs grouped by target, for one target's claims in O(its claims)."""

    def __init__(self, pairs: _Pairs, n_targets: int) -> None:
        order = np.argsort(pairs.target, kind="stable")
        self._claims = pairs.claim[order]
        self._starts = np.searchsorted(pairs.target[order], np.arange(n_targets + 1))

    def claims_of(self, target: int) -> IntArray:
        return np.unique(self._claims[self._starts[target] : self._starts[target + 1]])


def _components(tokens: list[frozenset[int]]) -> list[list[int]]:
    """Groups of members linked by shared tokens (the target's dependence components)."""
    parent = list(range(len(tokens)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, members in enumerate(tokens):
        for token in members:
            if token in owner:
                parent[find(i)] = find(owner[token])
            else:
                owner[token] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(tokens)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def corroborate(graph: CaseGraph, settings: CorroborationSettings | None = None) -> Corroboration:
    """Apply the rules to every event and act of ``graph``."""
    settings = settings or CorroborationSettings()
    lineage_ = lineage(graph)  # refuses a derived_from cycle
    n_targets = len(graph.target_keys)
    n_claims = len(graph.claim_ids)
    claim_index = np.arange(n_claims, dtype=np.int64)
    stance = graph.claim_stance

    # Claims about an act count for the act and for the event the act belongs to.
    parent = graph.act_event[graph.claim_target] if n_claims else np.empty(0, dtype=np.int64)
    inherits = parent >= 0
    eff_target = np.concatenate([graph.claim_target, parent[inherits]])
    eff_claim = np.concatenate([claim_index, claim_index[inherits]])

    withdrawn_pair, withdrawn_claim = _withdrawn(graph, lineage_, eff_target, eff_claim)
    supporting = SUPPORT[stance[eff_claim]]
    active = supporting & ~withdrawn_pair
    support = _Pairs(eff_target[active], eff_claim[active])
    preference = _preference(graph, lineage_)

    tally = _tally(
        graph, lineage_, support, n_targets=n_targets, preference=preference, settings=settings
    )
    had_support = np.bincount(eff_target[supporting], minlength=n_targets) > 0
    status = _apply_thresholds(tally, settings)
    status[had_support & (tally.lines.count == 0)] = 3  # everything in support was withdrawn

    # A denial of an event denies each of its acts too; denying one act leaves the event standing.
    den_target, den_claim = _denials_downward(graph, claim_index)
    denials = _Pairs(den_target, den_claim)
    disputed = np.bincount(den_target, minlength=n_targets) > 0
    official = _official_denials(graph)
    denied = np.bincount(den_target[official[den_claim]], minlength=n_targets) > 0
    denial_tally = _tally(
        graph, lineage_, denials, n_targets=n_targets, preference=preference, settings=settings
    )
    denial_status = _apply_thresholds(denial_tally, settings)
    retracting = RETRACTION[stance]
    return Corroboration(
        graph,
        settings,
        lineage_=lineage_,
        preference=preference,
        support=support,
        withdrawn_claims=withdrawn_claim & SUPPORT[stance],
        status=status,
        disputed=disputed,
        denied_by_authorities=denied,
        tally=tally,
        denials=denials,
        denial_status=denial_status,
        retractions=_Pairs(graph.claim_target[retracting], claim_index[retracting]),
    )


def _withdrawn(
    graph: CaseGraph, lineage_: Lineage, eff_target: IntArray, eff_claim: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which (effective target, claim) pairs and which claims a retraction withdraws.

    A retraction by source R about target T covers (T, d) for every d that is R or repeats R;
    made through informant I, it also covers T's claims through I and the sources that repeat
    those claims' sources. A claim covered on its own target is withdrawn everywhere it counts.
    """
    n_sources = max(len(graph.source_ids), 1)
    n_informants = max(len(graph.informant_ids), 1)
    retraction = np.flatnonzero(RETRACTION[graph.claim_stance])
    if not len(retraction):
        return np.zeros(len(eff_claim), dtype=bool), np.zeros(len(graph.claim_ids), dtype=bool)
    r_target = graph.claim_target[retraction]
    r_source = graph.claim_source[retraction]
    r_informant = graph.claim_informant[retraction]
    covered = [_descendant_keys(lineage_, r_target, r_source, n_sources, include_self=True)]
    through = r_informant >= 0
    informant_keys = np.unique(r_target[through] * n_informants + r_informant[through])
    claim_keys = graph.claim_target * n_informants + graph.claim_informant
    by_informant = (graph.claim_informant >= 0) & np.isin(claim_keys, informant_keys)
    if by_informant.any():
        covered.append(
            _descendant_keys(
                lineage_,
                graph.claim_target[by_informant],
                graph.claim_source[by_informant],
                n_sources,
                include_self=False,
            )
        )
    covered_keys = np.unique(np.concatenate(covered))
    own_key = graph.claim_target * n_sources + graph.claim_source
    withdrawn_claim = np.isin(own_key, covered_keys) | by_informant
    withdrawn_pair = withdrawn_claim[eff_claim] | np.isin(
        eff_target * n_sources + graph.claim_source[eff_claim], covered_keys
    )
    return withdrawn_pair, withdrawn_claim


def _descendant_keys(
    lineage_: Lineage, targets: IntArray, sources: IntArray, n_sources: int, *, include_self: bool
) -> IntArray:
    """target * n_sources + d for every source d that repeats (or, with include_self, is) one of
    ``sources``, paired with the matching target."""
    starts, descendants = lineage_.descendant_starts, lineage_.descendants
    counts = starts[sources + 1] - starts[sources]
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    found = descendants[np.repeat(starts[sources], counts) + offsets]
    keyed_targets = np.repeat(targets, counts)
    if not include_self:
        keep = found != np.repeat(sources, counts)
        found, keyed_targets = found[keep], keyed_targets[keep]
    return np.asarray(keyed_targets * n_sources + found, dtype=np.int64)


def _preference(graph: CaseGraph, lineage_: Lineage) -> IntArray:
    """Which source stands for a line among dependent ones: originals (fewest ancestors) first,
    then by id, so that the choice is the same on every run."""
    n = len(graph.source_ids)
    ancestors = np.diff(lineage_.ancestor_starts)
    by_id = np.empty(n, dtype=np.int64)
    by_id[np.argsort(np.array(graph.source_ids, dtype=object), kind="stable")] = np.arange(n)
    return np.asarray(ancestors * n + by_id, dtype=np.int64)


def _tally(
    graph: CaseGraph,
    lineage_: Lineage,
    pairs: _Pairs,
    *,
    n_targets: int,
    preference: IntArray,
    settings: CorroborationSettings,
) -> _Tally:
    found = origins(
        graph,
        lineage_,
        claim_target=pairs.target,
        claim_index=pairs.claim,
        same_outlet_independent=settings.same_outlet_independent,
    )
    lines = count_lines(found, n_targets, preference)
    basis = graph.claim_basis[pairs.claim]
    first_hand = np.bincount(pairs.target[basis == _FIRST_HAND], minlength=n_targets) > 0
    documentary = np.bincount(pairs.target[basis == _DOCUMENTARY], minlength=n_targets) > 0
    return _Tally(lines, first_hand, documentary)


def _apply_thresholds(tally: _Tally, settings: CorroborationSettings) -> IntArray:
    """0 uncorroborated, 1 corroborated, 2 confirmed, for every target of a tally."""
    lines = tally.lines.count
    status = np.zeros(len(lines), dtype=np.int64)
    corroborated = lines >= settings.corroborated_min_lines
    if settings.corroboration_needs_first_hand:
        corroborated &= tally.first_hand
    confirmed = lines >= settings.confirmed_min_lines
    if settings.documentary_confirms:
        confirmed |= tally.documentary & (lines >= settings.documentary_confirms_min_lines)
    status[corroborated] = 1
    status[confirmed] = 2
    return status


def _denials_downward(graph: CaseGraph, claim_index: IntArray) -> tuple[IntArray, IntArray]:
    """(target, claim) pairs of every denial: its own target, and each act of a denied event."""
    denial = DENIAL[graph.claim_stance]
    targets = graph.claim_target[denial]
    claims = claim_index[denial]
    acts = np.flatnonzero(graph.act_event >= 0)
    if not len(acts) or not len(claims):
        return targets, claims
    events = graph.act_event[acts]
    order = np.argsort(events, kind="stable")
    acts, events = acts[order], events[order]
    first = np.searchsorted(events, targets, side="left")
    last = np.searchsorted(events, targets, side="right")
    counts = last - first
    repeated_claims = np.repeat(claims, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    act_targets = acts[np.repeat(first, counts) + offsets]
    return np.concatenate([targets, act_targets]), np.concatenate([claims, repeated_claims])


def _official_denials(graph: CaseGraph) -> npt.NDArray[np.bool_]:
    """Claims that deny and come from the authorities (an official statement or a perpetrator)."""
    denial = DENIAL[graph.claim_stance]
    official_source = graph.official_sources()
    by_official = (
        official_source[graph.claim_source] if len(graph.claim_source) else np.zeros(0, dtype=bool)
    )
    informant = graph.claim_informant
    perpetrator = np.zeros(len(informant), dtype=bool)
    known = informant >= 0
    if known.any():
        perpetrator[known] = graph.informant_is_perpetrator[informant[known]]
    return np.asarray(denial & (by_official | perpetrator))


def _by_authorities(graph: CaseGraph, claim: int) -> bool:
    source_kind = graph.source_kind[int(graph.claim_source[claim])]
    informant = int(graph.claim_informant[claim])
    return source_kind == "official_statement" or (
        informant >= 0 and bool(graph.informant_is_perpetrator[informant])
    )


def _standard_of_proof(status: ClaimStatus, lines: int) -> StandardOfProof:
    if status is ClaimStatus.CONFIRMED:
        return StandardOfProof.BALANCE_OF_PROBABILITIES
    if status is ClaimStatus.CORROBORATED:
        return StandardOfProof.REASONABLE_GROUNDS
    if status is ClaimStatus.UNCORROBORATED and lines > 0:
        return StandardOfProof.REASONABLE_SUSPICION
    return StandardOfProof.NONE


def with_rationale(assessment: Assessment, settings: CorroborationSettings) -> Assessment:
    """The rationale in sentences a lawyer can read (the same facts are in the JSON fields),
    in English; ``rationale.rationale_reasons`` gives the same as codes for other languages.

    Public so that a reader shown less (the desk, for a role that may not see some sources) can
    have the rationale written again from the assessment with those sources replaced."""
    rationale = english(rationale_reasons(assessment, settings))
    return Assessment(**{**assessment.__dict__, "rationale": rationale})
