"""The system tools some strippers run (mat2, exiftool, ffmpeg), and exiftool as a reader.

Every tool runs with an argument list (never through a shell), with a time limit, with its
output captured and never logged or reported: a tool's messages can quote the metadata it read,
and metadata can name the source. A missing tool is a reason not to strip (the working copy is
withheld), never a reason to pass the original on.

exiftool also reads: what metadata an original carries (reported as labels such as
``EXIF GPS``), and whether a copy still carries any. It reads far more formats than Pillow or
ffmpeg, and it is a different program from the one that wrote the copy, so its reading of a
copy is an independent check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from testament.desk.strip.result import NotStripped

PACKAGES = {
    "mat2": "Debian package mat2",
    "exiftool": "Debian package libimage-exiftool-perl",
    "ffmpeg": "Debian package ffmpeg",
}


def available(tool: str) -> bool:
    return shutil.which(tool) is not None


def run(tool: str, *args: str, seconds: float) -> subprocess.CompletedProcess[bytes]:
    """Run ``tool`` on our own temporary paths; a missing tool or a timeout is ``NotStripped``."""
    if not available(tool):
        raise NotStripped(f"needs {tool} ({PACKAGES[tool]}), which is not installed")
    try:
        return subprocess.run(  # noqa: S603 - a fixed program, arguments are our own paths
            [tool, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise NotStripped(f"{tool} took longer than {seconds:g} s") from None


def exiftool_input(original: Path, workdir: Path, extension: str) -> Path:
    """``original`` under a name exiftool writes: it takes the type of the file it writes from
    the input's extension, and the desk's decrypted files have none."""
    link = workdir / f"original{extension}"
    link.symlink_to(original.resolve())
    return link


# -- exiftool as a reader -----------------------------------------------------------------------

# Tags that describe the file's structure (sizes, codecs, durations), not who or where.
_STRUCTURAL_GROUPS = {"ExifTool", "File", "Composite", "JFIF", "GIF", "RIFF", "APP14"}
_PNG_STRUCTURE = {
    "ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace",
    "Gamma", "SRGBRendering", "PixelsPerUnitX", "PixelsPerUnitY", "PixelUnits", "Palette",
    "Transparency", "BackgroundColor", "SignificantBits", "WhitePointX", "WhitePointY",
    "RedX", "RedY", "GreenX", "GreenY", "BlueX", "BlueY", "AnimationFrames", "AnimationPlays",
}  # fmt: skip
_PDF_STRUCTURE = {"PDFVersion", "Linearized", "PageCount", "Encryption", "UserAccess"}
_QUICKTIME_DATES = {
    "CreateDate", "ModifyDate", "TrackCreateDate", "TrackModifyDate", "MediaCreateDate",
    "MediaModifyDate",
}  # fmt: skip
_QUICKTIME_METADATA_GROUPS = {"Keys", "ItemList", "UserData"}  # "Meta" is HEIF structure
_ZERO_DATES = {"0000:00:00 00:00:00", "0", ""}


def _label(group0: str, group1: str, tag: str, value: object) -> str | None:
    """The label of one tag exiftool read, or None for structure. Never looks at values,
    except to tell a zero date (written by a muxer) from a real one."""
    if group0 in _STRUCTURAL_GROUPS:
        return "comment" if (group0, tag) == ("File", "Comment") else None
    if group0 in ("EXIF", "MakerNotes"):
        return "EXIF GPS" if group1 == "GPS" else "EXIF"
    if group0 == "XMP":
        return "XMP"
    if group0 in ("IPTC", "Photoshop"):
        return "IPTC"
    if group0 == "ICC_Profile":
        return "ICC profile"
    if group0 == "PNG":
        return None if tag in _PNG_STRUCTURE else "PNG text"
    if group0 == "QuickTime":
        return _quicktime_label(group1, tag, value)
    if group0 == "PDF":
        return None if tag in _PDF_STRUCTURE else "PDF document information"
    if group0 in ("MPF", "FlashPix"):
        return None  # indexes of a multi-picture JPEG, camera-independent
    return "other metadata"


def _quicktime_label(group1: str, tag: str, value: object) -> str | None:
    if "GPS" in tag or "Location" in tag or "ISO6709" in tag:
        return "location"
    if tag in ("Make", "Model", "AndroidMake", "AndroidModel") or "Serial" in tag:
        return "camera make and model"
    if tag in _QUICKTIME_DATES or tag == "CreationTime":
        return None if str(value) in _ZERO_DATES else "creation time"
    if group1 in _QUICKTIME_METADATA_GROUPS:
        return None if tag in ("HandlerType", "HandlerVendorID") else "QuickTime metadata"
    return None


def exiftool_labels(path: Path, *, seconds: float) -> tuple[str, ...]:
    """Labels of the metadata exiftool reads in ``path`` (``EXIF GPS``, ``XMP``...), in the
    order first seen; nothing of their values."""
    answer = run("exiftool", "-j", "-a", "-G0:1", "-n", str(path), seconds=seconds)
    try:
        (tags,) = json.loads(answer.stdout)
    except ValueError:
        raise NotStripped("exiftool could not read the file") from None
    labels: list[str] = []
    for key, value in tags.items():
        groups = key.split(":")
        if len(groups) < 2:  # SourceFile
            continue
        if len(groups) == 2:  # exiftool writes one group when both families have one name
            group0, group1, tag = groups[0], groups[0], groups[1]
        else:
            group0, group1, tag = groups[0], groups[1], groups[-1]
        label = _label(group0, group1, tag, value)
        if label is not None and label not in labels:
            labels.append(label)
    return tuple(labels)
