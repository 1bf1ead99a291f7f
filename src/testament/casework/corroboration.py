"""Corroborating a casebook in one call: every event's and act's status, with its explanation.

``testament.corroborate`` works on integer arrays and never imports the store; this module reads
the rows it needs from an open casebook (``case_graph``), runs it, and returns one frozen result
that carries what a reader is shown: each target's assessment (status, flags, independent lines,
dependencies, denials, rationale), its title, and every claim's status. The command line
(``testament corroborate``, ``claims``, ``show``), the demo and the desk read the same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from testament.core.errors import RecordNotFoundError
from testament.core.records import Act, Event
from testament.corroborate.settings import CorroborationSettings
from testament.store.casebook import Casebook

if TYPE_CHECKING:  # the analysis loads numpy/scipy: only when corroboration runs
    from testament.core.terms import ClaimStatus
    from testament.corroborate import Assessment, CaseGraph, Corroboration


def case_graph(casebook: Casebook) -> CaseGraph:
    """What corroboration needs, read straight from the casebook's tables as plain rows."""
    from testament.corroborate import CaseGraph

    return CaseGraph.from_rows(
        sources=casebook.table_rows("source", "id", "kind", "outlet"),
        derivations=casebook.table_rows("source_derivation", "source_id", "derived_from_id"),
        informants=casebook.table_rows("informant", "id", "connection"),
        claims=casebook.table_rows(
            "claim",
            "id",
            "source_id",
            "informant_id",
            "target_kind",
            "target_id",
            "stance",
            "basis",
        ),
        acts=casebook.table_rows("act", "id", "event_id"),
    )


def target_titles(casebook: Casebook) -> dict[str, str]:
    """A readable title per event and act id: an event's title; an act's type and its event's."""
    titles = {e.id: e.title for e in casebook.records("event") if isinstance(e, Event)}
    titles |= {
        a.id: f"{a.act_type.value.replace('_', ' ')} ({titles.get(a.event_id, a.event_id)})"
        for a in casebook.records("act")
        if isinstance(a, Act)
    }
    return titles


@dataclass(frozen=True)
class CasebookCorroboration:
    """What corroborating a casebook found.

    The statuses are computed at once for every target (vectorised); the explanations
    (``assessments``, ``explain``) are assembled when first asked for, since a reader who wants
    one target's explanation should not pay for a million.

    Attributes:
        settings: the thresholds the statuses were computed with.
        graph: the casebook as corroboration saw it (ids and integer arrays).
        outcome: the analysis' own result, for callers that need its finer calls.
        titles: a readable title per event and act id (``target_titles``).
    """

    settings: CorroborationSettings
    graph: CaseGraph
    outcome: Corroboration
    titles: Mapping[str, str]

    @property
    def counts(self) -> dict[str, int]:
        """How many targets have each status (every status named, zeros included)."""
        return self.outcome.status_counts()

    @cached_property
    def assessments(self) -> tuple[Assessment, ...]:
        """Every target's assessment: each event followed by its acts, then acts of no event."""
        outcome = self.outcome
        ordered = [outcome.assessment(kind, target) for kind, target in sorted(outcome.targets())]
        return tuple(_events_then_their_acts(ordered, self.graph))

    @cached_property
    def claim_statuses(self) -> Mapping[str, ClaimStatus]:
        """Every claim's status by claim id (a claim stands as its target does)."""
        return dict(zip(self.graph.claim_ids, self.outcome.claim_statuses(), strict=True))

    def explain(self, target_id: str, kind: str | None = None) -> Assessment:
        """The assessment of one event or act (of either kind unless ``kind`` is given).

        Raises:
            RecordNotFoundError: no claim is about an event or act with this id.
        """
        kinds = [
            found
            for found, key in self.outcome.targets()
            if key == target_id and kind in (None, found)
        ]
        if not kinds:
            raise RecordNotFoundError(
                f"no claim is about an event or act with the id {target_id!r} "
                "(see `testament events` for the ids)"
            )
        return self.outcome.assessment(kinds[0], target_id)

    def title(self, target_id: str) -> str:
        """The target's title, or an empty string when the casebook has none for it."""
        return self.titles.get(target_id, "")

    def to_json(self) -> dict[str, Any]:
        """The whole result as JSON-ready data (what ``testament corroborate --json`` prints)."""
        return {
            "settings": vars(self.settings),
            "counts": self.counts,
            "targets": [
                a.to_json() | {"title": self.titles.get(a.target_id)}
                for a in sorted(self.assessments, key=lambda a: (a.target_kind, a.target_id))
            ],
            "claims": [
                {"id": claim_id, "status": status.value}
                for claim_id, status in self.claim_statuses.items()
            ],
        }


def corroborate_casebook(
    casebook: Casebook, settings: CorroborationSettings | None = None
) -> CasebookCorroboration:
    """Weigh every event and act of the casebook against its independent sources and denials.

    Args:
        casebook: an open casebook.
        settings: the thresholds (``CorroborationSettings()`` when None).

    Raises:
        DerivationCycleError: the sources' ``derived_from`` links form a cycle.
    """
    from testament.corroborate import corroborate

    chosen = settings or CorroborationSettings()
    graph = case_graph(casebook)
    titles = target_titles(casebook)
    return CasebookCorroboration(
        settings=chosen, graph=graph, outcome=corroborate(graph, chosen), titles=titles
    )


def _events_then_their_acts(assessments: list[Assessment], graph: CaseGraph) -> list[Assessment]:
    by_key = {(a.target_kind, a.target_id): a for a in assessments}
    event_of = {
        graph.target_keys[act][1]: graph.target_keys[int(event)][1]
        for act, event in enumerate(graph.act_event)
        if event >= 0
    }
    ordered: list[Assessment] = []
    for assessment in assessments:
        if assessment.target_kind == "event":
            ordered.append(assessment)
            ordered.extend(
                by_key[("act", act)]
                for act, event in sorted(event_of.items())
                if event == assessment.target_id and ("act", act) in by_key
            )
    ordered.extend(a for a in assessments if a.target_kind == "act" and a.target_id not in event_of)
    return ordered
