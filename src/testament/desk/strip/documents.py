"""PDF and OpenDocument files, through Debian's ``mat2`` in a subprocess.

mat2 removes the document information (author, creator tool, dates) and XMP. PDFs go through
mat2's lightweight mode, which rewrites the document and drops its metadata but keeps the text
selectable (full mode would turn every page into a picture). It copies the streams of pictures
as they are, though: a PDF whose pictures still carry EXIF or XMP after mat2 is withheld, as
is one whose document information exiftool still reads. OpenDocument files are finished in
``opendocument`` and checked there.
"""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

from testament.desk.strip import opendocument, tools
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
    if extension == ".pdf":
        left = pdf_carriers(result, limits)
    else:
        copy = workdir / f"working-copy{extension}"
        fields += opendocument.rewrite(result, copy, limits, label)
        result.unlink()
        result = copy
        left = opendocument.odf_carriers(copy, limits)
    if left:
        raise NotStripped(f"the copy still carried {', '.join(left)}")
    return StripResult(result, tuple(fields), ())


# Markers of metadata inside a PDF's streams: a JPEG's EXIF or Photoshop (IPTC) segment, an XMP
# packet. mat2's lightweight mode drops the document's properties but copies the pictures'
# streams as they are, and a photo printed to PDF keeps its EXIF there.
_PDF_MARKERS = {
    b"Exif\x00\x00": "embedded picture EXIF",
    b"8BIM\x04\x04": "embedded picture IPTC",
    b"<x:xmpmeta": "XMP",
    b"http://ns.adobe.com/xap/1.0/": "XMP",
}
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_PDF_CHECKED_BYTES = 256 << 20


def pdf_carriers(path: Path, limits: Limits) -> list[str]:
    """Labels of the metadata a PDF still carries: in its document information (read by
    exiftool) or inside its streams, raw or deflated."""
    if path.stat().st_size > _PDF_CHECKED_BYTES:
        raise NotStripped("the PDF is too large to check")
    data = path.read_bytes()
    found = [label for marker, label in _PDF_MARKERS.items() if marker in data]
    budget = _PDF_CHECKED_BYTES
    for stream in _PDF_STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(stream.group(1), budget + 1)
        except zlib.error:
            continue  # not deflated: the raw bytes were searched above
        budget -= len(inflated)
        if budget < 0:
            raise NotStripped("the PDF's streams inflate beyond what can be checked")
        found += [label for marker, label in _PDF_MARKERS.items() if marker in inflated]
    if tools.available("exiftool"):
        found += list(tools.exiftool_labels(path, seconds=limits.seconds))
    return list(dict.fromkeys(found))
