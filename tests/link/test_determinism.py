"""The same records and settings give the same people, byte for byte, run after run (issue 13).

DuckDB runs joins and aggregates on several threads and returns rows in no fixed order, and it
sums floating-point numbers in whatever order the threads deliver them; on lists of a few
thousand records that used to be enough to change which of two equally strong links won, and so
the clusters. (The Spark engine's test is in ``test_spark.py``.)
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from testament.link import LinkageResult, LinkSettings, link_records
from testament.synth import SynthSettings, generate_lists

pytestmark = pytest.mark.slow


def with_duplicates(records: pd.DataFrame, every: int = 25) -> pd.DataFrame:
    """``records`` plus a copy of every ``every``-th record on its own list under a new id, so
    that some links tie exactly (a record of another list scores the same against both copies)."""
    copies = records.iloc[::every].copy()
    copies["record_id"] = copies["record_id"] + "d"
    return pd.concat([records, copies], ignore_index=True)


def outputs(result: LinkageResult) -> dict[str, str]:
    """Everything a run writes or returns, as text."""
    return {
        "clusters": result.clusters.to_csv(index=False),
        "review_queue": result.review_queue.to_csv(index=False),
        "history": result.history.to_csv(index=False),
        "pairs": result.pairs.to_csv(index=False),
        "model": json.dumps(result.model, sort_keys=True),
    }


def test_three_runs_on_duckdb_give_byte_identical_outputs():
    lists = generate_lists(SynthSettings(people=3000, lists=4, seed=5))
    records = with_duplicates(lists.records)
    assert len(records) > 4500
    first, *others = [outputs(link_records(records, LinkSettings())) for _ in range(3)]
    for other in others:
        for name, text in first.items():
            assert other[name] == text, f"{name} differ between two runs"
