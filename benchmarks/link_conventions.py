"""Linkage across national spellings: F1 per transliteration convention, Cyrillic list against it.

People from the North Caucasus are listed where they fled, and each country's lists spell their
names its own way (``testament.synth.conventions``: German "Chamsat Umarow", French "Khamzat
Oumarov", Turkish "Hamzat Umarov", ...). For each convention X this generates lists from the same
seed — the same population and the same captures, only the spelling differs — where list 1 is in
Cyrillic and lists 2.. are in X (each list keeps its usual layout, dates and noise), links them
with ``testament.link.link_records`` and scores the pairs of records on different lists:
precision, recall and F1 against the truth, the share of true pairs blocking lets through, and
the time of the linkage. The iuliia systems the default lists use (Wikipedia, ICAO, ...) and an
all-Cyrillic run follow for comparison.

Conventions passed with ``--held-out`` are marked: the linker's authors promise not to have tuned
it on them, so the gap between them and the others is what tuning on the rest bought.

    .venv/bin/python -m benchmarks.link_conventions [--people 4000] [--lists 2] [--seed 2026]
        [--noise 1] [--held-out spanish,hungarian,italian] [--only german,french]
"""

from __future__ import annotations

import argparse
import logging
import time
from statistics import mean

import pandas as pd

from benchmarks.machine import peak_rss_mib, print_machine

# The linker's readings (link/readings.py) were written for German, Polish, French, Turkic,
# Nordic (with Dutch "oe") and Czech spellings; these conventions were left out of them.
HELD_OUT = ("spanish", "hungarian", "italian")
FORMAL = ("WIKIPEDIA", "ICAO_DOC_9303", "GOST_779", "BGN_PCGN", "SCIENTIFIC", "TELEGRAM")


def _pairs(groups: pd.Series) -> int:
    sizes = groups.to_numpy(dtype=float)
    return int((sizes * (sizes - 1) / 2).sum())


def cross_list_scores(clusters: pd.DataFrame, truth: pd.DataFrame) -> tuple[int, int, int]:
    """True, predicted and correct pairs of records on *different* lists: every pair of a
    group minus the pairs inside one list of it."""
    joined = clusters[["record_id", "cluster_id"]].merge(
        truth[["record_id", "person_id", "list"]], on="record_id", validate="one_to_one"
    )

    def across(keys: list[str]) -> int:
        return _pairs(joined.groupby(keys).size()) - _pairs(joined.groupby([*keys, "list"]).size())

    return across(["person_id"]), across(["cluster_id"]), across(["cluster_id", "person_id"])


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--lists", type=int, default=2, help="lists 2.. are in the convention")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--noise", type=float, default=1.0)
    parser.add_argument("--held-out", default=",".join(HELD_OUT), help="conventions to mark")
    parser.add_argument("--only", default="", help="these systems only (comma-separated)")
    arguments = parser.parse_args()
    print_machine()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from testament.link import LinkSettings, link_records
    from testament.link.evaluation import PairwiseScores, blocking_recall
    from testament.link.features import build_features
    from testament.synth import SynthSettings, generate_lists
    from testament.synth.conventions import CONVENTIONS
    from testament.synth.render import check_system

    held_out = _names(arguments.held_out)
    systems = _names(arguments.only) or (*CONVENTIONS, *FORMAL, "cyrillic")
    for system in (*held_out, *systems):
        check_system(system)
    settings = LinkSettings()
    print(
        f"{arguments.people} people, {arguments.lists} lists (list 1 Cyrillic, the others in the "
        f"system), seed {arguments.seed}, noise {arguments.noise}; pairs across lists; "
        f"match threshold {settings.match_threshold}; * = held out"
    )
    header = (
        f"{'system':<15}{'held out':>9}{'records':>9}{'pairs':>7}{'precision':>10}{'recall':>9}"
        f"{'F1':>8}{'blocking':>9}{'link s':>8}"
    )
    print(header)
    scores: dict[str, float] = {}
    for system in systems:
        lists = generate_lists(
            SynthSettings(
                people=arguments.people,
                lists=arguments.lists,
                seed=arguments.seed,
                noise=arguments.noise,
                conventions=("cyrillic",) + (system,) * (arguments.lists - 1),
            )
        )
        started = time.perf_counter()
        result = link_records(lists.records, settings)
        seconds = time.perf_counter() - started
        pairs = PairwiseScores(*cross_list_scores(result.clusters, lists.truth))
        blocking, _ = blocking_recall(build_features(lists.records), lists.truth)
        scores[system] = pairs.f1
        print(
            f"{system:<15}{'*' if system in held_out else '':>9}{len(lists.records):>9}"
            f"{pairs.true_pairs:>7}{pairs.precision:>10.4f}{pairs.recall:>9.4f}{pairs.f1:>8.4f}"
            f"{blocking:>9.4f}{seconds:>8.1f}",
            flush=True,
        )
    tuned = [f1 for name, f1 in scores.items() if name in CONVENTIONS and name not in held_out]
    unseen = [f1 for name, f1 in scores.items() if name in held_out]
    if tuned and unseen:
        print(
            f"mean F1: conventions not held out {mean(tuned):.4f} ({len(tuned)}), "
            f"held out {mean(unseen):.4f} ({len(unseen)})"
        )
    print(f"peak memory: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
