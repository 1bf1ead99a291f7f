"""One linkage run: check the records, compute features, score pairs, honour decisions, cluster."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from testament.link.clusters import capture_history, cluster_records
from testament.link.engine import open_engine
from testament.link.features import build_features
from testament.link.model import score
from testament.link.records import check_records
from testament.link.review import Decision, Verdict, ordered, pair_id
from testament.link.settings import LinkSettings


@dataclass(frozen=True)
class LinkageResult:
    """What a run found.

    Attributes:
        clusters: ``record_id, cluster_id, match_probability`` for every input record, in input
            order (see ``testament.link.clusters.cluster_records`` for the probability's meaning).
        review_queue: the pairs between the thresholds that no decision covers yet
            (``testament.link.review.QUEUE_COLUMNS``), most uncertain first (ties in the order
            of ``pairs``).
        history: the capture-history table (one 0/1 column per list and ``count``).
        pairs: every scored pair at or above the review threshold, with ``pair_id``, sorted by
            ``record_id_l, record_id_r``.
        lists: the list names, sorted.
        model: the trained Splink model (settings and m/u parameters), as a JSON-able dict.
        labelled_matches_used: accepted pairs used to estimate m (0 when too few).
    """

    clusters: pd.DataFrame
    review_queue: pd.DataFrame
    history: pd.DataFrame
    pairs: pd.DataFrame
    lists: tuple[str, ...]
    model: dict[str, Any] = field(repr=False)
    labelled_matches_used: int = 0

    @property
    def people(self) -> int:
        """Number of distinct people (clusters) found."""
        return int(self.clusters["cluster_id"].nunique())


def link_records(
    records: pd.DataFrame,
    settings: LinkSettings | None = None,
    *,
    decisions: Sequence[Decision] = (),
    where: str = "records",
    spark_session: Any = None,
    step: Callable[[str], None] = lambda _name: None,
) -> LinkageResult:
    """Link the records of several lists into people.

    Args:
        records: one row per record (``testament.link.records`` describes the columns), text.
        settings: thresholds, engine and training knobs (defaults: ``LinkSettings()``).
        decisions: reviewer decisions to honour (forced match / non-match) and learn from.
        where: how problems name the input ("RECORDS.csv" gives "RECORDS.csv row 12").
        spark_session: an existing Spark session for ``engine="spark"`` (default: local mode).
        step: called with the name of each long step (for progress display).

    Raises:
        RecordsError: the records cannot be linked (every problem listed with its row).
        EngineError: the engine cannot run here.
    """
    settings = settings or LinkSettings()
    check_records(records, where=where)
    step("normalising names and dates")
    features = build_features(records, where=where)
    records = records.reset_index(drop=True)
    record_ids = features["unique_id"].tolist()
    known = set(record_ids)
    applicable = [d for d in decisions if d.record_id_l in known and d.record_id_r in known]
    matches = [
        ordered(d.record_id_l, d.record_id_r) for d in applicable if d.verdict is Verdict.MATCH
    ]
    non_matches = [
        ordered(d.record_id_l, d.record_id_r) for d in applicable if d.verdict is Verdict.NON_MATCH
    ]
    with open_engine(settings, spark_session) as db_api:
        scored = score(features, settings, db_api, labelled_matches=matches, step=step)
    step("clustering")
    # The engine returns pairs in no fixed order; sorted, the pairs and the review queue (sorted
    # stably from them) are the same from run to run.
    pairs = scored.pairs.sort_values(["unique_id_l", "unique_id_r"], kind="stable")
    pairs = pairs.reset_index(drop=True)
    pairs.insert(
        0,
        "pair_id",
        [pair_id(a, b) for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)],
    )
    clusters = cluster_records(
        record_ids,
        pairs,
        settings.match_threshold,
        forced_matches=matches,
        forced_non_matches=non_matches,
        lists=features["list_name"].tolist(),
        direct_duplicates=settings.within_lists,
    )
    list_of = features.set_index("unique_id")["list_name"]
    decided = {d.pair_id for d in applicable}
    band = pairs[
        (pairs["match_probability"] < settings.match_threshold) & ~pairs["pair_id"].isin(decided)
    ]
    queue = pd.DataFrame(
        {
            "pair_id": band["pair_id"],
            "record_id_l": band["unique_id_l"],
            "record_id_r": band["unique_id_r"],
            "list_l": band["unique_id_l"].map(list_of),
            "list_r": band["unique_id_r"].map(list_of),
            "match_probability": band["match_probability"].round(6),
        }
    )
    order = (queue["match_probability"] - 0.5).abs().sort_values(kind="stable").index
    queue = queue.loc[order].reset_index(drop=True)
    return LinkageResult(
        clusters=clusters,
        review_queue=queue,
        history=capture_history(clusters, features["list_name"]),
        pairs=pairs.rename(columns={"unique_id_l": "record_id_l", "unique_id_r": "record_id_r"}),
        lists=tuple(sorted(features["list_name"].unique())),
        # Splink's linker_uid names its cache tables: random, and meaningless in a saved model.
        model={key: value for key, value in scored.model_json.items() if key != "linker_uid"},
        labelled_matches_used=scored.labelled_matches_used,
    )
