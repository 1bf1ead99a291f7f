"""Scale: link synthetic lists of up to a million records; wall time and peak memory.

The records come from the synthetic generator (5 lists by default); the population size is
chosen so that the lists hold about ``--records`` records in all. Generation is timed apart from
linkage. Also printed: blocking recall and pairwise F1 against the truth.

    .venv/bin/python -m benchmarks.link_scale --records 1000000            # DuckDB
    .venv/bin/python -m benchmarks.link_scale --records 50000 --engine spark
"""

from __future__ import annotations

import argparse
import logging
import time

from benchmarks.machine import peak_rss_mib, print_machine

# Share of the population an average list records, with the generator's default capture model.
_RECORDS_PER_PERSON_PER_LIST = 0.33


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


if __name__ == "__main__":
    main()
