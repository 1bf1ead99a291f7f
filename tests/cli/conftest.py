from __future__ import annotations

from pathlib import Path

import pytest

from testament.store import Casebook


@pytest.fixture
def db(tmp_path: Path) -> str:
    """An empty SQLite casebook."""
    path = tmp_path / "casebook.sqlite"
    Casebook.create(path).close()
    return str(path)
