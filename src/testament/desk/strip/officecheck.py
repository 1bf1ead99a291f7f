"""Read an Office package again and list every known carrier of identifying metadata left in it.

The rewrite (``office``) removes; this module only looks, with plain searches rather than the
rewrite's substitutions, so that a mistake in one is not repeated by the other. It opens every
part within the limits of ``packages``, walks pictures with ``imagecheck``, videos and HEIF
pictures with ``boxes``, and embedded Office files recursively. An empty list is the only
answer that lets a working copy out.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

from testament.desk.strip.boxes import heif_carriers, video_carriers
from testament.desk.strip.imagecheck import carriers
from testament.desk.strip.kinds import IMAGE_KINDS, VIDEO_KINDS, kind_of_head
from testament.desk.strip.limits import Limits
from testament.desk.strip.packages import checked_members, extract_member, read_head, read_member

PROPERTY_PARTS = {"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"}
# An element of a properties part that holds a value: <dc:creator>name</dc:creator>.
PROPERTY_ELEMENT = re.compile(rb"<(?:[A-Za-z0-9]+:)?([A-Za-z]+)(?:\s[^>]*)?>[^<]+</")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A path on someone's machine: file: URLs, drive letters, network shares, home folders.
LOCAL_PATH = re.compile(rb"""(?i)file:|\b[a-z]:[\\/]|\\\\[^\\\s]|^["']?/(?:users|home)/""")

# Parts left out by their name alone, with the label of what they are.
_DROPPED_FOLDERS = {
    "customXml/": "Office custom XML",
    "_xmlsignatures/": "Office digital signatures",
    "[trash]/": "Office deleted content",
}
# Parts kept as they are: fonts (obfuscated, no metadata of the author) and vector pictures.
_MEDIA_KINDS = {*IMAGE_KINDS, *VIDEO_KINDS, "HEIF"}
_FONT_SUFFIXES = (".odttf", ".ttf", ".otf", ".fntdata")
_WMF_HEADS = (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")

# Presence is enough: the rewrite removes each of these elements wherever it is.
_ELEMENTS = re.compile(
    rb"<(?:\w+:)?(attachedTemplate|mailMerge|docVars|rsids|docId|revisionPtr|absPath|fileSharing)\b"
)
_ELEMENT_LABELS = {
    b"attachedTemplate": "Office template path",
    b"mailMerge": "Office mail merge source",
    b"docVars": "Office document variables",
    b"rsids": "Office revision ids",
    b"docId": "Office document ids",
    b"revisionPtr": "Office document ids",
    b"absPath": "Office absolute path",
    b"fileSharing": "Office file sharing user",
}
_REVISION_ID = re.compile(rb"\s(?:\w+:)?rsid\w*=")
_TEMPLATE_RELATIONSHIP = re.compile(
    rb"/relationships/(?:attachedTemplate|mailMergeSource|mailMergeHeaderSource|recipientData)\b"
)
_PERSON = re.compile(
    rb"""\b(?:\w+:)?(?:author|initials|userId|providerId|userName)=(?:"[^"]|'[^'])"""
)
_PERSON_NAME = re.compile(rb"""\b(?:\w+:)?(?:name|displayName)=(?:"[^"]|'[^'])""")
_PERSON_NAME_PARTS = ("ppt/commentAuthors.xml", "ppt/authors.xml", "xl/persons/")
_EXCEL_AUTHOR = re.compile(rb"<author>[^<]")
_ATTRIBUTE_VALUE = re.compile(rb"""=("[^"]*"|'[^']*')""")


def dropped_by_name(name: str) -> str | None:
    """The label of a part left out because of its name, or None."""
    for folder, label in _DROPPED_FOLDERS.items():
        if name.startswith(folder):
            return label
    return "Office embedded objects" if name.endswith(".bin") else None


def is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def is_harmless_binary(name: str, head: bytes) -> bool:
    """A font or a vector picture (EMF, WMF): kept as it is."""
    emf = head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF"
    return emf or head.startswith(_WMF_HEADS) or name.lower().endswith(_FONT_SUFFIXES)


def xml_carriers(name: str, data: bytes) -> list[str]:
    """Labels of the carriers left in one XML part."""
    found = [_ELEMENT_LABELS[match[1]] for match in _ELEMENTS.finditer(data)]
    if _REVISION_ID.search(data):
        found.append("Office revision ids")
    if _TEMPLATE_RELATIONSHIP.search(data):
        found.append("Office template path")
    if name in PROPERTY_PARTS and PROPERTY_ELEMENT.search(data):
        found.append("Office properties")
    people = _PERSON.search(data) or _EXCEL_AUTHOR.search(data)
    if people or (name.startswith(_PERSON_NAME_PARTS) and _PERSON_NAME.search(data)):
        found.append("Office people's names")
    if any(LOCAL_PATH.search(value[1]) for value in _ATTRIBUTE_VALUE.finditer(data)):
        found.append("Office local file paths")
    if re.search(rb"<(?:\w+:)?(?:cNvPr|docPr)\b[^>]*\bname=\"[^\"]*\.\w{2,5}\"", data):
        found.append("Office picture file names")
    return list(dict.fromkeys(found))


def package_carriers(path: Path, limits: Limits, *, depth: int = 0) -> list[str]:
    """Labels of every known carrier of metadata in the Office package at ``path``."""
    found: list[str] = []

    def add(labels: list[str]) -> None:
        found.extend(label for label in labels if label not in found)

    with (
        zipfile.ZipFile(path) as archive,
        tempfile.TemporaryDirectory(dir=path.parent) as scratch,
    ):
        for index, member in enumerate(checked_members(archive, limits, "Office file")):
            name = member.filename
            if dropped_by_name(name):
                add([dropped_by_name(name) or ""])
                continue
            head = read_head(archive, member)
            if name in PROPERTY_PARTS or name.endswith(".rels") or is_xml(head):
                add(xml_carriers(name, read_member(archive, member, limits.zip_xml_bytes, name)))
                continue
            kind = kind_of_head(head)
            if kind in _MEDIA_KINDS or head.startswith(b"PK\x03\x04"):
                part = Path(scratch) / f"part-{index}"
                extract_member(archive, member, part, limits.zip_member_bytes, "Office file")
                if kind in VIDEO_KINDS:
                    add([f"embedded video {label}" for label in video_carriers(part)])
                elif kind == "HEIF":
                    add([f"embedded picture {label}" for label in heif_carriers(part)])
                elif kind is not None:
                    add([f"embedded picture {label}" for label in carriers(part, kind)])
                elif depth > 0:
                    add(["Office file nested too deep"])
                else:
                    add(package_carriers(part, limits, depth=depth + 1))
                part.unlink()
            elif head.startswith(OLE_MAGIC) or not is_harmless_binary(name, head):
                add(["Office embedded objects"])
    return found
