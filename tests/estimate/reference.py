"""Where the reference tables live: ``shared/data/mse`` beside the repository (also in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testament.estimate.table import CaptureTable, read_table

MSE_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"


def reference_path(name: str) -> Path:
    """Path of a reference table; fails (never skips) when the shared folder is missing."""
    if not MSE_DATA.is_dir():
        pytest.fail(
            f"reference tables not found at {MSE_DATA.resolve()}: the tests expect the shared "
            "folder (shared/data/mse) beside the repository root, as CI provides it"
        )
    path = MSE_DATA / name
    if not path.is_file():
        pytest.fail(f"reference table {name} is missing from {MSE_DATA.resolve()}")
    return path


def reference_table(name: str) -> CaptureTable:
    return read_table(reference_path(name))
