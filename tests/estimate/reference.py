"""Where the reference tables live: ``tests/estimate/data/mse``, with their provenance.

Every table carries its source and the published or R-computed figures in its ``#`` header;
``data/mse/README.md`` lists which test reproduces what.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testament.estimate.table import CaptureTable, read_table

MSE_DATA = Path(__file__).resolve().parent / "data" / "mse"


def reference_path(name: str) -> Path:
    """Path of a reference table; fails (never skips) when it is missing."""
    path = MSE_DATA / name
    if not path.is_file():
        pytest.fail(f"reference table {name} is missing from {MSE_DATA}")
    return path


def reference_table(name: str) -> CaptureTable:
    return read_table(reference_path(name))
