"""A casebook this user cannot write: one clear error instead of SQLAlchemy's.

SQLite refuses writes to a read-only file ("attempt to write a readonly database"), and cannot
even open a WAL casebook, to read it, in a folder where it cannot create the ``-wal`` and
``-shm`` files beside it ("unable to open database file"). SQLAlchemy's exception for either
quotes the statement and its parameters, which are record contents (testimony) and must not be
printed; the CLI would also show it as a traceback. ``explain`` turns such an error into a
``ReadOnlyCasebookError`` that says what is read-only, where, and what to do.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from testament.core.errors import ReadOnlyCasebookError

_SQLITE_READONLY = 8  # and its extended codes: READONLY_RECOVERY, _CANTLOCK, _DIRECTORY, ...
_SQLITE_CANTOPEN = 14
_WHAT_TO_DO = (
    "Nothing was changed. Make the casebook and its folder writable for your user "
    "(chmod u+w), or copy the casebook to a folder you can write and use the copy."
)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)  # False on a read-only file system too, even for root


def explain(error: BaseException, location: str, path: Path) -> ReadOnlyCasebookError | None:
    """The error to raise instead of ``error`` (a DBAPI error on the SQLite file ``path``), or
    None when it is not about the casebook being read-only."""
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    folder = path.parent
    if code == _SQLITE_READONLY:
        if path.exists() and not _writable(path):
            where = f"the file {path} is read-only"
        elif not _writable(folder):
            where = f"its folder {folder} is read-only"
        else:
            where = f"SQLite opened it read-only ({error})"
        return ReadOnlyCasebookError(
            f"cannot change the casebook {location}: {where}. {_WHAT_TO_DO}"
        )
    if code == _SQLITE_CANTOPEN and not path.exists() and folder.is_dir() and not _writable(folder):
        return ReadOnlyCasebookError(
            f"cannot create the casebook {location}: its folder {folder} is read-only. "
            "Choose a folder you can write, or make this one writable for your user (chmod u+w)."
        )
    if code == _SQLITE_CANTOPEN and path.is_file() and not _writable(folder):
        return ReadOnlyCasebookError(
            f"cannot open the casebook {location}: its folder {folder} is read-only, and SQLite "
            f"must create the casebook's journal files ({path.name}-wal, {path.name}-shm) beside "
            "it even to read it. Make the folder writable for your user (chmod u+w), or copy "
            "the casebook to a folder you can write and use the copy."
        )
    return None
