"""Working copies without metadata: what a photo or a document says about who made it, and where.

The original of every attachment is kept byte for byte as evidence; what researchers open, share
and publish is a working copy made here. ``strip_metadata`` recognises the file by its first
bytes (never by the name or type the sender claimed, ``kinds``) and:

- images (JPEG, PNG, WebP, TIFF, GIF): Pillow encodes the pixels again into a fresh file;
  pictures too large to decode safely lose their metadata without decoding (exiftool), and
  every copy is read again before it is reported clean (``images``, ``imagecheck``);
- HEIF pictures (iPhones' HEIC) and MP4/MOV videos: exiftool and ffmpeg, without decoding, and
  the copy's boxes read again (``media``, ``boxes``);
- PDF and OpenDocument files: Debian's ``mat2`` (``documents``);
- Office Open XML (docx/xlsx/pptx): rewritten here member by member, pictures and embedded
  files included, within zip limits, and read again (``office``, ``officecheck``,
  ``packages``);
- anything else: no working copy (``not stripped: unknown type``).

Stripping runs in a child process with limits on memory, time and output (``sandbox``, ``child``,
``limits``), because attachments come from anyone. Whatever goes wrong there (a parser's
exception, a limit, a crash, a missing tool) withholds the working copy: a short notice stands
in for it, and the notes say ``not stripped: <why>`` and ``working copy withheld: ...``. An
unstripped file is never offered as a working copy.

What was removed is reported as short labels ("EXIF", "EXIF GPS", "XMP", "PDF author", ...) that
the casebook keeps beside the attachment. Values of metadata are never reported or logged: they
may name the source.
"""

from __future__ import annotations

from pathlib import Path

from testament.desk.strip import tools
from testament.desk.strip.kinds import detect_kind
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import (
    NOT_STRIPPED,
    UNKNOWN_TYPE,
    WITHHELD,
    StripResult,
    failure_label,
    withheld,
)
from testament.desk.strip.sandbox import strip_in_child

DEFAULT_LIMITS = Limits()

__all__ = [
    "DEFAULT_LIMITS",
    "NOT_STRIPPED",
    "UNKNOWN_TYPE",
    "WITHHELD",
    "Limits",
    "StripResult",
    "detect_kind",
    "mat2_available",
    "strip_metadata",
    "working_copy",
]


def mat2_available() -> bool:
    return tools.available("mat2")


def strip_metadata(original: Path, workdir: Path, limits: Limits | None = None) -> StripResult:
    """Make a metadata-free working copy of ``original`` inside ``workdir`` (a private folder,
    which also holds every temporary file), or withhold it; see the module doc."""
    return strip_in_child(original, workdir, limits or DEFAULT_LIMITS)


def working_copy(original: Path, workdir: Path) -> StripResult:
    """The working copy of an attachment, or a notice withholding it: never an exception,
    because one hostile file must not stop the pull of every later submission (or a restrip of
    every later attachment). Stripping already runs in a limited child process that withholds
    the copy on any failure; this catches what could go wrong around it (the child cannot be
    started, say)."""
    try:
        return strip_metadata(original, workdir)
    except Exception as error:  # noqa: BLE001 - the caller must go on; the copy is withheld
        return withheld(workdir, f"the stripper failed ({failure_label(error)})")
