"""Opening a database for a casebook: an SQLite file by default, PostgreSQL for teams.

SQLite gets the settings a single-file casebook needs to be safe: foreign keys enforced (SQLite
leaves them off by default), WAL journaling so a reader never blocks the writer and a crash never
leaves a half-written page, and a busy timeout instead of an immediate "database is locked". A
casebook this user cannot write gets one clear error (``read_only``), never SQLAlchemy's, which
quotes the refused statement's parameters: record contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, ExceptionContext, create_engine, event
from sqlalchemy.engine import make_url

from testament.core.errors import CasebookError


def database_url(location: str | Path) -> str:
    """A SQLAlchemy URL for ``location``: a file path, ``sqlite:///...`` or ``postgresql://...``."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        if not text.startswith(("sqlite://", "postgresql+psycopg://")):
            raise CasebookError(
                f"unsupported database {text!r}: use a file path or postgresql://user@host/db"
            )
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed data
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute(
        "PRAGMA cache_size = -262144"
    )  # 256 MiB of page cache: index upkeep in big imports
    cursor.close()


def _read_only_errors(location: str, path: Path) -> Any:
    """A ``handle_error`` hook raising ``ReadOnlyCasebookError`` for a read-only casebook."""
    from testament.store.read_only import explain

    def hook(context: ExceptionContext) -> None:
        clear = explain(context.original_exception, location, path)
        if clear is not None:
            raise clear from None  # not chained: the original quotes record contents

    return hook


def make_engine(location: str | Path) -> Engine:
    url = database_url(location)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        path = sqlite_path(location)
        if path is not None:
            event.listen(engine, "handle_error", _read_only_errors(str(location), path))
        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_path(location: str | Path) -> Path | None:
    """The file behind an SQLite location, or None for a server database."""
    url = make_url(database_url(location))
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)
