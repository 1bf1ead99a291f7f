"""Writing result files so that a failed or interrupted run never leaves a partial file behind.

Each file is written crash-safe by ``testament.core.files``; what this module adds is writing
the files of one run together, and an error that names the path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from testament.core.files import StagedFile, staged_file
from testament.link.errors import LinkageError


def write_csv_atomically(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV to ``path``, crash-safe: readers see the old file or the new."""
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
    path = Path()
    try:
        with contextlib.ExitStack() as stack:
            staged: dict[Path, StagedFile] = {}
            for path, content in contents.items():
                if path.is_dir():
                    raise IsADirectoryError(21, "is a folder", str(path))
                staged[path] = stack.enter_context(
                    staged_file(path.parent, prefix=f".{path.name}.")
                )
                _write(staged[path], content)
            for path, file in staged.items():  # all complete: now one rename after another
                file.place(path)
    except OSError as error:
        raise LinkageError(
            f"cannot write {path}: {error.strerror or error}; give a file path that can be "
            "written (nothing was written)"
        ) from error


def _write(staged: StagedFile, content: pd.DataFrame | str) -> None:
    """Write ``content`` (a table as UTF-8 CSV, or text) and sync it to the disk."""
    with staged.text(newline="") as text:
        if isinstance(content, str):
            text.write(content)
        else:
            content.to_csv(text, index=False)
    staged.finish()
