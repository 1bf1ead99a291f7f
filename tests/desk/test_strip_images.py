"""Pictures too large to decode still lose their metadata; every copy is read again first."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin, TiffImagePlugin

from testament.desk.strip import Limits, strip_metadata, tools
from testament.desk.strip.imagecheck import carriers, headers_only
from testament.desk.strip.images import TOO_LARGE_TO_DECODE
from tests.conftest import require_component
from tests.desk.samples import CANARY, exif_with_gps, gif_bomb, jpeg_with_gps, no_canary, picture

NO_DECODING = Limits(max_pixels=100)  # every picture here is "too large" to decode


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def exiftool() -> None:
    require_component(
        tools.available("exiftool"), "exiftool (Debian package libimage-exiftool-perl)"
    )


def _exiftool_sees(path: Path) -> set[str]:
    """Groups of the tags exiftool reads (a reader independent of the strippers)."""
    answer = subprocess.run(
        ["exiftool", "-j", "-a", "-G0", str(path)], capture_output=True, check=True, timeout=60
    )
    (tags,) = json.loads(answer.stdout)
    return {key.split(":")[0] for key in tags if ":" in key}


_METADATA_GROUPS = {"EXIF", "XMP", "IPTC", "ICC_Profile", "MakerNotes", "Photoshop"}


def test_a_photo_of_90_megapixels_loses_its_gps_without_being_decoded(tmp_path, workdir, exiftool):
    original = tmp_path / "item-0.body"
    huge = Image.new("L", (10_000, 9_000), 128)  # above Pillow's decompression-bomb threshold
    huge.save(original, "JPEG", exif=exif_with_gps(), xmp=f"<x>{CANARY}</x>".encode())
    del huge

    result = strip_metadata(original, workdir)

    assert not result.withheld
    assert {"EXIF", "EXIF GPS", "XMP"} <= set(result.removed)
    assert TOO_LARGE_TO_DECODE in result.notes
    assert no_canary(result.working_copy.read_bytes())
    assert not _exiftool_sees(result.working_copy) & _METADATA_GROUPS
    with headers_only(), Image.open(result.working_copy) as clean:
        assert (clean.format, clean.size) == ("JPEG", (10_000, 9_000))


def test_a_gif_whose_frames_would_fill_gigabytes_is_stripped_without_decoding_them(
    tmp_path, workdir, exiftool
):
    original = tmp_path / "animation.gif"
    original.write_bytes(gif_bomb(5_000, 5_000, 400))  # 400 frames of 25 megapixels, in 9 KB
    assert len(original.read_bytes()) < 10_000

    result = strip_metadata(original, workdir)

    assert not result.withheld
    assert result.removed == ("comment",)
    assert TOO_LARGE_TO_DECODE in result.notes  # the limit's path: no frame was decoded
    assert no_canary(result.working_copy.read_bytes())
    assert carriers(result.working_copy, "GIF") == []


@pytest.mark.parametrize("kind", ["PNG", "TIFF", "GIF", "WEBP", "JPEG"])
def test_each_format_loses_its_metadata_without_decoding_too(kind, tmp_path, workdir, exiftool):
    original = tmp_path / "item-0.body"  # as the desk names a decrypted file: no extension
    options: dict = {"exif": exif_with_gps()}
    if kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", CANARY)
        options["pnginfo"] = text
    if kind == "TIFF":
        tags = TiffImagePlugin.ImageFileDirectory_v2()
        tags[315] = f"{CANARY} artist"
        tags[271] = f"{CANARY} make"
        options = {"tiffinfo": tags}
    if kind == "GIF":
        options = {"comment": CANARY.encode()}
    if kind in ("WEBP", "JPEG"):
        options["xmp"] = f"<x>{CANARY}</x>".encode()
    picture().save(original, kind, **options)
    assert CANARY.encode() in original.read_bytes()

    result = strip_metadata(original, workdir, NO_DECODING)

    assert not result.withheld, result.notes
    assert result.removed
    assert TOO_LARGE_TO_DECODE in result.notes
    assert no_canary(result.working_copy.read_bytes())
    assert carriers(result.working_copy, kind) == []
    with Image.open(result.working_copy) as clean:
        assert clean.size == (48, 32)
        clean.load()  # still a picture


def test_the_copy_is_read_again_and_anything_after_the_picture_counts(tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps() + b"SAMSUNG trailer: " + CANARY.encode())
    buffer = io.BytesIO()
    picture().save(buffer, "PNG")
    png = tmp_path / "plain.png"
    png.write_bytes(buffer.getvalue())

    assert carriers(photo, "JPEG") == ["EXIF", "XMP", "data after the picture"]
    assert carriers(png, "PNG") == []


def _text_after_the_pixels(png: bytes) -> bytes:
    """``png`` with its text chunks moved after the pixels, where PNG allows them too."""
    chunks, position = [], 8
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        chunks.append(png[position : position + 12 + length])
        position += 12 + length
    text = [chunk for chunk in chunks if chunk[4:8] in (b"tEXt", b"zTXt", b"iTXt")]
    rest = [chunk for chunk in chunks if chunk not in text]
    return png[:8] + b"".join(rest[:-1] + text + rest[-1:])  # IEND stays last


def test_a_png_whose_text_follows_200_megapixels_loses_it_without_decoding_them(
    tmp_path, workdir, exiftool
):
    original = tmp_path / "item-0.body"
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", CANARY, zip=True)
    buffer = io.BytesIO()
    Image.new("1", (20_000, 10_000)).save(buffer, "PNG", pnginfo=text)
    original.write_bytes(_text_after_the_pixels(buffer.getvalue()))

    # 200 megapixels take 200 MB decoded: more than this child may have
    result = strip_metadata(original, workdir, Limits(memory_bytes=200 << 20))

    assert not result.withheld, result.notes
    assert result.removed == ("PNG text",)
    assert carriers(result.working_copy, "PNG") == []
