"""The corroboration rules, applied to every claim, event and act at once (vectorised).

Statuses are computed for all targets in one pass over integer arrays; the explanation of one
status (which clusters, which sources, which denials) is assembled on demand, because a casebook
of a million claims needs every status but rarely every explanation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from testament.core.terms import BASES_ORDER, ClaimStatus, StandardOfProof
from testament.corroborate.graph import DENIAL, RETRACTION, SUPPORT, CaseGraph, IntArray

_FIRST_HAND = BASES_ORDER.index("first_hand")
_DOCUMENTARY = BASES_ORDER.index("documentary")
_STATUS_CODES = [
    ClaimStatus.UNCORROBORATED,
    ClaimStatus.CORROBORATED,
    ClaimStatus.CONFIRMED,
    ClaimStatus.RETRACTED,
]


@dataclass(frozen=True)
class CorroborationSettings:
    """Thresholds of the rules. Defaults are DESIGN.md's; a desk may set stricter ones."""

    corroborated_min_clusters: int = 2
    confirmed_min_clusters: int = 3
    corroboration_needs_first_hand: bool = True
    documentary_confirms: bool = True
    documentary_confirms_min_clusters: int = 1

    def __post_init__(self) -> None:
        from testament.core.errors import SettingsError

        if self.corroborated_min_clusters < 1:
            raise SettingsError("corroborated_min_clusters must be at least 1")
        if self.confirmed_min_clusters < self.corroborated_min_clusters:
            raise SettingsError(
                "confirmed_min_clusters must not be below corroborated_min_clusters"
            )
        if self.documentary_confirms_min_clusters < 1:
            raise SettingsError("documentary_confirms_min_clusters must be at least 1")


@dataclass(frozen=True)
class Denial:
    source_id: str
    source_kind: str
    claim_id: str
    by_authorities: bool


@dataclass(frozen=True)
class Assessment:
    """The status of one event or act, and why."""

    target_kind: str
    target_id: str
    status: ClaimStatus
    standard_of_proof: StandardOfProof
    disputed: bool
    denied_by_authorities: bool
    clusters: list[list[str]]
    first_hand: bool
    documentary: bool
    denials: list[Denial] = field(default_factory=list)
    retracted_sources: list[str] = field(default_factory=list)
    repeats: dict[str, list[str]] = field(default_factory=dict)
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
    clusters: IntArray  # independent clusters per target
    first_hand: npt.NDArray[np.bool_]
    documentary: npt.NDArray[np.bool_]
    any_claim: npt.NDArray[np.bool_]


