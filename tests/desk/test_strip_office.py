"""Office working copies: clean all the way down, checked, and still readable.

Word, Excel and PowerPoint files carry more than their properties: the photos pasted into them
keep their EXIF, the template path and the absolute path name the user's folder, customXml and
embedded objects hold anything. The copy is stripped recursively, read again, and only what the
reading confirms is reported.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from testament.desk.strip import Limits, strip_metadata
from testament.desk.strip.imagecheck import carriers
from testament.desk.strip.kinds import kind_of_head
from testament.desk.strip.officecheck import package_carriers
from tests.desk.samples import (
    CANARY,
    CONTENT_TYPES,
    WORD_TEXT,
    docx,
    docx_bomb,
    hostile_docx,
    hostile_pptx,
    hostile_xlsx,
    package,
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir(mode=0o700)
    return folder


def _members(data: bytes) -> dict[str, bytes]:
    """Every member of a package, and of the packages inside it, by path."""
    found: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            found[name] = archive.read(name)
            if found[name].startswith(b"PK\x03\x04"):
                found |= {f"{name}!{inner}": v for inner, v in _members(found[name]).items()}
    return found


def _clean_and_sound(path: Path) -> dict[str, bytes]:
    """Assert what every Office working copy must be; return its members."""
    members = _members(path.read_bytes())
    for name, data in members.items():
        for encoded in (CANARY.encode(), CANARY.encode("utf-16-le")):
            assert encoded not in data, name
        kind = kind_of_head(data[:64])
        if kind in ("JPEG", "PNG", "GIF", "WEBP", "TIFF"):
            image = path.parent / "member"
            image.write_bytes(data)
            assert carriers(image, kind) == [], name
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(data)  # still well-formed XML
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for rels in (name for name in names if name.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for relation in ElementTree.fromstring(archive.read(rels)):
                if relation.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(base, relation.get("Target", "")))
                    assert target in names, f"{rels} points to a missing {target}"
    return members


def test_a_docx_whose_embedded_photo_carries_gps_gets_a_working_copy_without_it(tmp_path, workdir):
    original = tmp_path / "account.docx"
    original.write_bytes(hostile_docx())

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert {"embedded picture EXIF GPS", "embedded picture XMP"} <= set(result.removed)
    members = _clean_and_sound(result.working_copy)
    assert "word/media/image1.jpeg" in members  # the photo is still there, without its EXIF
    assert WORD_TEXT.encode() in members["word/document.xml"]
    assert b"check the date" in members["word/comments.xml"]


def test_a_docx_loses_the_user_name_in_its_template_path_customxml_and_embedded_objects(
    tmp_path, workdir
):
    original = tmp_path / "account.docx"
    original.write_bytes(hostile_docx())

    result = strip_metadata(original, workdir)

    assert {
        "Office Template",
        "Office Company",
        "Office creator",
        "Office template path",
        "Office custom XML",
        "Office embedded objects",
        "Office document variables",
        "Office revision ids",
        "Office document ids",
        "Office comment and revision authors",
        "Office picture file names",
        "Office local file paths",
    } <= set(result.removed)
    members = _clean_and_sound(result.working_copy)
    assert not any(name.startswith("customXml/") for name in members)
    assert not any(name.endswith(".bin") for name in members)
    assert b"attachedTemplate" not in members["word/settings.xml"]
    assert b"attachedTemplate" not in members["word/_rels/settings.xml.rels"]
    assert not re.search(rb"rsid\w*=", members["word/document.xml"])
    assert b"customXml" not in members["[Content_Types].xml"]
    assert b"OLEObject" not in members["word/document.xml"]


def test_an_office_file_inside_an_office_file_is_stripped_too(tmp_path, workdir):
    original = tmp_path / "account.docx"
    original.write_bytes(hostile_docx(embedded=hostile_docx()))

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert "embedded Office file" in " ".join(result.removed)
    members = _clean_and_sound(result.working_copy)
    inner = "word/embeddings/Microsoft_Word_Document.docx!word/media/image1.jpeg"
    assert inner in members  # kept, and stripped (checked above)


def test_an_xlsx_loses_its_absolute_path_and_the_user_name_it_is_shared_as(tmp_path, workdir):
    original = tmp_path / "list.xlsx"
    original.write_bytes(hostile_xlsx())

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert {
        "Office absolute path",
        "Office file sharing user",
        "Office document ids",
        "Office comment and revision authors",
        "embedded picture EXIF GPS",
    } <= set(result.removed)
    members = _clean_and_sound(result.working_copy)
    workbook = members["xl/workbook.xml"]
    assert b"absPath" not in workbook
    assert b"fileSharing" not in workbook
    assert b'<sheet name="Detained"' in workbook
    assert b"detained 2017" in members["xl/worksheets/sheet1.xml"]


def test_a_pptx_loses_the_gps_of_its_photos_and_thumbnail_and_its_comment_authors(
    tmp_path, workdir
):
    original = tmp_path / "slides.pptx"
    original.write_bytes(hostile_pptx())

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert {
        "embedded picture EXIF GPS",
        "Office comment and revision authors",
        "Office Template",
    } <= set(result.removed)
    members = _clean_and_sound(result.working_copy)
    assert b"the checkpoint" in members["ppt/slides/slide1.xml"]
    assert set(members) >= {"docProps/thumbnail.jpeg", "ppt/media/image1.jpeg"}


def test_the_check_of_a_copy_finds_every_known_carrier_in_an_original(tmp_path):
    original = tmp_path / "account.docx"
    original.write_bytes(hostile_docx())
    workbook = tmp_path / "list.xlsx"
    workbook.write_bytes(hostile_xlsx())

    found = set(package_carriers(original, Limits())) | set(package_carriers(workbook, Limits()))

    assert found >= {
        "Office properties",
        "Office custom XML",
        "Office embedded objects",
        "Office template path",
        "Office revision ids",
        "Office document variables",
        "Office document ids",
        "Office absolute path",
        "Office file sharing user",
        "Office people's names",
        "Office local file paths",
        "embedded picture EXIF",
    }


def test_a_docx_with_a_part_that_inflates_to_a_gigabyte_is_refused_before_inflating(
    tmp_path, workdir
):
    original = tmp_path / "bomb.docx"
    original.write_bytes(docx_bomb())
    assert original.stat().st_size < 1_100_000  # a gigabyte of zeros in about a megabyte

    result = strip_metadata(original, workdir)

    assert result.withheld
    assert result.notes[0] == "not stripped: a part of this DOCX would inflate beyond 1 GiB"


def test_a_docx_whose_parts_inflate_a_thousand_times_is_refused(tmp_path, workdir):
    original = tmp_path / "bomb.docx"
    parts: dict[str, bytes | str] = {f"word/part{n}.xml": b" " * (32 << 20) for n in range(3)}
    original.write_bytes(docx(parts))  # 96 MiB of spaces in about 100 KB

    result = strip_metadata(original, workdir)

    assert result.withheld
    assert "inflates more than 200 times" in result.notes[0]


def test_what_only_looks_like_a_carrier_is_kept(tmp_path, workdir):
    table = (
        '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" '
        'name="Detentions" displayName="Detentions" ref="A1:B3"/>'
    )
    cell_metadata = "<metadata><metadataTypes count='1'/></metadata>"
    original = tmp_path / "list.xlsx"
    original.write_bytes(
        package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "xl/workbook.xml": "<workbook><sheets><sheet name='Universidade'/></sheets>"
                "</workbook>",
                "xl/tables/table1.xml": table,
                "xl/metadata.xml": cell_metadata,
                "xl/worksheets/_rels/sheet1.xml.rels": (
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                    '.org/officeDocument/2006/relationships/hyperlink" Target="https://example'
                    '.org/home/report" TargetMode="External"/></Relationships>'
                ),
            }
        )
    )

    result = strip_metadata(original, workdir)

    assert not result.withheld, result.notes
    assert result.removed == ()
    members = _clean_and_sound(result.working_copy)
    assert members["xl/tables/table1.xml"] == table.encode()  # a table's name is not a person's
    assert members["xl/metadata.xml"] == cell_metadata.encode()
    assert b"https://example.org/home/report" in members["xl/worksheets/_rels/sheet1.xml.rels"]
