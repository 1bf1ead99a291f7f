"""OpenDocument files after mat2: what mat2 leaves, removed here, and the copy checked.

mat2 drops ``meta.xml`` (author, dates, template) and strips the pictures in ``Pictures/``, but
leaves the name of the printer (``settings.xml``), the file names of inserted pictures
(``draw:name``) and links to files on the author's machine (``xlink:href="file:///home/..."``),
which name the user. The package is rewritten once more without them (``mimetype`` first and
stored, as OpenDocument requires), then read again: properties, pictures, paths, printer.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from testament.desk.strip.imagecheck import carriers
from testament.desk.strip.kinds import IMAGE_KINDS, kind_of_head
from testament.desk.strip.limits import Limits
from testament.desk.strip.officecheck import LOCAL_PATH, PROPERTY_ELEMENT, is_xml
from testament.desk.strip.packages import checked_members, extract_member, read_head, read_member

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# mat2 rewrites the XML with prefixes of its own (ns1:config-item): prefixes are not matched.
_PRINTER = re.compile(
    rb'(<(?:[\w.-]+:)?config-item\b[^>]*?\bname="(?:PrinterName|PrinterSetup)"[^>]*?)'
    rb"(?:/>|>([^<]*)</(?:[\w.-]+:)?config-item>)"
)
_PRINTER_VALUE = re.compile(
    rb'<(?:[\w.-]+:)?config-item\b[^>]*\bname="(?:PrinterName|PrinterSetup)"[^>/]*>[^<]'
)
_FRAME = re.compile(rb"<(?:[\w.-]+:)?frame\b[^>]*>")  # a picture's frame: its name is a file's
_PICTURE_NAME = re.compile(rb"""\b((?:[\w.-]+:)?name=)("[^"]*\.\w{2,5}"|'[^']*\.\w{2,5}')""")
_ATTRIBUTE_VALUE = re.compile(rb"""(\s[\w:.-]+=)("[^"]*"|'[^']*')""")


def _clean(data: bytes, found: list[str]) -> bytes:
    def note(label: str) -> None:
        if label not in found:
            found.append(label)

    def no_printer(match: re.Match[bytes]) -> bytes:
        if match.group(2):
            note("ODF printer")
        return match.group(1) + b"/>"

    def no_file_name(match: re.Match[bytes]) -> bytes:
        note("ODF picture file names")
        return match.group(1) + b'""'

    def no_local_path(match: re.Match[bytes]) -> bytes:
        if not LOCAL_PATH.search(match.group(2)):
            return match.group(0)
        note("ODF local file paths")
        return match.group(1) + b'""'

    data = _PRINTER.sub(no_printer, data)
    data = _FRAME.sub(lambda frame: _PICTURE_NAME.sub(no_file_name, frame[0]), data)
    return _ATTRIBUTE_VALUE.sub(no_local_path, data)


def rewrite(cleaned: Path, copy: Path, limits: Limits, label: str) -> list[str]:
    """Copy mat2's output to ``copy`` without the printer, picture names and local paths."""
    found: list[str] = []
    with zipfile.ZipFile(cleaned) as source, zipfile.ZipFile(copy, "w") as target:
        members = checked_members(source, limits, label)
        members.sort(key=lambda member: member.filename != "mimetype")
        for member in members:
            data = read_member(source, member, limits.zip_member_bytes, label)
            if member.filename.endswith(".xml"):
                data = _clean(data, found)
            fresh = zipfile.ZipInfo(member.filename, date_time=_FIXED_TIME)
            fresh.external_attr = 0o644 << 16
            stored = member.filename == "mimetype"
            fresh.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(fresh, data)
    return found


def odf_carriers(path: Path, limits: Limits) -> list[str]:
    """Labels of every known carrier of metadata left in an OpenDocument package."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for index, member in enumerate(checked_members(archive, limits, "OpenDocument file")):
            name = member.filename
            head = read_head(archive, member)
            labels: list[str] = []
            if name.endswith(".xml") or is_xml(head):
                data = read_member(archive, member, limits.zip_xml_bytes, name)
                if name.endswith("meta.xml") and PROPERTY_ELEMENT.search(data):
                    labels.append("ODF properties")
                if _PRINTER_VALUE.search(data):
                    labels.append("ODF printer")
                if any(_PICTURE_NAME.search(frame[0]) for frame in _FRAME.finditer(data)):
                    labels.append("ODF picture file names")
                if any(LOCAL_PATH.search(value[2]) for value in _ATTRIBUTE_VALUE.finditer(data)):
                    labels.append("ODF local file paths")
            elif (kind := kind_of_head(head)) in IMAGE_KINDS and kind is not None:
                part = path.parent / f"odf-part-{index}"
                extract_member(archive, member, part, limits.zip_member_bytes, name)
                labels = [f"embedded picture {label}" for label in carriers(part, kind)]
                part.unlink()
            found.extend(label for label in labels if label not in found)
    return found
