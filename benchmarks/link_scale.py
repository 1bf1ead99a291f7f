"""Scale: link synthetic lists of up to a million records; wall time and peak memory.

The records come from the synthetic generator (5 lists by default); the population size is
chosen so that the lists hold about ``--records`` records in all. Generation is timed apart from
linkage. Also printed: blocking recall and pairwise F1 against the truth, and beside it the F1 of
an oracle that links records by the true attributes of the people behind them (``oracle_clusters``):
the gap between the two is what testament loses to the lists' noise (typos, transliteration,
swapped names, missing fields, ages and years for dates), the oracle's shortfall from 1.0 is the
namesake ceiling, which no linker can pass. A second oracle that knows only the true names and
year of birth shows how many namesakes there are when that is all the lists say.

    .venv/bin/python -m benchmarks.link_scale --records 1000000            # DuckDB
    .venv/bin/python -m benchmarks.link_scale --records 50000 --engine spark
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from benchmarks.machine import peak_rss_mib, print_machine

if TYPE_CHECKING:
    from testament.synth import SyntheticLists

# Share of the population an average list records, with the generator's default capture model.
_RECORDS_PER_PERSON_PER_LIST = 0.33
# What the records say of a person, as the generator drew it before any list wrote it down
# (columns of ``SyntheticLists.people``): names in Cyrillic, sex, birth, place and event date.
# Ages follow from birth and event; the father's name is in the patronymic.
TRUE_ATTRIBUTES = ("given", "family", "patronymic", "sex", "birth", "place", "event")
NAMES_AND_YEAR = ("given", "family", "birth_year")


def oracle_clusters(
    lists: SyntheticLists, attributes: Sequence[str] = TRUE_ATTRIBUTES
) -> pd.DataFrame:
    """``record_id, cluster_id`` of an oracle linker: two records are one person when the people
    behind them have identical true ``attributes`` (``birth_year`` is also available). It sees
    through every typo, rendering and missing field; its only errors are namesakes."""
    people = lists.people.assign(
        birth_year=[date.fromordinal(int(day)).year for day in lists.people["birth"]]
    )
    behind = lists.truth[["record_id", "person_id"]].merge(
        people[["person_id", *attributes]], on="person_id", how="left", validate="many_to_one"
    )
    cluster = behind.groupby(list(attributes), sort=False, dropna=False).ngroup()
    return pd.DataFrame({"record_id": behind["record_id"], "cluster_id": cluster})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--lists", type=int, default=5)
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--across-lists-only", action="store_true", help="Skip pairs within one list."
    )
    parser.add_argument("--memory-gib", type=float, default=None, help="DuckDB memory limit.")
    parser.add_argument("--chunk-records", type=int, default=250_000, help="Scoring chunk size.")
    arguments = parser.parse_args()
    print_machine()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from testament.link import LinkSettings, link_records
    from testament.link.evaluation import blocking_recall, pairwise_scores
    from testament.link.features import build_features
    from testament.synth import SynthSettings, generate_lists

    people = round(arguments.records / (arguments.lists * _RECORDS_PER_PERSON_PER_LIST))
    started = time.perf_counter()
    lists = generate_lists(SynthSettings(people=people, lists=arguments.lists, seed=arguments.seed))
    generated = time.perf_counter() - started
    print(
        f"generated {len(lists.records)} records on {arguments.lists} lists "
        f"({people} people, {lists.truth['person_id'].nunique()} seen) in {generated:.0f} s"
    )

    settings = LinkSettings(
        engine=arguments.engine,
        within_lists=not arguments.across_lists_only,
        memory_limit_gib=arguments.memory_gib,
        chunk_records=arguments.chunk_records,
    )
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def step(name: str) -> None:
        steps.append((name, time.perf_counter() - started))
        print(f"  {time.perf_counter() - started:7.1f} s  {name}", flush=True)

    result = link_records(lists.records, settings, step=step)
    linked = time.perf_counter() - started
    peak = peak_rss_mib()

    scores = pairwise_scores(result.clusters, lists.truth)
    recall, true_pairs = blocking_recall(build_features(lists.records), lists.truth)
    print(
        f"engine {arguments.engine}: linked {len(result.clusters)} records in {linked:.0f} s "
        f"({linked / 60:.1f} min); peak memory of this process {peak / 1024:.2f} GiB"
        + (" (Spark's JVM not included)" if arguments.engine == "spark" else "")
    )
    print(
        f"pairs scored above the review threshold: {len(result.pairs)}; review queue: "
        f"{len(result.review_queue)}; people found {result.people}"
    )
    print(
        f"blocking recall {recall:.4f} of {true_pairs} true pairs; pairwise precision "
        f"{scores.precision:.4f} recall {scores.recall:.4f} F1 {scores.f1:.4f}"
    )
    oracle = pairwise_scores(oracle_clusters(lists), lists.truth)
    coarse = pairwise_scores(oracle_clusters(lists, NAMES_AND_YEAR), lists.truth)
    print(
        f"oracle on the true {', '.join(TRUE_ATTRIBUTES)}: precision {oracle.precision:.4f} "
        f"recall {oracle.recall:.4f} F1 {oracle.f1:.4f}"
    )
    print(
        f"F1: testament {scores.f1:.4f}, oracle {oracle.f1:.4f}; lost to noise "
        f"{oracle.f1 - scores.f1:.4f} (the gap), namesake ceiling {1 - oracle.f1:.4f} "
        "(the oracle's shortfall from 1)"
    )
    print(
        f"oracle on the true names and birth year only: precision {coarse.precision:.4f} "
        f"F1 {coarse.f1:.4f} (namesakes where lists give no more)"
    )


if __name__ == "__main__":
    main()
