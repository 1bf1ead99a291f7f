"""Why true pairs are missed: where each missed pair of a synthetic run was lost.

For every pair of records of the same person that testament does not put in one cluster, this
says at which stage it was lost — no blocking rule let it through; it was scored below the review
threshold; it was scored between the thresholds; it was scored above the match threshold but
clustering kept it apart (a list may not hold one person twice) — and whether the two records'
given and family name keys agree. Then the misses per pair of lists. It is the breakdown to read
before changing the model: which cause is largest.

    .venv/bin/python -m benchmarks.link_misses [--people 10000] [--lists 4] [--seed 2026]
        [--conventions cyrillic,german,polish,french]
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter

import duckdb
import pandas as pd

from benchmarks.machine import print_machine


def _stage(blocked: bool, probability: float, review: float, match: float) -> str:
    if not blocked:
        return "not blocked"
    if probability < review:
        return f"scored below {review}"
    if probability < match:
        return f"scored {review}-{match}"
    return f"scored >= {match}, kept apart by clustering"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--conventions", default="cyrillic,german,polish,french")
    arguments = parser.parse_args()
    print_machine()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from testament.link import LinkSettings, link_records
    from testament.link.evaluation import true_pairs
    from testament.link.features import build_features
    from testament.link.model import BLOCKING_RULES
    from testament.synth import SynthSettings, generate_lists

    lists = generate_lists(
        SynthSettings(
            people=arguments.people,
            lists=arguments.lists,
            seed=arguments.seed,
            conventions=tuple(c for c in arguments.conventions.split(",") if c),
        )
    )
    settings = LinkSettings()
    result = link_records(lists.records, settings)
    features = build_features(lists.records)
    pairs = true_pairs(lists.truth)
    condition = " or ".join(f"coalesce({rule.as_plain_sql()}, false)" for rule in BLOCKING_RULES)
    connection = duckdb.connect()
    try:
        connection.register("features", features)
        connection.register("pairs", pairs)
        # The rules are testament's own SQL, never input.
        query = (
            "select p.record_id_l, p.record_id_r, "
            "l.list_name as list_l, r.list_name as list_r, "
            "coalesce(l.given_key = r.given_key, false) as given_equal, "
            "coalesce(l.family_key = r.family_key, false) as family_equal, "
            f"({condition}) as blocked "
            "from pairs p join features l on l.unique_id = p.record_id_l "
            "join features r on r.unique_id = p.record_id_r"
        )
        table = connection.execute(query).df()
    finally:
        connection.close()
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    linked = table["record_id_l"].map(cluster).to_numpy() == (
        table["record_id_r"].map(cluster).to_numpy()
    )
    scored = {
        frozenset((left, right)): probability
        for left, right, probability in zip(
            result.pairs["record_id_l"],
            result.pairs["record_id_r"],
            result.pairs["match_probability"],
            strict=True,
        )
    }
    missed = table[~linked]
    stages: Counter[tuple[str, str]] = Counter()
    for row in missed.itertuples():
        probability = scored.get(frozenset((row.record_id_l, row.record_id_r)), 0.0)
        stage = _stage(
            bool(row.blocked), probability, settings.review_threshold, settings.match_threshold
        )
        names = (
            f"given {'=' if row.given_equal else '≠'}, family {'=' if row.family_equal else '≠'}"
        )
        stages[(stage, names)] += 1
    print(f"true pairs {len(table)}, missed {len(missed)}")
    frame = pd.Series(stages).unstack(fill_value=0)
    frame["all"] = frame.sum(axis=1)
    print(frame.to_string())
    by_lists = Counter(
        " & ".join(sorted((left, right)))
        for left, right in zip(missed["list_l"], missed["list_r"], strict=True)
    )
    print("missed pairs by lists:", ", ".join(f"{k} {v}" for k, v in by_lists.most_common()))


if __name__ == "__main__":
    main()
