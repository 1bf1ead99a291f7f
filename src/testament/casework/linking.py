"""Linking the persons on a casebook's lists into people, in one call.

The persons an organisation listed (Person records whose ``source_id`` is that organisation's
list) become the records table of ``testament.link`` in memory (``store.persons.linkage_rows``),
are linked, and the clusters are stored as the person links of one audited run
(``store.persons.store_person_links``) — never as merges or deletions. The run's queue of
uncertain pairs is stored with it (the desk's review queue), and the decisions reviewers stored
in the casebook (``store.link_review``) are honoured: "same" links the pair, "different" keeps
the two apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from testament.core.errors import InputError
from testament.link import Decision, LinkageResult, LinkSettings, Verdict, link_records
from testament.store.casebook import Casebook
from testament.store.link_review import StoredDecision, stored_decisions
from testament.store.persons import LINK_COLUMNS, linkage_rows, store_person_links


@dataclass(frozen=True)
class CasebookLinkage:
    """What linking a casebook found and stored.

    Attributes:
        run_id: the id of the stored linkage run (``store.persons.person_links(casebook, run_id)``).
        records: the persons as linkage records (``store.persons.LINK_COLUMNS``), for review.
        linkage: the linkage result: clusters, review queue, capture history, pairs.
        unlisted_persons: persons on no list, left out of the linkage.
        decisions_honoured: reviewer decisions the run honoured (stored and given).
    """

    run_id: str
    records: pd.DataFrame
    linkage: LinkageResult
    unlisted_persons: int
    decisions_honoured: int = 0

    @property
    def persons(self) -> int:
        """Persons linked (one record each)."""
        return len(self.records)

    @property
    def people(self) -> int:
        """Distinct people the persons were linked into."""
        return self.linkage.people

    @property
    def lists(self) -> tuple[str, ...]:
        """The lists (their source ids), sorted."""
        return self.linkage.lists


def link_casebook(
    casebook: Casebook,
    settings: LinkSettings,
    *,
    actor: str,
    decisions: Sequence[Decision] = (),
    step: Callable[[str], None] = lambda _name: None,
) -> CasebookLinkage:
    """Link the persons on the casebook's lists and store the clusters as one run of links.

    Args:
        casebook: an open casebook.
        settings: how to link (``testament.link.LinkSettings``).
        actor: who runs the linkage (kept in the audit log).
        decisions: reviewer decisions to honour, on pairs of person ids, besides those stored
            in the casebook (a decision given here wins over a stored one on the same pair).
        step: called with the name of each long step (for progress display).

    Raises:
        InputError: no person is on a list.
        RecordsError: the persons cannot be linked (e.g. they are all on one list).
    """
    rows, unlisted = linkage_rows(casebook)
    if not rows:
        raise InputError(
            f"{casebook.location} holds no persons on a list: give each Person the source_id of "
            "the organisation's list it comes from"
        )
    records = pd.DataFrame(rows, columns=list(LINK_COLUMNS), dtype=object)
    listed = set(records["record_id"])
    honoured = {
        decision.pair_id: decision
        for decision in [*map(as_decision, stored_decisions(casebook)), *decisions]
        # a decision on a person since taken off every list has nothing to bind in this run
        if decision.record_id_l in listed and decision.record_id_r in listed
    }
    result = link_records(
        records,
        settings,
        decisions=list(honoured.values()),
        where="casebook persons",
        step=step,
    )
    links = zip(
        result.clusters["record_id"],
        result.clusters["cluster_id"],
        (None if pd.isna(p) else float(p) for p in result.clusters["match_probability"]),
        strict=True,
    )
    queue = result.review_queue
    review = zip(
        queue["pair_id"].astype(str),
        queue["record_id_l"].astype(str),
        queue["record_id_r"].astype(str),
        queue["match_probability"].astype(float),
        strict=True,
    )
    run_id = store_person_links(casebook, links, actor=actor, review=review)
    return CasebookLinkage(
        run_id=run_id,
        records=records,
        linkage=result,
        unlisted_persons=unlisted,
        decisions_honoured=len(honoured),
    )


def as_decision(stored: StoredDecision) -> Decision:
    """A stored decision as the linkage reads it: "same" is a match, "different" a non-match."""
    return Decision(
        record_id_l=stored.person_id_l,
        record_id_r=stored.person_id_r,
        verdict=Verdict.MATCH if stored.verdict == "same" else Verdict.NON_MATCH,
        decided_at=stored.decided_at.isoformat(timespec="seconds"),
        reviewer=stored.decided_by,
        note=stored.note,
    )
