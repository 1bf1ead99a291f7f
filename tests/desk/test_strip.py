"""Working copies: metadata that could identify a source is gone, the content is still there."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin, TiffImagePlugin

from testament.desk.strip import UNKNOWN_TYPE, WITHHELD, mat2_available, strip_metadata
from tests.conftest import require_component
from tests.desk.samples import (
    CANARY,
    WORD_TEXT,
    exif_with_gps,
    no_canary,
    odt_with_a_photo,
    pdf_with_a_photo,
    picture,
)


def _no_canary(path: Path) -> None:
    assert no_canary(path.read_bytes())


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    return folder


def test_jpeg_loses_exif_gps_xmp_and_comment_and_stays_upright(tmp_path, workdir):
    original = tmp_path / "photo.jpg"
    picture().save(
        original,
        "JPEG",
        exif=exif_with_gps(orientation=6),  # "rotate 90° to display": the camera was held upright
        xmp=f"<x:xmpmeta><dc:creator>{CANARY}</dc:creator></x:xmpmeta>".encode(),
        comment=CANARY.encode(),
    )
    assert CANARY.encode() in original.read_bytes()

    result = strip_metadata(original, workdir)

    assert set(result.removed) == {"EXIF", "EXIF GPS", "XMP", "comment"}
    assert result.notes == ()
    _no_canary(result.working_copy)
    with Image.open(result.working_copy) as clean:
        assert clean.format == "JPEG"
        assert clean.size == (32, 48)  # the orientation was applied to the pixels
        assert not clean.getexif()
        assert "xmp" not in clean.info
        assert "comment" not in clean.info


def test_png_keeps_its_exact_pixels_without_text_chunks_orexif_with_gps(tmp_path, workdir):
    original = tmp_path / "screenshot.png"
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", CANARY)
    text.add_itxt("Comment", f"{CANARY} comment")
    pixels = picture()
    pixels.save(original, "PNG", pnginfo=text, exif=exif_with_gps())

    result = strip_metadata(original, workdir)

    assert {"EXIF", "EXIF GPS", "PNG text"} <= set(result.removed)
    _no_canary(result.working_copy)
    with Image.open(result.working_copy) as clean:
        assert clean.format == "PNG"
        assert clean.tobytes() == pixels.tobytes()  # lossless: same pixels
        assert not getattr(clean, "text", {})


def test_webp_loses_exif_and_xmp(tmp_path, workdir):
    original = tmp_path / "image.webp"
    picture().save(
        original, "WEBP", exif=exif_with_gps(), xmp=f"<x>{CANARY}</x>".encode(), quality=90
    )

    result = strip_metadata(original, workdir)

    assert {"EXIF", "EXIF GPS", "XMP"} <= set(result.removed)
    _no_canary(result.working_copy)
    with Image.open(result.working_copy) as clean:
        assert clean.format == "WEBP"
        assert clean.size == (48, 32)


def test_tiff_loses_artist_and_camera_tags(tmp_path, workdir):
    original = tmp_path / "scan.tiff"
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[315] = f"{CANARY} artist"  # Artist
    tags[271] = f"{CANARY} make"  # Make
    tags[270] = f"{CANARY} description"  # ImageDescription
    pixels = picture()
    pixels.save(original, "TIFF", tiffinfo=tags)

    result = strip_metadata(original, workdir)

    assert "TIFF descriptive tags" in result.removed
    _no_canary(result.working_copy)
    with Image.open(result.working_copy) as clean:
        assert clean.format == "TIFF"
        assert clean.tobytes() == pixels.tobytes()


def test_the_type_comes_from_the_bytes_not_from_the_claimed_name(tmp_path, workdir):
    disguised = tmp_path / "notes.txt"  # a JPEG with GPS, sent under an innocent name
    picture().save(disguised, "JPEG", exif=exif_with_gps())

    result = strip_metadata(disguised, workdir)

    assert "EXIF GPS" in result.removed
    _no_canary(result.working_copy)


def test_a_damaged_image_gets_no_working_copy_only_a_note(tmp_path, workdir):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)

    result = strip_metadata(broken, workdir)

    assert result.withheld
    assert result.removed == ()
    assert result.notes == ("not stripped: damaged JPEG image", WITHHELD)
    assert result.working_copy.read_bytes() != broken.read_bytes()


def test_an_unknown_type_gets_no_working_copy_only_a_note(tmp_path, workdir):
    original = tmp_path / "recording.bin"
    original.write_bytes(b"\x00\x01 opaque bytes " + CANARY.encode())

    result = strip_metadata(original, workdir)

    assert result.withheld
    assert result.removed == ()
    assert result.report == ("not stripped: unknown type", WITHHELD)
    assert result.notes[0] == UNKNOWN_TYPE
    assert CANARY.encode() not in result.working_copy.read_bytes()
    assert result.working_copy.parent == workdir


def _pdf_text(path: Path) -> bytes:
    """A PDF's bytes with every Flate stream inflated, so compressed metadata is seen too."""
    data = path.read_bytes()
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(inflated)


