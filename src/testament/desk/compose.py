"""Where the text of a reply comes from: a file, standard input, or the reviewer's editor.

``--text`` puts the reply on the command line, where the shell keeps it in its history file and
other users of the machine can read it in the process list; a reply to a source can identify
them. So the text is better read from a file (``--file PATH``), from standard input
(``--file -``), or written in ``$VISUAL``/``$EDITOR``: the draft then lives in a temporary folder
only this user can enter (0700; in ``/dev/shm`` where there is one, so it need not touch a disk),
removed with whatever the editor left there as soon as the editor exits. Reading is bounded: a
reply longer than ``MAX_REPLY_CHARS`` is refused, not loaded whole.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from testament.desk.errors import DeskError
from testament.desk.reply import MAX_REPLY_CHARS

STDIN = "-"
_RAM_FOLDER = Path("/dev/shm")  # noqa: S108 - a private folder is made inside it
_HOW = "give it with --file PATH, --file - (standard input) or --text, or set $EDITOR"


def _bounded(stream: TextIO, where: str) -> str:
    text = stream.read(MAX_REPLY_CHARS + 1)
    if len(text) > MAX_REPLY_CHARS:
        raise DeskError(f"the reply in {where} is longer than {MAX_REPLY_CHARS} characters")
    return text


def read_file(path: Path) -> str:
    """The reply kept in the UTF-8 file ``path``."""
    try:
        with path.open(encoding="utf-8") as stream:
            return _bounded(stream, str(path))
    except UnicodeDecodeError:
        raise DeskError(f"{path} is not UTF-8 text: save the reply as UTF-8") from None
    except OSError as error:
        raise DeskError(f"cannot read the reply from {path}: {error.strerror}") from None


def read_stdin(stream: TextIO) -> str:
    """The reply piped into standard input."""
    try:
        return _bounded(stream, "standard input")
    except UnicodeDecodeError:
        raise DeskError("standard input is not UTF-8 text") from None


@contextmanager
def _private_folder() -> Iterator[Path]:
    """A temporary folder only this user can enter (mkdtemp makes it 0700), removed after."""
    ram = _RAM_FOLDER if _RAM_FOLDER.is_dir() and os.access(_RAM_FOLDER, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="testament-reply-", dir=ram))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_in_editor(command: str) -> str:
    """The reply the reviewer writes in ``command`` (``$EDITOR``), from a private draft."""
    argv = shlex.split(command)
    if not argv:
        raise DeskError(f"$EDITOR is empty: {_HOW}")
    with _private_folder() as folder:
        draft = folder / "reply.txt"
        draft.touch(mode=0o600)
        try:
            finished = subprocess.run([*argv, str(draft)], check=False)  # noqa: S603 - the user's own editor
        except OSError as error:
            raise DeskError(
                f"cannot start the editor {command!r} ($EDITOR): {error.strerror}; nothing was sent"
            ) from None
        if finished.returncode != 0:
            raise DeskError(
                f"the editor {command!r} exited with status {finished.returncode}: nothing was sent"
            )
        return read_file(draft)


def reply_text(
    text: str | None, file: str | None, *, stdin: TextIO | None, environ: Mapping[str, str]
) -> str:
    """The reply's text from ``--text``, ``--file`` (``-``: ``stdin``) or the editor."""
    if text is not None and file is not None:
        raise DeskError("give the reply with --text or with --file, not both")
    if text is not None:
        return text
    if file == STDIN:
        if stdin is None:
            raise DeskError("--file -: there is no standard input to read the reply from")
        return read_stdin(stdin)
    if file is not None:
        return read_file(Path(file))
    if stdin is None or not stdin.isatty():
        raise DeskError(f"no reply text, and no terminal to open an editor in: {_HOW}")
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    if not editor:
        raise DeskError(f"no reply text: {_HOW} to write it in your editor")
    return write_in_editor(editor)