class Corroboration:
    """Every target's status (arrays) plus on-demand explanations."""

    def __init__(
        self,
        graph: CaseGraph,
        settings: CorroborationSettings,
        *,
        labels: IntArray,
        eff_target: IntArray,
        eff_claim: IntArray,
        active: npt.NDArray[np.bool_],
        status: IntArray,
        disputed: npt.NDArray[np.bool_],
        denied_by_authorities: npt.NDArray[np.bool_],
        support: _Tally,
        denials: tuple[IntArray, IntArray, IntArray],
    ) -> None:
        self.graph = graph
        self.settings = settings
        self.source_cluster = labels
        self._eff_target = eff_target
        self._eff_claim = eff_claim
        self._active = active
        self._status = status
        self._disputed = disputed
        self._denied = denied_by_authorities
        self._support = support
        order = np.argsort(eff_target, kind="stable")
        self._order = order
        self._starts = np.searchsorted(eff_target[order], np.arange(len(graph.target_keys) + 1))
        self._target_index = {key: i for i, key in enumerate(graph.target_keys)}
        self._repeats_cache: dict[str, list[str]] | None = None
        den_target, self._den_claim, self._denial_status = denials
        self._den_order = np.argsort(den_target, kind="stable")
        self._den_starts = np.searchsorted(
            den_target[self._den_order], np.arange(len(graph.target_keys) + 1)
        )

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self._status, minlength=len(_STATUS_CODES))
        return {code.value: int(counts[i]) for i, code in enumerate(_STATUS_CODES)}

    def targets(self) -> Iterator[tuple[str, str]]:
        yield from self.graph.target_keys

    def status(self, kind: str, target_id: str) -> ClaimStatus:
        return _STATUS_CODES[int(self._status[self._index(kind, target_id)])]

    def claim_status(self, claim_index: int) -> ClaimStatus:
        """A claim stands as its target does; a retracted or retracting claim is retracted."""
        stance = self.graph.claim_stance[claim_index]
        target = self.graph.claim_target[claim_index]
        if RETRACTION[stance] or (SUPPORT[stance] and not self._active[claim_index]):
            return ClaimStatus.RETRACTED
        if DENIAL[stance]:  # a denial stands on the denials' own independent sources
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
        codes[RETRACTION[stance] | (SUPPORT[stance] & ~self._active)] = 3
        return [_STATUS_CODES[code] for code in codes.tolist()]

    def assessment(self, kind: str, target_id: str) -> Assessment:
        index = self._index(kind, target_id)
        graph = self.graph
        claims = self._eff_claim[self._order[self._starts[index] : self._starts[index + 1]]]
        stances = graph.claim_stance[claims]
        supporting = claims[SUPPORT[stances] & self._active[claims]]
        by_cluster: dict[int, list[str]] = {}
        for claim in supporting:
            source = int(graph.claim_source[claim])
            members = by_cluster.setdefault(int(self.source_cluster[source]), [])
            if graph.source_ids[source] not in members:
                members.append(graph.source_ids[source])
        clusters = [sorted(members) for _, members in sorted(by_cluster.items())]
        clusters.sort(key=lambda members: members[0])
        denials = [
            Denial(
                source_id=graph.source_ids[int(graph.claim_source[claim])],
                source_kind=graph.source_kind[int(graph.claim_source[claim])],
                claim_id=graph.claim_ids[int(claim)],
                by_authorities=_by_authorities(graph, int(claim)),
            )
            for claim in self._den_claim[
                self._den_order[self._den_starts[index] : self._den_starts[index + 1]]
            ]
        ]
        retracted = sorted(
            {
                graph.source_ids[int(graph.claim_source[claim])]
                for claim in claims[RETRACTION[stances]]
            }
        )
        status = _STATUS_CODES[int(self._status[index])]
        supporting_ids = {source for members in clusters for source in members}
        repeats = {
            source: self._repeats()[source]
            for source in sorted(supporting_ids)
            if source in self._repeats()
        }
        assessment = Assessment(
            target_kind=kind,
            target_id=target_id,
            status=status,
            standard_of_proof=_standard_of_proof(status, len(clusters)),
            disputed=bool(self._disputed[index]),
            denied_by_authorities=bool(self._denied[index]),
            clusters=clusters,
            first_hand=bool(self._support.first_hand[index]),
            documentary=bool(self._support.documentary[index]),
            denials=denials,
            retracted_sources=retracted,
            repeats=repeats,
        )
        return _with_rationale(assessment, self.settings)

    def _repeats(self) -> dict[str, list[str]]:
        """Which sources each derivative source repeats (built once, on first need)."""
        if self._repeats_cache is None:
            ids = self.graph.source_ids
            cache: dict[str, list[str]] = {}
            for source, origin in self.graph.source_derived_from:
                cache.setdefault(ids[source], []).append(ids[origin])
            self._repeats_cache = cache
        return self._repeats_cache

    def _index(self, kind: str, target_id: str) -> int:
        from testament.core.errors import RecordNotFoundError

        try:
            return self._target_index[(kind, target_id)]
        except KeyError:
            raise RecordNotFoundError(f"no claim is about {kind} {target_id!r}") from None


def corroborate(graph: CaseGraph, settings: CorroborationSettings | None = None) -> Corroboration:
    """Apply the rules to every event and act of ``graph``."""
    settings = settings or CorroborationSettings()
    labels = graph.independence_clusters()
    n_targets = len(graph.target_keys)
    n_claims = len(graph.claim_ids)
    claim_cluster = labels[graph.claim_source] if n_claims else np.empty(0, dtype=np.int64)
    n_clusters = int(labels.max()) + 1 if len(labels) else 1

    # A retraction withdraws what its cluster said about the same target.
    stance = graph.claim_stance
    key = graph.claim_target * n_clusters + claim_cluster
    retracted_keys = np.unique(key[RETRACTION[stance]])
    support = SUPPORT[stance]
    active = support & ~np.isin(key, retracted_keys)

    # Claims about an act count for the act and for the event the act belongs to.
    claim_index = np.arange(n_claims, dtype=np.int64)
    parent = graph.act_event[graph.claim_target] if n_claims else np.empty(0, dtype=np.int64)
    inherits = parent >= 0
    eff_target = np.concatenate([graph.claim_target, parent[inherits]])
    eff_claim = np.concatenate([claim_index, claim_index[inherits]])

    tally = _tally(
        graph,
        eff_target=eff_target,
        eff_claim=eff_claim,
        mask=active[eff_claim],
        claim_cluster=claim_cluster,
        n_targets=n_targets,
        n_clusters=n_clusters,
    )
    had_support = np.bincount(eff_target[support[eff_claim]], minlength=n_targets) > 0

    status = _apply_thresholds(tally, settings)
    status[had_support & (tally.clusters == 0)] = 3  # everything said in support was retracted

    # A denial of an event denies each of its acts too; denying one act leaves the event standing.
    den_target, den_claim = _denials_downward(graph, claim_index)
    disputed = np.bincount(den_target, minlength=n_targets) > 0
    official = _official_denials(graph)
    denied = np.bincount(den_target[official[den_claim]], minlength=n_targets) > 0
    denial_tally = _tally(
        graph,
        eff_target=den_target,
        eff_claim=den_claim,
        mask=np.ones(len(den_claim), dtype=bool),
        claim_cluster=claim_cluster,
        n_targets=n_targets,
        n_clusters=n_clusters,
    )
    denial_status = _apply_thresholds(denial_tally, settings)
    return Corroboration(
        graph,
        settings,
        labels=labels,
        eff_target=eff_target,
        eff_claim=eff_claim,
        active=active,
        status=status,
        disputed=disputed,
        denied_by_authorities=denied,
        support=tally,
        denials=(den_target, den_claim, denial_status),
    )


