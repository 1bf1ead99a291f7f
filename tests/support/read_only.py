"""A fixture under which SQLite refuses every write to a casebook, as to a read-only file.

Tests run as root, whom file modes do not stop; ``PRAGMA query_only`` makes SQLite fail with the
error a read-only file gives ("attempt to write a readonly database"), through the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from testament.store import engine as engine_module


@pytest.fixture
def refuse_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it, and every SQLite casebook opened from then on refuses writes."""
    original = engine_module._sqlite_pragmas

    def pragmas(dbapi_connection: Any, record: Any) -> None:
        original(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA query_only = ON")

    return lambda: monkeypatch.setattr(engine_module, "_sqlite_pragmas", pragmas)
