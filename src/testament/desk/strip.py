"""Working copies without metadata: what a photo or a document says about who made it, and where.

The original of every attachment is kept byte for byte as evidence; what researchers open, share
and publish is a working copy made here. ``strip_metadata`` recognises the file by its first
bytes (never by the name or type the sender claimed) and:

- images (JPEG, PNG, WebP, TIFF, GIF): decodes the pixels with Pillow and encodes them again into
  a fresh file, so nothing but pixels survives: EXIF (camera, serial number, GPS position, time),
  XMP, IPTC, ICC profiles, comments and text chunks. The EXIF orientation is applied to the
  pixels first, so the copy still looks upright. JPEG and lossy WebP are re-encoded at quality 95;
- PDF and OpenDocument files: Debian's ``mat2`` in a subprocess, which removes the document
  information (author, creator tool, dates) and XMP. PDFs go through mat2's lightweight mode,
  which rewrites the document and drops its metadata but keeps the text selectable (full mode
  would turn every page into a picture);
- Office Open XML (docx/xlsx/pptx): rewritten here with ``zipfile`` (mat2 0.13 refuses a docx
  that has comments): the core, app and custom properties are emptied, the names and initials of
  the authors of comments and tracked changes are blanked, and member timestamps are reset;
- anything else is copied unchanged with the note ``not stripped: unknown type``.

What was removed is reported as short labels ("EXIF", "EXIF GPS", "XMP", "PDF author", ...) that
the casebook keeps beside the attachment; notes start with ``not stripped:`` when the working copy
is the original. Values of metadata are never reported or logged: they may name the source.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

UNKNOWN_TYPE = "not stripped: unknown type"
MAT2_TIMEOUT_SECONDS = 600
_EXIF_GPS_IFD = 0x8825
_TIFF_IPTC_TAG = 33723
_TIFF_XMP_TAG = 700
_TIFF_EXIF_IFD_TAG = 34665
# DocumentName, ImageDescription, Make, Model, PageName, Software, DateTime, Artist,
# HostComputer, Copyright
_TIFF_DESCRIPTIVE_TAGS = {269, 270, 271, 272, 285, 305, 306, 315, 316, 33432}

# mat2 picks its parser by file extension, so the working file gets the one that matches the
# detected type (whatever name the sender gave).
_OFFICE_MEMBERS = {
    "word/": ".docx",
    "xl/": ".xlsx",
    "ppt/": ".pptx",
}
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/vnd.oasis.opendocument.graphics": ".odg",
}


@dataclass(frozen=True, slots=True)
class StripResult:
    """A working copy and what was done to it."""

    working_copy: Path
    removed: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def report(self) -> tuple[str, ...]:
        """What the casebook records as ``stripped``: removed metadata, then notes."""
        return self.removed + self.notes


def detect_kind(path: Path) -> str | None:
    """The kind of file by its first bytes: an image format name, ``pdf``, an office
    extension (``.docx``...), or None."""
    with path.open("rb") as stream:
        head = stream.read(16)
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path)
    return None


def _office_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, extension in _OFFICE_MEMBERS.items():
                    if any(name.startswith(prefix) for name in names):
                        return extension
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def mat2_available() -> bool:
    return shutil.which("mat2") is not None


def strip_metadata(original: Path, workdir: Path) -> StripResult:
    """Make a metadata-free working copy of ``original`` inside ``workdir`` (a private folder)."""
    kind = detect_kind(original)
    if kind in ("JPEG", "PNG", "WEBP", "TIFF", "GIF"):
        return _strip_image(original, workdir, kind)
    if kind == "pdf":
        return _strip_with_mat2(original, workdir, ".pdf", lightweight=True)
    if kind in (".docx", ".xlsx", ".pptx"):
        return _strip_ooxml(original, workdir, kind)
    if kind is not None:
        return _strip_with_mat2(original, workdir, kind, lightweight=False)
    return _unchanged(original, workdir, UNKNOWN_TYPE)


def _unchanged(original: Path, workdir: Path, note: str) -> StripResult:
    copy = workdir / "working-copy"
    shutil.copyfile(original, copy)
    return StripResult(copy, (), (note,))


# -- images -------------------------------------------------------------------------------------


def _image_metadata(image: Image.Image, kind: str) -> list[str]:
    """Labels of the metadata ``image`` carries (read before anything is re-encoded)."""
    found: list[str] = []
    info = image.info
    exif = image.getexif()
    if kind == "TIFF":
        # A TIFF's own tags are its EXIF IFD0, mostly structural (width, strips...): report only
        # those that describe who, what and where.
        tags = set(_tiff_tags(image))
        if tags & _TIFF_DESCRIPTIVE_TAGS:
            found.append("TIFF descriptive tags")
        if _TIFF_EXIF_IFD_TAG in tags:
            found.append("EXIF")
        if _EXIF_GPS_IFD in tags:
            found.append("EXIF GPS")
    elif len(exif) or info.get("exif"):
        found.append("EXIF")
        if exif.get_ifd(_EXIF_GPS_IFD) or _EXIF_GPS_IFD in exif:
            found.append("EXIF GPS")
    if "xmp" in info or "XML:com.adobe.xmp" in info or _TIFF_XMP_TAG in _tiff_tags(image):
        found.append("XMP")
    if _has_iptc(image, kind):
        found.append("IPTC")
    if info.get("icc_profile"):
        found.append("ICC profile")
    if info.get("comment"):
        found.append("comment")
    text = getattr(image, "text", None) if kind == "PNG" else None
    if text and any(key != "XML:com.adobe.xmp" for key in text):
        found.append("PNG text")
    return found


def _tiff_tags(image: Image.Image) -> Any:
    return getattr(image, "tag_v2", {}) or {}


def _has_iptc(image: Image.Image, kind: str) -> bool:
    if kind == "JPEG":
        return any(marker == "APP13" for marker, _ in getattr(image, "applist", []))
    if kind == "TIFF":
        return _TIFF_IPTC_TAG in _tiff_tags(image)
    return False


def _pixels_only(frame: Image.Image) -> Image.Image:
    """A new image holding ``frame``'s pixels (and palette), and nothing else."""
    clean = Image.frombytes(frame.mode, frame.size, frame.tobytes())
    if frame.mode in ("P", "PA") and (palette := frame.getpalette()) is not None:
        clean.putpalette(palette)
        if "transparency" in frame.info and isinstance(frame.info["transparency"], int):
            clean.info["transparency"] = frame.info["transparency"]
    return clean


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    for frame in ImageSequence.Iterator(image):
        yield _pixels_only(ImageOps.exif_transpose(frame) or frame)


