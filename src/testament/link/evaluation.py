"""Measuring linkage against known truth: pairwise precision, recall and F1, and blocking recall.

Pairwise measures count record pairs: a pair is predicted when both records share a cluster and
true when both are the same person. Blocking recall is the share of true pairs that at least one
blocking rule lets through to scoring — pairs it misses can never be linked, whatever the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from testament.link.model import BLOCKING_RULES, BlockingRule


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(sizes: pd.Series) -> int:
    values = sizes.to_numpy(dtype=float)
    return int((values * (values - 1) / 2).sum())


def pairwise_scores(clusters: pd.DataFrame, truth: pd.DataFrame) -> PairwiseScores:
    """Compare ``record_id, cluster_id`` with ``record_id, person_id``."""
    joined = clusters[["record_id", "cluster_id"]].merge(
        truth[["record_id", "person_id"]], on="record_id", how="inner", validate="one_to_one"
    )
    return PairwiseScores(
        true_pairs=_pairs(joined.groupby("person_id").size()),
        predicted_pairs=_pairs(joined.groupby("cluster_id").size()),
        correct_pairs=_pairs(joined.groupby(["cluster_id", "person_id"]).size()),
    )


def true_pairs(truth: pd.DataFrame) -> pd.DataFrame:
    """Every pair of records of the same person: ``record_id_l, record_id_r``."""
    left = truth[["record_id", "person_id"]]
    joined = left.merge(left, on="person_id", suffixes=("_l", "_r"))
    joined = joined[joined["record_id_l"] < joined["record_id_r"]]
    return joined[["record_id_l", "record_id_r"]].reset_index(drop=True)


def blocking_recall(
    features: pd.DataFrame, truth: pd.DataFrame, rules: Sequence[BlockingRule] = BLOCKING_RULES
) -> tuple[float, int]:
    """Share of true pairs that pass at least one of ``rules``, and the number of true pairs.
    Evaluated by DuckDB with the rules' own SQL (``BlockingRule.as_plain_sql``)."""
    import duckdb

    pairs = true_pairs(truth)
    if pairs.empty:
        return 1.0, 0
    condition = " or ".join(f"coalesce({rule.as_plain_sql()}, false)" for rule in rules)
    connection = duckdb.connect()
    try:
        connection.register("features", features)
        connection.register("pairs", pairs)
        # The rules are testament's own SQL, never input.
        query = (
            "select count(*) from pairs p "  # noqa: S608
            "join features l on l.unique_id = p.record_id_l "
            "join features r on r.unique_id = p.record_id_r "
            f"where {condition}"
        )
        kept = connection.execute(query).fetchone()
    finally:
        connection.close()
    assert kept is not None
    return int(kept[0]) / len(pairs), len(pairs)