def test_pdf_loses_its_author_and_creator(tmp_path, workdir):
    require_component(mat2_available(), "mat2 (Debian package mat2)")
    original = tmp_path / "statement.pdf"
    picture().save(original, "PDF", author=f"{CANARY} author", creator=f"{CANARY} tool", title="t")
    assert (
        CANARY.encode("utf-16-be") in original.read_bytes()
        or CANARY.encode() in original.read_bytes()
    )

    result = strip_metadata(original, workdir)

    assert {"PDF author", "PDF creator", "PDF title"} <= set(result.removed)
    content = _pdf_text(result.working_copy)
    for encoded in (CANARY.encode(), CANARY.encode("utf-16-be"), CANARY.encode().hex().encode()):
        assert encoded not in content
    assert result.working_copy.read_bytes().startswith(b"%PDF-")


def test_a_pdf_whose_photo_keeps_its_exif_after_mat2_gets_its_copy_withheld(tmp_path, workdir):
    require_component(mat2_available(), "mat2 (Debian package mat2)")
    original = tmp_path / "printed.pdf"
    original.write_bytes(pdf_with_a_photo())

    result = strip_metadata(original, workdir)

    assert result.withheld  # mat2 copies picture streams as they are: the GPS would stay
    assert result.notes[0].startswith("not stripped: the copy still carried embedded picture EXIF")


def test_an_odt_loses_its_author_the_gps_of_its_photo_its_printer_and_local_paths(
    tmp_path, workdir
):
    require_component(mat2_available(), "mat2 (Debian package mat2)")
    original = tmp_path / "account.odt"
    original.write_bytes(odt_with_a_photo())

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert {
        "ODT GPSLatitude",
        "ODF printer",
        "ODF picture file names",
        "ODF local file paths",
    } <= set(result.removed)
    with zipfile.ZipFile(result.working_copy) as clean:
        assert clean.namelist()[0] == "mimetype"
        assert clean.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        members = {name: clean.read(name) for name in clean.namelist()}
    assert not any(CANARY.encode() in data for data in members.values())
    assert b"Exif\x00\x00" not in members["Pictures/p.jpg"]
    assert WORD_TEXT.encode() in members["content.xml"]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
    'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
    f'elements/1.1/"><dc:creator>{CANARY}</dc:creator><cp:lastModifiedBy>{CANARY}'
    "</cp:lastModifiedBy></cp:coreProperties>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
    f'officeDocument/2006/extended-properties"><Company>{CANARY} Ltd</Company></Properties>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.'
    'org/wordprocessingml/2006/main"><w:body><w:p><w:ins w:id="1" w:author="'
    f'{CANARY}"><w:r><w:t>They took him at night.</w:t></w:r></w:ins></w:p></w:body></w:document>'
)
_COMMENTS = (
    '<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.'
    f'org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="{CANARY}" w:initials="RC">'
    "<w:p><w:r><w:t>check the date</w:t></w:r></w:p></w:comment></w:comments>"
)


