"""From scored pairs and reviewer decisions to clusters (one per person), and capture histories.

Links are added strongest first (reviewer-accepted pairs count as certain), equally strong links
in the order of their record ids: never in the order the engine returned the pairs, which changes
from run to run. A link that would put two records a reviewer called different people into one
cluster is skipped, so a ``non-match`` decision holds even when a chain of third records would
otherwise join them. Likewise a link that would put two records of one list together is skipped,
unless it links those two records directly and the run allows duplicates within a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

CLUSTER_COLUMNS = ("record_id", "cluster_id", "match_probability")


class _ConstrainedUnionFind:
    def __init__(
        self,
        size: int,
        forbidden: Iterable[tuple[int, int]],
        lists: Sequence[str] | None = None,
        *,
        direct_duplicates: bool = False,
    ) -> None:
        self.parent = np.arange(size)
        # When lists are given, each root keeps the lists its cluster has records from.
        self.record_list = list(lists) if lists is not None else None
        self.lists: list[frozenset[str]] | None = (
            [frozenset((name,)) for name in lists] if lists is not None else None
        )
        self.direct_duplicates = direct_duplicates
        self.forbidden: dict[int, set[int]] = {}
        for left, right in forbidden:
            self.forbidden.setdefault(left, set()).add(right)
            self.forbidden.setdefault(right, set()).add(left)

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[item] != root:
            self.parent[item], item = root, int(self.parent[item])
        return root

    def union(self, left: int, right: int) -> bool:
        """Join the clusters of ``left`` and ``right`` unless a decision forbids it."""
        root_l, root_r = self.find(left), self.find(right)
        if root_l == root_r:
            return True
        forbidden_l = self.forbidden.get(root_l, set())
        forbidden_r = self.forbidden.get(root_r, set())
        if any(self.find(other) == root_r for other in forbidden_l) or any(
            self.find(other) == root_l for other in forbidden_r
        ):
            return False
        if self.lists is not None and self.record_list is not None:
            shared = self.lists[root_l] & self.lists[root_r]
            own_list = self.record_list[left]
            direct = own_list == self.record_list[right] and shared == {own_list}
            if shared and not (self.direct_duplicates and direct):
                return False
            self.lists[root_l] = self.lists[root_l] | self.lists[root_r]
        self.parent[root_r] = root_l
        if forbidden_r:
            self.forbidden.setdefault(root_l, set()).update(forbidden_r)
            del self.forbidden[root_r]
        return True


def cluster_records(
    record_ids: Sequence[str],
    pairs: pd.DataFrame,
    match_threshold: float,
    *,
    forced_matches: Iterable[tuple[str, str]] = (),
    forced_non_matches: Iterable[tuple[str, str]] = (),
    lists: Sequence[str] | None = None,
    direct_duplicates: bool = False,
) -> pd.DataFrame:
    """One row per record: its cluster, and the match probability that put it there.

    With ``lists`` (each record's list, aligned with ``record_ids``) a cluster never holds two
    records of one list, so the weaker of two competing links loses — unless
    ``direct_duplicates``, when two records of one list may share a cluster through a link
    between the two of them (a list that names a man twice), never through records of other
    lists: without that rule, namesakes chain into ever larger clusters as lists grow.

    ``pairs`` has ``unique_id_l, unique_id_r, match_probability``. A record's
    ``match_probability`` is the strongest link that joined it to its cluster; for a record left
    on its own it is the score of its strongest candidate (how near it came to being linked),
    0 when no pair with it was scored.
    """
    position = {record_id: index for index, record_id in enumerate(record_ids)}
    non_matches = [
        (position[left], position[right])
        for left, right in forced_non_matches
        if left in position and right in position
    ]
    forbidden_pairs = {frozenset(pair) for pair in non_matches}
    left = pairs["unique_id_l"].map(position).to_numpy()
    right = pairs["unique_id_r"].map(position).to_numpy()
    probability = pairs["match_probability"].to_numpy(dtype=float)
    forced = [
        (position[a], position[b], 1.0)
        for a, b in forced_matches
        if a in position and b in position
    ]
    candidates = list(forced)
    # Strongest first; links of equal strength (common: records with the same comparison vector
    # score the same) in order of their record ids, never in the order the engine returned the
    # pairs, which changes from run to run and would decide which of two tied links wins.
    rank = np.empty(len(record_ids), dtype=np.int64)
    rank[sorted(range(len(record_ids)), key=record_ids.__getitem__)] = np.arange(len(record_ids))
    low = np.minimum(rank[left], rank[right])
    high = np.maximum(rank[left], rank[right])
    strong = np.flatnonzero(probability >= match_threshold)
    strong = strong[np.lexsort((high[strong], low[strong], -probability[strong]))]
    candidates.extend(
        zip(left[strong].tolist(), right[strong].tolist(), probability[strong], strict=True)
    )

    found = _ConstrainedUnionFind(
        len(record_ids), non_matches, lists, direct_duplicates=direct_duplicates
    )
    linked_probability = np.zeros(len(record_ids))
    linked = np.zeros(len(record_ids), dtype=bool)
    for a, b, score in candidates:
        if frozenset((a, b)) in forbidden_pairs:
            continue
        if found.union(a, b):
            for member in (a, b):
                linked[member] = True
                linked_probability[member] = max(linked_probability[member], score)
    best_candidate = np.zeros(len(record_ids))
    np.maximum.at(best_candidate, left, probability)
    np.maximum.at(best_candidate, right, probability)

    roots = np.array([found.find(index) for index in range(len(record_ids))])
    _, first_seen = np.unique(roots, return_index=True)
    numbering = {int(roots[index]): number for number, index in enumerate(sorted(first_seen), 1)}
    width = max(6, len(str(len(numbering))))
    return pd.DataFrame(
        {
            "record_id": list(record_ids),
            "cluster_id": [f"c{numbering[int(root)]:0{width}d}" for root in roots],
            "match_probability": np.where(linked, linked_probability, best_candidate).round(6),
        }
    )


def capture_history(clusters: pd.DataFrame, lists: pd.Series) -> pd.DataFrame:
    """The capture-history table: one 0/1 column per list (sorted by name) and ``count``.

    ``lists`` gives each record's list, aligned with ``clusters``. Each row is one pattern of
    lists seen together; ``count`` is how many clusters (people) have that pattern.
    """
    cluster_codes, _ = pd.factorize(clusters["cluster_id"])
    list_codes, list_names = pd.factorize(lists)
    order = np.argsort(np.asarray(list_names, dtype=str), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    seen = np.zeros((int(cluster_codes.max()) + 1, len(list_names)), dtype=np.int64)
    seen[cluster_codes, rank[list_codes]] = 1
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    names = [str(name) for name in np.asarray(list_names, dtype=str)[order]]
    history = pd.DataFrame(patterns, columns=names)
    history["count"] = counts
    history = history.sort_values(names, ascending=False, kind="stable").reset_index(drop=True)
    return history.astype(int)
