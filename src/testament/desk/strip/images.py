"""Pictures (JPEG, PNG, WebP, TIFF, GIF): only the pixels survive into the working copy.

Pillow decodes the pixels and encodes them again into a fresh file, so nothing but pixels (and
a palette) survives: EXIF (camera, serial number, GPS position, time), XMP, IPTC, ICC profiles,
comments and text chunks. The EXIF orientation is applied to the pixels first, so the copy still
looks upright. JPEG and lossy WebP are re-encoded at quality 95. A multi-picture JPEG (MPO: 3D
cameras, some phones) keeps its first picture, the one every viewer shows.

A picture too large to decode within the desk's memory (more pixels than ``Limits.max_pixels``,
or an animation whose frames drawn on its screen add up to more than
``max_animation_pixels``: a few kilobytes of GIF can ask for gigabytes) keeps its pixels as
they are and loses its metadata without decoding: exiftool rewrites JPEG, PNG, GIF and TIFF
files, and WebP chunks are copied here without the EXIF, XMP and ICC ones.

Either way the copy is read again (``imagecheck``, a reader that did not write it) and only
then reported clean; a copy that still carries anything is withheld.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from testament.desk.strip import tools
from testament.desk.strip.imagecheck import (
    VP8X_METADATA_FLAGS,
    WEBP_STRUCTURE,
    carriers,
    gif_structure,
    headers_only,
    png_carriers,
    webp_chunks,
)
from testament.desk.strip.limits import Limits
from testament.desk.strip.result import NotStripped, StripResult

TOO_LARGE_TO_DECODE = "too large to decode: metadata removed, pixels left as they were"

_EXIF_GPS_IFD = 0x8825
_TIFF_IPTC_TAG = 33723
_TIFF_XMP_TAG = 700
_TIFF_EXIF_IFD_TAG = 34665
# DocumentName, ImageDescription, Make, Model, PageName, Software, DateTime, Artist,
# HostComputer, Copyright
_TIFF_DESCRIPTIVE_TAGS = {269, 270, 271, 272, 285, 305, 306, 315, 316, 33432}


def image_metadata(image: Image.Image, kind: str) -> list[str]:
    """Labels of the metadata ``image`` carries, read from its headers: nothing is decoded.

    Pillow decodes a whole PNG to find text or EXIF chunks after its pixels, so for a PNG only
    what precedes them is read here; ``imagecheck``'s walk of the chunks finds the rest."""
    found: list[str] = []
    info = image.info
    if kind == "PNG":
        exif = Image.Exif()
        if isinstance(info.get("exif"), bytes):
            exif.load(info["exif"])
    else:
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


def _frames(image: Image.Image, kind: str) -> Iterator[Image.Image]:
    for frame in ImageSequence.Iterator(image):
        yield _pixels_only(ImageOps.exif_transpose(frame) or frame)
        if kind == "JPEG":  # a JPEG has one picture; an MPO's others are not part of it
            return


def _save_options(kind: str, image: Image.Image) -> dict[str, Any]:
    if kind == "JPEG":
        return {"quality": 95}
    if kind == "WEBP":
        return {"lossless": bool(image.info.get("lossless")), "quality": 95}
    if kind == "TIFF":
        return {"compression": "tiff_deflate"}
    return {}


def strip_image(original: Path, workdir: Path, kind: str, limits: Limits) -> StripResult:
    """A working copy of a picture, of the same format, checked to carry nothing but pixels."""
    try:
        with headers_only(), Image.open(original) as image:
            found = image_metadata(image, kind)
            if kind == "PNG":  # chunks after the pixels too, without decoding them
                found += [
                    label
                    for label in png_carriers(original)
                    if label not in found and not label.startswith(("damaged", "not a"))
                ]
            pixels = image.size[0] * image.size[1]
            pictures = 1 if kind in ("JPEG", "GIF") else getattr(image, "n_frames", 1)
            extra_pictures = getattr(image, "n_frames", 1) - 1 if kind == "JPEG" else 0
    except (UnidentifiedImageError, ValueError, SyntaxError, EOFError, struct.error):
        raise NotStripped(f"damaged {kind} image") from None
    except OSError as error:
        if error.errno is not None:  # the disk, not the picture
            raise
        raise NotStripped(f"damaged {kind} image") from None
    if kind == "GIF":
        pictures, _ = gif_structure(original)  # counted without decoding a frame
    notes: list[str] = []
    if extra_pictures:
        notes.append(f"only the first picture of {extra_pictures + 1} (multi-picture JPEG)")
    if pixels <= limits.max_pixels and pixels * pictures <= limits.max_animation_pixels:
        copy = _encode_again(original, workdir, kind)
    else:
        copy = _strip_without_decoding(original, workdir, kind, limits)
        notes.append(TOO_LARGE_TO_DECODE)
    left = carriers(copy, kind)
    with headers_only(), Image.open(copy) as reopened:  # and a second reader: Pillow's
        left += [label for label in image_metadata(reopened, kind) if label not in left]
    if left:
        raise NotStripped(f"the copy still carried {', '.join(left)}")
    return StripResult(copy, tuple(found), tuple(notes))


