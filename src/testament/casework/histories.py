"""Capture histories of a casebook's linked persons: which lists recorded each person.

A linkage run (``casework.linking.link_casebook``) stores, for every person on a list, the
cluster (the one real person) it was linked into. A capture history counts those people by the
combination of lists that recorded them: one 0/1 column per list and ``count``, the table
multiple systems estimation starts from. It is computed from the stored run, not from a file,
so any earlier run can be counted again and the count always matches the links a reviewer sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from testament.core.errors import InputError, RecordNotFoundError
from testament.estimate.table import CaptureTable, from_histories
from testament.link.clusters import capture_history
from testament.store.casebook import Casebook
from testament.store.persons import person_links

COUNT_COLUMN = "count"


@dataclass(frozen=True)
class CaptureHistories:
    """The capture histories of one linkage run.

    Attributes:
        run_id: the stored linkage run they were counted from.
        frame: one 0/1 column per list (sorted by name) and ``count``, one row per pattern,
            most lists first: what ``testament link casebook --history`` writes.
        persons: the persons of the run that are on a list today.
        people: the people (clusters) they were linked into.
        unlisted_persons: persons of the run whose list was since removed (left out).
    """

    run_id: str
    frame: pd.DataFrame
    persons: int
    people: int
    unlisted_persons: int = 0

    @property
    def lists(self) -> tuple[str, ...]:
        """The lists (their source ids), sorted."""
        return tuple(str(name) for name in self.frame.columns if name != COUNT_COLUMN)

    def table(self) -> CaptureTable:
        """The histories as the capture table ``testament.estimate`` takes."""
        lists = list(self.lists)
        return from_histories(
            lists,
            self.frame[lists].to_numpy(),
            self.frame[COUNT_COLUMN].to_numpy(),
            source=f"linkage run {self.run_id}",
        )


def capture_histories(casebook: Casebook, run_id: str | None = None) -> CaptureHistories:
    """Count the people of one stored linkage run (the latest when ``run_id`` is None) by list.

    Each person counts on the list its Person record names (``source_id``) today.

    Raises:
        InputError: the casebook holds no linkage run yet.
        RecordNotFoundError: no run with ``run_id`` is stored.
        InputError: none of the run's persons is on a list any more.
    """
    links = person_links(casebook, run_id)
    if not links:
        if run_id is None:
            raise InputError(
                f"{casebook.location} holds no linkage run: link its persons first "
                "(testament link casebook)"
            )
        raise RecordNotFoundError(
            f"{casebook.location} holds no linkage run {run_id!r} "
            "(the run id is printed by testament link casebook)"
        )
    list_of = dict(casebook.table_rows("person", "id", "source_id"))
    listed = [link for link in links if list_of.get(link.person_id) is not None]
    if not listed:
        raise InputError(
            f"linkage run {links[0].run_id}: none of its persons is on a list any more"
        )
    clusters = pd.DataFrame({"cluster_id": [link.cluster_id for link in listed]})
    lists = pd.Series([str(list_of[link.person_id]) for link in listed])
    return CaptureHistories(
        run_id=links[0].run_id,
        frame=capture_history(clusters, lists),
        persons=len(listed),
        people=int(clusters["cluster_id"].nunique()),
        unlisted_persons=len(links) - len(listed),
    )
