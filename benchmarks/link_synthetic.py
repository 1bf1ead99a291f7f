"""Synthetic transliterated lists: testament vs Splink with a generic configuration, same data.

The lists come from ``testament synth lists`` (North-Caucasus names in Cyrillic and in several
Latin transliteration systems, typos, swapped names, ages instead of dates). The generic
configuration is what one writes without knowing the domain: Jaro-Winkler on the names as given,
exact equality of dates of birth, sex and place, blocking on names and dates as given, Splink's
usual training (u by sampling, EM on names — which also sets the prior — and on birth). A
second generic run first writes all Cyrillic in Latin letters (one system, lower case).
"testament, clean" is testament with ``within_lists=False`` (``--across-lists-only``): for lists
known to name each person once, as these are.

    .venv/bin/python -m benchmarks.link_synthetic [--people 20000] [--lists 4] [--seed 2026]
        [--conventions cyrillic,german,polish,french]
"""

from __future__ import annotations

import argparse
import logging
import time

import pandas as pd

from benchmarks.machine import peak_rss_mib, print_machine


def generic_records(records: pd.DataFrame, *, latin: bool = False) -> pd.DataFrame:
    """The columns a generic configuration compares; ``latin`` first writes Cyrillic in Latin
    letters (one system, lower case) — the one step a non-specialist would think of."""
    reported = records["names_as_reported"].str.split()
    first = reported.str[0].fillna("")
    last = reported.str[-1].fillna("")
    table = pd.DataFrame(
        {
            "unique_id": records["record_id"],
            "given": records["given_name"].where(records["given_name"] != "", first),
            "family": records["family_name"].where(records["family_name"] != "", last),
            "birth": records["birth"],
            "sex": records["sex"],
            "place": records["place"],
        }
    )
    if latin:
        import iuliia

        for column in ("given", "family", "place"):
            values = {v: iuliia.WIKIPEDIA.translate(v).lower() for v in table[column].unique()}
            table[column] = table[column].map(values)
    return table.replace("", None)


def run_generic(
    records: pd.DataFrame, threshold: float, *, latin: bool = False
) -> tuple[pd.DataFrame, float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    table = generic_records(records, latin=latin)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("family", [0.9, 0.8]),
            cl.ExactMatch("birth"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("family", "birth"),
            block_on("given", "birth"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(table), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given", "family"),
        populate_probability_two_random_records_match_from_trained_values=True,
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth", "sex"))
    predictions = linker.inference.predict(threshold_match_probability=0.1)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    ).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    clusters = clusters.rename(columns={"unique_id": "record_id"})
    return clusters[["record_id", "cluster_id"]].astype(str), elapsed


def generic_blocking_recall(
    records: pd.DataFrame, truth: pd.DataFrame, *, latin: bool = False
) -> float:
    import duckdb

    from testament.link.evaluation import true_pairs

    pairs = true_pairs(truth)
    connection = duckdb.connect()
    connection.register("features", generic_records(records, latin=latin))
    connection.register("pairs", pairs)
    kept = connection.execute(
        "select count(*) from pairs p join features l on l.unique_id = p.record_id_l "
        "join features r on r.unique_id = p.record_id_r where "
        "coalesce(l.given = r.given and l.family = r.family, false) "
        "or coalesce(l.family = r.family and l.birth = r.birth, false) "
        "or coalesce(l.given = r.given and l.birth = r.birth, false)"
    ).fetchone()
    assert kept is not None
    return int(kept[0]) / len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--conventions",
        default="",
        help="Each list's writing system, comma-separated (e.g. cyrillic,german,polish,french); "
        "default: the generator's usual lists",
    )
    arguments = parser.parse_args()
    print_machine()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from testament.link import LinkSettings, link_records
    from testament.link.evaluation import blocking_recall, pairwise_scores
    from testament.link.features import build_features
    from testament.synth import SynthSettings, generate_lists

    lists = generate_lists(
        SynthSettings(
            people=arguments.people,
            lists=arguments.lists,
            seed=arguments.seed,
            conventions=tuple(c for c in arguments.conventions.split(",") if c),
        )
    )
    seen = lists.truth["person_id"].nunique()
    print(
        f"synthetic lists: {arguments.people} people, {arguments.lists} lists, seed "
        f"{arguments.seed}: {len(lists.records)} records of {seen} people seen"
    )
    settings = LinkSettings()
    started = time.perf_counter()
    result = link_records(lists.records, settings)
    testament_seconds = time.perf_counter() - started
    ours = pairwise_scores(result.clusters, lists.truth)
    our_blocking, true_pairs = blocking_recall(build_features(lists.records), lists.truth)
    rows = [("testament", ours, our_blocking, testament_seconds)]
    # The synthetic lists name each person at most once, as deduplicated lists do.
    started = time.perf_counter()
    clean = link_records(lists.records, LinkSettings(within_lists=False))
    clean_seconds = time.perf_counter() - started
    clean_scores = pairwise_scores(clean.clusters, lists.truth)
    rows.append(("testament, clean", clean_scores, our_blocking, clean_seconds))
    for name, latin in (("generic Splink", False), ("generic, Latin", True)):
        clusters, seconds = run_generic(lists.records, settings.match_threshold, latin=latin)
        scores = pairwise_scores(clusters, lists.truth)
        blocking = generic_blocking_recall(lists.records, lists.truth, latin=latin)
        rows.append((name, scores, blocking, seconds))

    print(f"true pairs: {true_pairs}; match threshold {settings.match_threshold}")
    header = (
        f"{'pipeline':<18}{'precision':>10}{'recall':>10}{'F1':>10}{'blocking':>10}{'wall s':>9}"
    )
    print(header)
    for name, scores, blocking, seconds in rows:
        print(
            f"{name:<18}{scores.precision:>10.4f}{scores.recall:>10.4f}{scores.f1:>10.4f}"
            f"{blocking:>10.4f}{seconds:>9.1f}"
        )
    print(f"people found by testament: {result.people} (truth: {seen})")
    print(f"peak memory: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
