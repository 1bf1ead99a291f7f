"""PDF and OpenDocument files, through Debian's ``mat2`` in a subprocess.

mat2 removes the document information (author, creator tool, dates) and XMP. PDFs go through
mat2's lightweight mode, which rewrites the document and drops its metadata but keeps the text
selectable (full mode would turn every page into a picture).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from testament.desk.strip import tools
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import NotStripped, StripResult

_NOT_METADATA = {"format"}  # mat2 lists the file format version too; it is not removed


def mat2_fields(output: str) -> list[str]:
    """The metadata keys listed by ``mat2 --show``: indented ``key: value`` lines (a line with
    no value heads the fields of one member of an archive)."""
    fields: list[str] = []
    for line in output.splitlines():
        key, separator, value = line.strip().partition(":")
        key = key.strip()
        if (
            line.startswith(" ")
            and separator
            and value.strip()
            and key not in _NOT_METADATA
            and key not in fields
        ):
            fields.append(key)
    return fields


def strip_with_mat2(
    original: Path, workdir: Path, extension: str, limits: Limits, *, lightweight: bool
) -> StripResult:
    """A working copy cleaned by mat2; ``extension`` tells mat2 which parser to use."""
    label = extension.lstrip(".").upper()
    # mat2 picks its parser by file extension and writes "<name>.cleaned<ext>" beside its
    # input: work on a copy in the private folder named for the detected type.
    subject = workdir / f"document{extension}"
    shutil.copyfile(original, subject)
    shown = tools.run("mat2", "--show", str(subject), seconds=limits.seconds)
    mode = ["--lightweight"] if lightweight else []
    cleaned = tools.run("mat2", *mode, str(subject), seconds=limits.seconds)
    result = workdir / f"document.cleaned{extension}"
    if cleaned.returncode != 0 or not result.exists():
        raise NotStripped(f"mat2 could not clean this {label}")
    subject.unlink()
    shown_text = shown.stdout.decode("utf-8", "replace")
    fields = [f"{label} {field}" for field in mat2_fields(shown_text)]
    return StripResult(result, tuple(fields), ())
