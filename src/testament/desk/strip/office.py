"""Office Open XML (docx, xlsx, pptx), rewritten member by member with ``zipfile``.

mat2 0.13 refuses a docx that has comments, so the packages are rewritten here: the core, app
and custom properties are emptied, the names and initials of the authors of comments and tracked
changes are blanked, and member timestamps are reset.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from testament.desk.strip.limits import Limits
from testament.desk.strip.result import NotStripped, StripResult

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


def strip_ooxml(original: Path, workdir: Path, extension: str, limits: Limits) -> StripResult:
    """Rewrite an Office package member by member into a working copy (see the module doc)."""
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
    except (zipfile.BadZipFile, KeyError, RuntimeError):
        raise NotStripped(f"damaged {extension.lstrip('.').upper()} file") from None
    return StripResult(copy, tuple(removed), ())
