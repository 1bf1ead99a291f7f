"""Every storage test runs twice: on an SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testament.store import Casebook


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def casebook_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "casebook.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def casebook(casebook_location: str) -> Iterator[Casebook]:
    with Casebook.create(casebook_location) as opened:
        yield opened