def _encode_again(original: Path, workdir: Path, kind: str) -> Path:
    copy = workdir / f"working-copy.{kind.lower()}"
    try:
        with warnings.catch_warnings():
            # Other Pillow warnings (odd EXIF) do not matter: the metadata is dropped anyway.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(original) as image:
                options = _save_options(kind, image)
                frames = list(_frames(image, kind))
                extra: dict[str, Any] = {}
                if len(frames) > 1:
                    extra = {"save_all": True, "append_images": frames[1:]}
                    if kind in ("GIF", "WEBP"):
                        extra["duration"] = image.info.get("duration", 100)
                        extra["loop"] = image.info.get("loop", 0)
                frames[0].save(copy, format=kind, **options, **extra)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotStripped("image too large to decode safely") from None
    except (UnidentifiedImageError, ValueError, SyntaxError, EOFError, struct.error):
        raise NotStripped(f"damaged {kind} image") from None
    except OSError as error:
        if error.errno is not None:  # the disk, not the picture
            raise
        raise NotStripped(f"damaged {kind} image") from None
    return copy


# TIFF keeps its first directory (IFD0) whatever exiftool's -all= says; these tags in it
# describe who, what and where, and are deleted one by one.
_TIFF_IFD0_DESCRIPTIVE = (
    "Make", "Model", "Artist", "Software", "ModifyDate", "HostComputer", "Copyright",
    "ImageDescription", "DocumentName", "PageName",
)  # fmt: skip


def _strip_without_decoding(original: Path, workdir: Path, kind: str, limits: Limits) -> Path:
    copy = workdir / f"working-copy.{kind.lower()}"
    if kind == "WEBP":  # exiftool cannot write WebP (RIFF) files
        _copy_webp_without_metadata(original, copy)
        return copy
    arguments = ["-all="]
    if kind == "TIFF":
        arguments += [f"-IFD0:{tag}=" for tag in _TIFF_IFD0_DESCRIPTIVE]
    subject = tools.exiftool_input(original, workdir, copy.suffix)
    done = tools.run(
        "exiftool", "-q", "-q", *arguments, "-o", str(copy), str(subject), seconds=limits.seconds
    )
    subject.unlink()
    if done.returncode != 0 or not copy.exists():
        raise NotStripped(f"exiftool could not rewrite this {kind} image")
    return copy


def _copy_webp_without_metadata(original: Path, copy: Path) -> None:
    """Copy the chunks of a WebP file that hold the picture; leave out EXIF, XMP and ICC
    profile chunks, and clear the flags that announce them."""
    with original.open("rb") as source, copy.open("wb") as target:
        target.write(b"RIFF\x00\x00\x00\x00WEBP")
        for kind, offset, size in webp_chunks(source):
            if kind not in WEBP_STRUCTURE:
                continue
            source.seek(offset)
            data = source.read(size + (size & 1))
            if len(data) < size:
                raise NotStripped("damaged WEBP image")
            if kind == b"VP8X" and data:
                data = bytes([data[0] & ~VP8X_METADATA_FLAGS & 0xFF]) + data[1:]
            target.write(kind + size.to_bytes(4, "little") + data)
            source.seek(offset + size + (size & 1))
        riff_size = target.tell() - 8
        target.seek(4)
        target.write(riff_size.to_bytes(4, "little"))
