"""What stripping gives back, and the notice that stands in for a working copy it withholds.

A working copy is either clean (its metadata removed, and the removal checked by reading the copy
again) or withheld. There is no third state: a file that could not be stripped is never offered
as a working copy, because researchers open and share working copies without reading notes,
and an original can carry a GPS position or a user name.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

NOT_STRIPPED = "not stripped: "
WITHHELD = "working copy withheld: only the original is kept, and it may identify the source"
UNKNOWN_TYPE = NOT_STRIPPED + "unknown type"
NOTICE_NAME = "working-copy-withheld.txt"
_NOTICE = """testament: working copy withheld

{reason}

No working copy could be made without metadata, so this notice stands in for it. The original
is kept unchanged as evidence; it may carry what identifies the person who sent it (a GPS
position, a camera's serial number, a user name). Open it only on the reviewer's machine, and
never share it.
"""


class NotStripped(Exception):  # noqa: N818 - it names the outcome the casebook records
    """A stripper cannot make, or cannot verify, a clean working copy.

    Its message becomes the note ``not stripped: <message>``: it must be written by us (the
    kind of file, the limit, the kind of failure), never a value read from the file, which may
    name the source.
    """


@dataclass(frozen=True, slots=True)
class StripResult:
    """A working copy and what was done to it.

    ``working_copy`` is always a file in the private folder given to the stripper: the clean
    copy, or, when ``withheld``, a short text notice (never the original). ``removed`` lists
    labels of the metadata the original carried and the copy was checked not to carry
    (``EXIF GPS``, ``Office creator``...); ``notes`` says anything else a reader must know.
    """

    working_copy: Path
    removed: tuple[str, ...]
    notes: tuple[str, ...] = ()
    withheld: bool = False

    @property
    def report(self) -> tuple[str, ...]:
        """What the casebook records as ``stripped``: removed metadata, then notes."""
        return self.removed + self.notes


def withheld(workdir: Path, reason: str) -> StripResult:
    """Withhold the working copy: remove whatever a stripper left in ``workdir`` (it may be
    half-stripped) and write the notice in its place."""
    for leftover in workdir.iterdir():
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    note = NOT_STRIPPED + reason
    notice = workdir / NOTICE_NAME
    notice.write_text(_NOTICE.format(reason=note), encoding="utf-8")
    return StripResult(notice, (), (note, WITHHELD), withheld=True)


def failure_label(error: BaseException) -> str:
    """The kind of an exception (``zlib.error``, ``KeyError``), never its message: messages of
    parsers quote what they parsed."""
    kind = type(error)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
