"""Writing result files so that a failed or interrupted run never leaves a partial file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from testament.link.errors import LinkageError


def _temporary_beside(path: Path, content: pd.DataFrame | str) -> Path:
    """Write ``content`` (a table as UTF-8 CSV, or text) to a new temporary file beside ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            if isinstance(content, str):
                stream.write(content)
            else:
                content.to_csv(stream, index=False)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_csv_atomically(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV to ``path``: first to a temporary file in the same folder,
    then ``os.replace`` (atomic on one file system), so readers see the old file or the new one.
    """
    write_files_atomically({path: frame})


def write_files_atomically(contents: Mapping[Path, pd.DataFrame | str]) -> None:
    """Write the result files of one run together: every file first to a temporary beside it,
    and only when all are complete are they renamed into place, one quick rename after another.

    A failure or Ctrl-C while writing leaves no result file (new or partial) and the earlier
    ones untouched; only an interruption between two renames, a matter of microseconds, could
    leave some files of the new run beside others of the old.

    Raises:
        LinkageError: a file cannot be written there (a folder of that name, no permission, a
            full disk); the message names the path.
    """
    written: dict[Path, Path] = {}
    path = Path()
    try:
        for path, content in contents.items():
            if path.is_dir():
                raise IsADirectoryError(21, "is a folder", str(path))
            written[path] = _temporary_beside(path, content)
        for path, temporary in list(written.items()):
            temporary.replace(path)
            del written[path]
    except OSError as error:
        raise LinkageError(
            f"cannot write {path}: {error.strerror or error}; give a file path that can be "
            "written (nothing was written)"
        ) from error
    finally:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