def test_docx_loses_its_properties_and_the_authors_of_comments_and_changes(tmp_path, workdir):
    original = tmp_path / "account.docx"
    with zipfile.ZipFile(original, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("docProps/core.xml", _CORE)
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("word/document.xml", _DOCUMENT)
        archive.writestr("word/comments.xml", _COMMENTS)

    result = strip_metadata(original, workdir)

    assert {
        "Office creator",
        "Office lastModifiedBy",
        "Office Company",
        "Office comment and revision authors",
    } <= set(result.removed)
    with zipfile.ZipFile(result.working_copy) as clean:
        members = {name: clean.read(name) for name in clean.namelist()}
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in clean.infolist())
    assert set(members) == {
        "[Content_Types].xml",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/document.xml",
        "word/comments.xml",
    }
    assert not any(CANARY.encode() in data for data in members.values())
    assert b"They took him at night." in members["word/document.xml"]
    assert b"check the date" in members["word/comments.xml"]


def test_a_zip_that_is_not_an_office_file_is_an_unknown_type(tmp_path, workdir):
    original = tmp_path / "photos.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", CANARY)
    original.write_bytes(buffer.getvalue())

    assert strip_metadata(original, workdir).notes == (UNKNOWN_TYPE, WITHHELD)


def _with_iptc(jpeg: bytes, byline: str) -> bytes:
    """``jpeg`` with an APP13 Photoshop segment holding an IPTC By-line (2:80)."""
    value = byline.encode()
    iptc = b"\x1c\x02\x50" + len(value).to_bytes(2, "big") + value
    block = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc
    payload = b"Photoshop 3.0\x00" + block
    segment = b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def test_jpeg_loses_iptc(tmp_path, workdir):
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG")
    original = tmp_path / "agency.jpg"
    original.write_bytes(_with_iptc(buffer.getvalue(), f"{CANARY} photographer"))

    result = strip_metadata(original, workdir)

    assert "IPTC" in result.removed
    _no_canary(result.working_copy)
    assert b"Photoshop 3.0" not in result.working_copy.read_bytes()


def test_xlsx_loses_the_authors_of_its_comments(tmp_path, workdir):
    original = tmp_path / "list.xlsx"
    with zipfile.ZipFile(original, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("docProps/core.xml", _CORE)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/comments1.xml",
            f"<comments><authors><author>{CANARY}</author></authors>"
            "<commentList><comment ref='A1' authorId='0'><text>detained 2017</text></comment>"
            "</commentList></comments>",
        )

    result = strip_metadata(original, workdir)

    assert "Office comment and revision authors" in result.removed
    with zipfile.ZipFile(result.working_copy) as clean:
        comments = clean.read("xl/comments1.xml")
        core = clean.read("docProps/core.xml")
    assert CANARY.encode() not in comments + core
    assert b"detained 2017" in comments


def test_a_plain_text_file_is_its_own_working_copy(tmp_path):
    from testament.desk.strip import strip_metadata

    original = tmp_path / "notes.txt"
    original.write_text("Он сказал: [неразборчиво]\nHe said so.\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = strip_metadata(original, work)
    assert not result.withheld
    assert result.working_copy.read_bytes() == original.read_bytes()
    assert result.notes == ("plain text: no hidden metadata to remove",)


def test_bytes_that_are_not_text_are_still_withheld(tmp_path):
    from testament.desk.strip import strip_metadata

    original = tmp_path / "blob.bin"
    original.write_bytes(b"\x00\x01binary\x02")
    work = tmp_path / "work"
    work.mkdir()
    assert strip_metadata(original, work).withheld