def _apply_thresholds(tally: _Tally, settings: CorroborationSettings) -> IntArray:
    """0 uncorroborated, 1 corroborated, 2 confirmed, for every target of a tally."""
    status = np.zeros(len(tally.clusters), dtype=np.int64)
    corroborated = tally.clusters >= settings.corroborated_min_clusters
    if settings.corroboration_needs_first_hand:
        corroborated &= tally.first_hand
    confirmed = tally.clusters >= settings.confirmed_min_clusters
    if settings.documentary_confirms:
        confirmed |= tally.documentary & (
            tally.clusters >= settings.documentary_confirms_min_clusters
        )
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


def _tally(
    graph: CaseGraph,
    *,
    eff_target: IntArray,
    eff_claim: IntArray,
    mask: npt.NDArray[np.bool_],
    claim_cluster: IntArray,
    n_targets: int,
    n_clusters: int,
) -> _Tally:
    targets = eff_target[mask]
    claims = eff_claim[mask]
    pairs = np.unique(targets * n_clusters + claim_cluster[claims])
    clusters = np.bincount(pairs // n_clusters, minlength=n_targets).astype(np.int64)
    basis = graph.claim_basis[claims]
    first_hand = np.bincount(targets[basis == _FIRST_HAND], minlength=n_targets) > 0
    documentary = np.bincount(targets[basis == _DOCUMENTARY], minlength=n_targets) > 0
    return _Tally(clusters, first_hand, documentary, np.bincount(targets, minlength=n_targets) > 0)


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


def _standard_of_proof(status: ClaimStatus, clusters: int) -> StandardOfProof:
    if status is ClaimStatus.CONFIRMED:
        return StandardOfProof.BALANCE_OF_PROBABILITIES
    if status is ClaimStatus.CORROBORATED:
        return StandardOfProof.REASONABLE_GROUNDS
    if status is ClaimStatus.UNCORROBORATED and clusters > 0:
        return StandardOfProof.REASONABLE_SUSPICION
    return StandardOfProof.NONE


def _with_rationale(assessment: Assessment, settings: CorroborationSettings) -> Assessment:
    parts: list[str] = []
    n = len(assessment.clusters)
    if n:
        listed = "; ".join("[" + ", ".join(members) + "]" for members in assessment.clusters)
        parts.append(
            f"{n} independent cluster{'s' if n != 1 else ''} of sources "
            f"support{'' if n != 1 else 's'} it: {listed}"
        )
        parts.append(
            "at least one supporting claim is first-hand"
            if assessment.first_hand
            else "no supporting claim is first-hand"
        )
        if assessment.documentary:
            parts.append("documentary evidence supports it")
        for source, origins in assessment.repeats.items():
            parts.append(
                f"{source} repeats {', '.join(origins)}: counted in the same cluster, "
                "it adds no independent weight"
            )
    else:
        parts.append("no source currently supports it")
    match assessment.status:
        case ClaimStatus.CONFIRMED:
            why = (
                f"confirmed: {n} >= {settings.confirmed_min_clusters} clusters"
                if n >= settings.confirmed_min_clusters
                else "confirmed by documentary evidence"
            )
        case ClaimStatus.CORROBORATED:
            why = f"corroborated: {n} >= {settings.corroborated_min_clusters} independent clusters"
            if settings.corroboration_needs_first_hand:
                why += ", one of them first-hand"
        case ClaimStatus.RETRACTED:
            why = "retracted: every supporting account was withdrawn"
        case _:
            why = (
                f"uncorroborated: {n} cluster{'s' if n != 1 else ''}, "
                f"corroboration needs {settings.corroborated_min_clusters}"
                + (" with one first-hand" if settings.corroboration_needs_first_hand else "")
            )
    parts.append(why)
    if assessment.retracted_sources:
        parts.append("retracted by " + ", ".join(assessment.retracted_sources))
    if assessment.denials:
        listed = ", ".join(
            f"{denial.source_id} ({denial.source_kind.replace('_', ' ')})"
            for denial in assessment.denials
        )
        weight = (
            "denied by the authorities — recorded as the statement of an interested party; "
            "it flags the allegation as disputed and does not erase it"
            if assessment.denied_by_authorities
            else "disputed by other sources"
        )
        parts.append(f"{weight}: {listed}")
    rationale = "; ".join(parts) + "."
    return Assessment(**{**assessment.__dict__, "rationale": rationale})
