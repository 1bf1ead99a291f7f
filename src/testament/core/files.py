"""Crash-safe file writes, the one way every package of testament writes a file it replaces.

A file is first written under a temporary name in its own folder, flushed and fsynced, and only
then renamed to its name; the folder is fsynced after the rename so that the new name survives a
power cut too. A reader, or a crash, sees the old file or the complete new one, never half of
it, and a failed write leaves nothing behind. The temporary file is created by ``mkstemp``, so
every file written here is readable by its owner only (mode 0600): exports, reply addresses,
identities and settings all hold what must not leak to other users of the machine.

``staged_file`` is the primitive (for a file whose name is known only once it is written, such
as evidence named by its hash, or several files placed together); ``atomic_text_writer``,
``atomic_bytes_writer`` and ``write_atomically`` are the usual ways in. Only the standard library
is used, so that the store, the desk, the intake and the analyses can all import it.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO


class StagedFile:
    """A new file being written under a temporary name in ``folder``, until it is placed.

    Write to ``stream``; then ``place(path)`` (which finishes it first). When the ``staged_file``
    block ends without the file placed, or with an error, the temporary file is removed.
    """

    def __init__(self, folder: Path, stream: BinaryIO, temporary: Path) -> None:
        self.folder = folder
        self.stream = stream
        self.temporary = temporary
        self.placed: Path | None = None

    @contextlib.contextmanager
    def text(self, *, newline: str | None = None) -> Iterator[TextIO]:
        """The stream as UTF-8 text for the length of a block (``newline`` as for ``open``)."""
        wrapper = io.TextIOWrapper(self.stream, encoding="utf-8", newline=newline)
        try:
            yield wrapper
        finally:
            wrapper.detach()  # flushes into the stream, which stays open for ``place``

    def finish(self) -> None:
        """Flush the content to the disk and close the stream (``place`` does it too)."""
        if not self.stream.closed:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()

    def place(self, path: Path, *, replace: bool = True) -> None:
        """Give the file its name ``path`` (on the same file system), at once and for good.

        With ``replace=False`` an existing file is never replaced: ``FileExistsError`` is raised
        instead (for files whose loss would be final, such as a private identity).
        """
        self.finish()
        if replace:
            self.temporary.replace(path)
        else:
            os.link(self.temporary, path)  # fails, atomically, when ``path`` exists
            self.temporary.unlink()
        self.placed = path
        _sync_folder(path.parent)


@contextlib.contextmanager
def staged_file(folder: Path, *, prefix: str = ".incoming-") -> Iterator[StagedFile]:
    """A ``StagedFile`` in ``folder`` (created if missing); removed unless placed."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    staged = StagedFile(folder, os.fdopen(descriptor, "wb"), Path(name))
    try:
        yield staged
    finally:
        if not staged.stream.closed:
            staged.stream.close()
        if staged.placed is None:
            staged.temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_bytes_writer(path: Path, *, replace: bool = True) -> Iterator[BinaryIO]:
    """Write ``path`` as bytes; it appears, complete, when the block ends without an error."""
    with staged_file(path.parent, prefix=f".{path.name}.") as staged:
        yield staged.stream
        staged.place(path, replace=replace)


@contextlib.contextmanager
def atomic_text_writer(
    path: Path, *, newline: str | None = None, replace: bool = True
) -> Iterator[TextIO]:
    """Write ``path`` as UTF-8 text; it appears, complete, when the block ends without an error.

    ``newline`` is as for ``open`` (``""`` for CSV, which writes its own line ends).
    """
    with staged_file(path.parent, prefix=f".{path.name}.") as staged:
        with staged.text(newline=newline) as text:
            yield text
        staged.place(path, replace=replace)


def write_atomically(path: Path, content: str | bytes, *, replace: bool = True) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` in one crash-safe step."""
    if isinstance(content, bytes):
        with atomic_bytes_writer(path, replace=replace) as out:
            out.write(content)
    else:
        with atomic_text_writer(path, replace=replace) as text:
            text.write(content)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it is on the disk (where the system allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # e.g. Windows cannot open a folder: the rename itself is still atomic
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is already synced
    finally:
        os.close(descriptor)