def _save_options(kind: str, image: Image.Image) -> dict[str, Any]:
    if kind == "JPEG":
        return {"quality": 95}
    if kind == "WEBP":
        return {"lossless": bool(image.info.get("lossless")), "quality": 95}
    if kind == "TIFF":
        return {"compression": "tiff_deflate"}
    return {}


def _strip_image(original: Path, workdir: Path, kind: str) -> StripResult:
    copy = workdir / f"working-copy.{kind.lower()}"
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused; other Pillow warnings (odd EXIF) do not matter
            # here because the metadata is dropped anyway.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(original) as image:
                found = _image_metadata(image, kind)
                options = _save_options(kind, image)
                frames = list(_frames(image))
                extra: dict[str, Any] = {}
                if len(frames) > 1:
                    extra = {"save_all": True, "append_images": frames[1:]}
                    if kind in ("GIF", "WEBP"):
                        extra["duration"] = image.info.get("duration", 100)
                        extra["loop"] = image.info.get("loop", 0)
                frames[0].save(copy, format=kind, **options, **extra)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _unchanged(original, workdir, "not stripped: image too large to decode safely")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        copy.unlink(missing_ok=True)
        return _unchanged(original, workdir, f"not stripped: damaged {kind} image")
    return StripResult(copy, tuple(found), ())


# -- documents, through mat2 --------------------------------------------------------------------


def _mat2(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed program, arguments are our own temporary paths
        ["mat2", *args],  # noqa: S607 - mat2 is found on PATH like any Debian tool
        capture_output=True,
        text=True,
        timeout=MAT2_TIMEOUT_SECONDS,
        check=False,
    )


_NOT_METADATA = {"format"}  # mat2 lists the file format version too; it is not removed


def _mat2_fields(output: str) -> list[str]:
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


