"""The same records and settings give the same people, byte for byte, run after run (issue 13).

DuckDB runs joins and aggregates on several threads and returns rows in no fixed order, and it
sums floating-point numbers in whatever order the threads deliver them; on lists of a few
thousand records that used to be enough to change which of two equally strong links won, and so
the clusters. (The Spark engine's test is in ``test_spark.py``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from testament.link import LinkageResult, LinkSettings, link_records
from testament.synth import SynthSettings, generate_lists

pytestmark = pytest.mark.slow

# Run in another process by the test across processes: the same records, clusters to a file.
_LINK_IN_ANOTHER_PROCESS = """
import sys
from testament.link import LinkSettings, link_records
from tests.link.test_determinism import duplicated_lists
link_records(duplicated_lists(), LinkSettings()).clusters.to_csv(sys.argv[1], index=False)
"""


def with_duplicates(records: pd.DataFrame, every: int = 25) -> pd.DataFrame:
    """``records`` plus a copy of every ``every``-th record on its own list under a new id, so
    that some links tie exactly (a record of another list scores the same against both copies)."""
    copies = records.iloc[::every].copy()
    copies["record_id"] = copies["record_id"] + "d"
    return pd.concat([records, copies], ignore_index=True)


def duplicated_lists() -> pd.DataFrame:
    """About 4,800 records of four synthetic lists, some of them twice."""
    return with_duplicates(generate_lists(SynthSettings(people=3000, lists=4, seed=5)).records)


def outputs(result: LinkageResult) -> dict[str, str]:
    """Everything a run writes or returns, as text."""
    return {
        "clusters": result.clusters.to_csv(index=False),
        "review_queue": result.review_queue.to_csv(index=False),
        "history": result.history.to_csv(index=False),
        "pairs": result.pairs.to_csv(index=False),
        "model": json.dumps(result.model, sort_keys=True),
    }


@pytest.fixture(scope="module")
def first_run() -> dict[str, str]:
    return outputs(link_records(duplicated_lists(), LinkSettings()))


def test_three_runs_on_duckdb_give_byte_identical_outputs(first_run):
    for _ in range(2):
        again = outputs(link_records(duplicated_lists(), LinkSettings()))
        for name, text in first_run.items():
            assert again[name] == text, f"{name} differ between two runs"


def test_a_run_in_another_process_gives_the_same_clusters(first_run, tmp_path):
    """Another process hashes strings with another seed: nothing may depend on set order."""
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    # The same modules as this process (this worktree's code, the tests package).
    environment["PYTHONPATH"] = os.pathsep.join(
        path for path in sys.path if path and Path(path).is_dir()
    )
    clusters = tmp_path / "clusters.csv"
    subprocess.run(
        [sys.executable, "-c", _LINK_IN_ANOTHER_PROCESS, str(clusters)],
        capture_output=True,
        env=environment,
        check=True,
        timeout=600,
    )
    assert clusters.read_text(encoding="utf-8") == first_run["clusters"]
