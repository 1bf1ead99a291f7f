"""What a file is, by its first bytes: never by the name or the type its sender claimed.

A sender (or whoever tampered with the upload) chooses the name and the content type; the bytes
decide which stripper runs, so a photo sent as ``notes.txt`` still loses its GPS position.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

IMAGE_KINDS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF")
OOXML_KINDS = (".docx", ".xlsx", ".pptx")
ODF_KINDS = (".odt", ".ods", ".odp", ".odg")
VIDEO_KINDS = ("MP4", "MOV")

# The part that tells Word, Excel and PowerPoint packages apart.
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
# ISO base media files (the ``ftyp`` box's brands): HEIF pictures (iPhones' HEIC, AVIF) ...
_HEIF_BRANDS = {
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"
}  # fmt: skip
# ... and videos, MP4 or QuickTime ("qt  ").
_VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VH",
    b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"MSNV", b"XAVC", b"qt  ",
}  # fmt: skip
# A QuickTime file may begin without ``ftyp``, with one of these boxes.
_BARE_QUICKTIME_BOXES = {b"moov", b"mdat", b"wide", b"pnot"}
_HEAD_BYTES = 256


def detect_kind(path: Path) -> str | None:
    """The kind of file: an image format name (``JPEG``...), ``HEIF``, ``MP4``, ``MOV``,
    ``pdf``, an Office or OpenDocument extension (``.docx``, ``.odt``...), or None."""
    with path.open("rb") as stream:
        head = stream.read(_HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _package_kind(path)
    return kind_of_head(head)


def kind_of_head(head: bytes) -> str | None:
    """The kind of a file from its first bytes alone (zip packages aside)."""
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
    if head[4:8] == b"ftyp":
        return _iso_media_kind(head)
    if head[4:8] in _BARE_QUICKTIME_BOXES:
        return "MOV"
    return None


def _iso_media_kind(head: bytes) -> str | None:
    size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major in _HEIF_BRANDS:
        return "HEIF"
    if major in _VIDEO_BRANDS:
        return "MOV" if major == b"qt  " else "MP4"
    if compatible & _HEIF_BRANDS:
        return "HEIF"
    if compatible & _VIDEO_BRANDS:
        return "MOV" if b"qt  " in compatible else "MP4"
    return None


def _package_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, extension in _OFFICE_MEMBERS.items():
                    if any(name.startswith(prefix) for name in names):
                        return extension
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
    ):
        return None
    return None