def _strip_with_mat2(
    original: Path, workdir: Path, extension: str, *, lightweight: bool
) -> StripResult:
    label = extension.lstrip(".").upper()
    if not mat2_available():
        return _unchanged(original, workdir, f"not stripped: {label} needs mat2 (not installed)")
    # mat2 writes "<name>.cleaned<ext>" beside its input: work on a copy in the private folder.
    subject = workdir / f"document{extension}"
    shutil.copyfile(original, subject)
    try:
        shown = _mat2("--show", str(subject))
        cleaned = _mat2(*(["--lightweight"] if lightweight else []), str(subject))
    except subprocess.TimeoutExpired:
        return _unchanged(original, workdir, f"not stripped: mat2 took too long on this {label}")
    result = workdir / f"document.cleaned{extension}"
    if cleaned.returncode != 0 or not result.exists():
        return _unchanged(original, workdir, f"not stripped: mat2 could not clean this {label}")
    subject.unlink()
    fields = [f"{label} {field}" for field in _mat2_fields(shown.stdout)]
    return StripResult(result, tuple(fields), ())


# -- Office Open XML, rewritten member by member -----------------------------------------------

_OOXML_PROPERTIES = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp='
        b'"http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
}
# Attributes and elements that name a person, in the parts of Word, Excel and PowerPoint that
# hold comments, tracked changes and their authors.
_PERSON_ATTRIBUTE = re.compile(
    rb"""\b((?:w|w15|p|p188|)(?::)?(?:author|initials|userId|providerId|displayName|name))"""
    rb"""=("[^"]*"|'[^']*')"""
)
_WORD_PERSON_ATTRIBUTE = re.compile(
    rb"""\b((?:w|w15):(?:author|initials|userId|providerId))=("[^"]*"|'[^']*')"""
)
_EXCEL_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_PERSON_PARTS = re.compile(
    r"(word/.*\.xml|xl/comments\d*\.xml|xl/threadedComments/.*\.xml|xl/persons/.*\.xml"
    r"|ppt/commentAuthors\.xml|ppt/authors\.xml|ppt/comments/.*\.xml)"
)
_PROPERTY_ELEMENT = re.compile(rb"<(?:[A-Za-z0-9]+:)?([A-Za-z]+)(?:\s[^>]*)?>[^<]+</")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _blank_people(member: str, data: bytes) -> tuple[bytes, bool]:
    """``data`` with the names of people blanked; whether any name was there to blank."""
    pattern = _WORD_PERSON_ATTRIBUTE if member.startswith("word/") else _PERSON_ATTRIBUTE
    found = False

    def blank_attribute(match: re.Match[bytes]) -> bytes:
        nonlocal found
        found = found or len(match.group(2)) > 2  # more than the two quotes
        return match.group(1) + b'=""'

    def blank_element(match: re.Match[bytes]) -> bytes:
        nonlocal found
        found = found or match.group(0) != b"<author></author>"
        return b"<author></author>"

    data = pattern.sub(blank_attribute, data)
    if member.startswith("xl/comments"):
        data = _EXCEL_AUTHOR.sub(blank_element, data)
    return data, found


def _strip_ooxml(original: Path, workdir: Path, extension: str) -> StripResult:
    label = "Office"
    copy = workdir / f"working-copy{extension}"
    removed: list[str] = []
    try:
        with (
            zipfile.ZipFile(original) as source,
            zipfile.ZipFile(copy, "w", compression=zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                name = info.filename
                if name in _OOXML_PROPERTIES:
                    filled = sorted(
                        {m.group(1).decode("ascii") for m in _PROPERTY_ELEMENT.finditer(data)}
                    )
                    removed += [f"{label} {field}" for field in filled]
                    data = _OOXML_PROPERTIES[name]
                elif _PERSON_PARTS.fullmatch(name):
                    data, found = _blank_people(name, data)
                    if found and f"{label} comment and revision authors" not in removed:
                        removed.append(f"{label} comment and revision authors")
                fresh = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                fresh.external_attr = 0o644 << 16
                target.writestr(fresh, data)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        copy.unlink(missing_ok=True)
        return _unchanged(original, workdir, f"not stripped: damaged {extension} file")
    return StripResult(copy, tuple(removed), ())
