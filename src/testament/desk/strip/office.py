"""Office Open XML (docx, xlsx, pptx), rewritten member by member, all the way down.

mat2 0.13 refuses a docx that has comments, so packages are rewritten here with ``zipfile``,
every member within the limits of ``packages`` (no decompression bombs):

- the core, app and custom properties are emptied (author, company, the template's path in the
  user's folder...);
- pictures (``word/media``, ``xl/media``, ``ppt/media``, the thumbnail) go through the picture
  stripper, so a pasted photo loses its GPS position, and videos through the video stripper;
  one that cannot be stripped is left out;
- an Office file embedded in another is stripped the same way (one level deep); OLE objects
  (``.bin``), customXml, digital signatures (the signer's certificate), deleted content and
  any binary part nobody here can strip are left out, with the relationships that point to them;
- in the XML parts: the attached template and the mail-merge source (paths with the user's
  name), Excel's absolute path and the user name it is shared as, document variables, document
  and revision ids (rsid), the names of the authors of comments and changes, the file names of
  pasted pictures, and any attribute holding a local file path;
- member timestamps are reset.

Then ``officecheck`` reads the copy again, and only a copy in which it finds nothing is
reported clean (``NotStripped`` otherwise: the copy is withheld).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from testament.desk.strip.kinds import (
    IMAGE_KINDS,
    OOXML_KINDS,
    VIDEO_KINDS,
    detect_kind,
    kind_of_head,
)
from testament.desk.strip.limits import Limits
from testament.desk.strip.officecheck import (
    LOCAL_PATH,
    OLE_MAGIC,
    PROPERTY_ELEMENT,
    PROPERTY_PARTS,
    dropped_by_name,
    is_harmless_binary,
    is_xml,
    package_carriers,
)
from testament.desk.strip.packages import checked_members, extract_member, read_head, read_member
from testament.desk.strip.result import NotStripped, StripResult

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_EMPTY_PROPERTIES = {
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
assert set(_EMPTY_PROPERTIES) == PROPERTY_PARTS

# Relationships whose targets are paths on the author's machine, or data sources.
_UNWANTED_RELATIONSHIPS = re.compile(
    rb"/(?:attachedTemplate|mailMergeSource|mailMergeHeaderSource|recipientData)$"
)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?/>|<Relationship\b.*?</Relationship>", re.S)
_OVERRIDE = re.compile(rb'<Override\b[^>]*\bPartName="([^"]*)"[^>]*/>')


def _attribute(element: bytes, name: bytes) -> bytes | None:
    match = re.search(rb"\b" + name + rb'="([^"]*)"', element) or re.search(
        rb"\b" + name + rb"='([^']*)'", element
    )
    return match.group(1) if match else None


# (label, pattern, replacement): removals in every XML part.
_XML_REMOVALS: tuple[tuple[str, re.Pattern[bytes], bytes], ...] = (
    ("Office template path", re.compile(rb"<(?:\w+:)?attachedTemplate\b[^>]*/>"), b""),
    (
        "Office mail merge source",
        re.compile(rb"<(\w+:)?mailMerge\b.*?</\1mailMerge>|<(?:\w+:)?mailMerge\b[^>]*/>", re.S),
        b"",
    ),
    (
        "Office document variables",
        re.compile(rb"<(\w+:)?docVars\b.*?</\1docVars>|<(?:\w+:)?docVars\b[^>]*/>", re.S),
        b"",
    ),
    ("Office revision ids", re.compile(rb"<(\w+:)?rsids\b.*?</\1rsids>", re.S), b""),
    ("Office revision ids", re.compile(rb"""\s(?:\w+:)?rsid\w*=(?:"[^"]*"|'[^']*')"""), b""),
    ("Office document ids", re.compile(rb"<(?:\w+:)?(?:docId|revisionPtr)\b[^>]*/>"), b""),
    (
        "Office absolute path",
        re.compile(
            rb"<mc:AlternateContent\b(?:(?!</mc:AlternateContent>).)*?absPath"
            rb"(?:(?!</mc:AlternateContent>).)*?</mc:AlternateContent>",
            re.S,
        ),
        b"",
    ),
    ("Office absolute path", re.compile(rb"<(?:\w+:)?absPath\b[^>]*/>"), b""),
    ("Office file sharing user", re.compile(rb"<(?:\w+:)?fileSharing\b[^>]*/>"), b""),
)
_SVG_METADATA = re.compile(rb"<(\w+:)?metadata\b.*?</\1metadata>", re.S)  # RDF: creator...
_PERSON_ATTRIBUTE = re.compile(
    rb"""\b((?:\w+:)?(?:author|initials|userId|providerId|userName))=("[^"]*"|'[^']*')"""
)
# Parts where name= or displayName= is a person's (elsewhere they name sheets and tables).
_PERSON_NAME_PARTS = ("ppt/commentAuthors.xml", "ppt/authors.xml", "xl/persons/")
_NAME_ATTRIBUTE = re.compile(rb"""\b((?:\w+:)?(?:name|displayName))=("[^"]*"|'[^']*')""")
_EXCEL_AUTHOR = re.compile(rb"<author>[^<]+</author>")
_PICTURE_NAME = re.compile(rb"<(?:\w+:)?(?:cNvPr|docPr)\b[^>]*>")
_FILE_NAME = re.compile(rb"""\bname=("[^"]*\.\w{2,5}"|'[^']*\.\w{2,5}')""")
_ATTRIBUTE_VALUE = re.compile(rb"""(\s[\w:.-]+=)("[^"]*"|'[^']*')""")


class _Rewrite:
    """The labels of what a rewrite removed, in the order found."""

    def __init__(self) -> None:
        self.removed: list[str] = []

    def note(self, label: str) -> None:
        if label not in self.removed:
            self.removed.append(label)

    def sub(self, label: str, pattern: re.Pattern[bytes], replace: bytes, data: bytes) -> bytes:
        data, count = pattern.subn(replace, data)
        if count:
            self.note(label)
        return data

    def blank(
        self, label: str, pattern: re.Pattern[bytes], data: bytes, empty: bytes = b'=""'
    ) -> bytes:
        def blanked(match: re.Match[bytes]) -> bytes:
            if len(match.group(2)) > 2:  # more than the two quotes
                self.note(label)
            return match.group(1) + empty

        return pattern.sub(blanked, data)


def strip_ooxml(
    original: Path, workdir: Path, extension: str, limits: Limits, *, depth: int = 0
) -> StripResult:
    """Rewrite an Office package into a working copy, then check it (see the module doc)."""
    label = extension.lstrip(".").upper()
    copy = workdir / f"working-copy{extension}"
    scratch = workdir / "parts"
    scratch.mkdir()
    rewrite = _Rewrite()
    with zipfile.ZipFile(original) as source:
        members = checked_members(source, limits, label)
        kinds = {member.filename: _part_kind(source, member, depth) for member in members}
        # Pictures and embedded files first: one that cannot be stripped is left out, and the
        # relationships pointing to it must go too.
        binaries: dict[str, Path] = {}
        for index, member in enumerate(members):
            kind = kinds[member.filename]
            if kind in ("drop", "folder", "xml", "properties"):
                continue
            part = scratch / f"part-{index}"
            extract_member(source, member, part, limits.zip_member_bytes, label)
            cleaned = _clean_binary(part, kind, scratch / f"strip-{index}", limits, depth)
            if cleaned is None:
                kinds[member.filename] = "drop"
                continue
            found, binaries[member.filename] = cleaned
            for what in found:
                rewrite.note(what)
        dropped = {name for name, kind in kinds.items() if kind == "drop"}
        for name in sorted(dropped):
            rewrite.note(dropped_by_name(name) or "Office embedded objects")
        gone = _relationships_to(dropped, members, source, limits, label)
        with zipfile.ZipFile(copy, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for member in members:
                name = member.filename
                if name in binaries:
                    _write(target, name, path=binaries[name])
                elif kinds[name] == "properties":
                    data = read_member(source, member, limits.zip_xml_bytes, label)
                    _write(target, name, data=_empty_properties(name, data, rewrite))
                elif kinds[name] == "xml":
                    data = read_member(source, member, limits.zip_xml_bytes, label)
                    data = _clean_xml(name, data, dropped, gone.get(name, []), rewrite)
                    _write(target, name, data=data)
    left = package_carriers(copy, limits, depth=depth)
    if left:
        raise NotStripped(f"the copy still carried {', '.join(left)}")
    return StripResult(copy, tuple(rewrite.removed), ())


def _write(
    target: zipfile.ZipFile, name: str, *, data: bytes | None = None, path: Path | None = None
) -> None:
    fresh = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = 0o644 << 16
    if data is not None:
        target.writestr(fresh, data)
        return
    assert path is not None
    with path.open("rb") as stream, target.open(fresh, "w", force_zip64=True) as out:
        while chunk := stream.read(1 << 20):
            out.write(chunk)


def _part_kind(source: zipfile.ZipFile, member: zipfile.ZipInfo, depth: int) -> str:
    """What to do with a part: ``properties``, ``xml``, a picture's or video's kind,
    ``package``, ``keep`` (fonts, vector pictures), ``drop`` or ``folder``."""
    name = member.filename
    if name in PROPERTY_PARTS:
        return "properties"
    if name.endswith("/"):
        return "folder"  # an entry for a folder: nothing to copy
    if dropped_by_name(name):
        return "drop"
    head = read_head(source, member)
    if name.endswith(".rels") or is_xml(head):
        return "xml"
    kind = kind_of_head(head)
    if kind in IMAGE_KINDS or kind in VIDEO_KINDS or kind == "HEIF":
        return kind or "drop"
    if head.startswith(b"PK\x03\x04") and depth == 0:
        return "package"
    if head.startswith(OLE_MAGIC) or not is_harmless_binary(name, head):
        return "drop"
    return "keep"


def _clean_binary(
    part: Path, kind: str, workdir: Path, limits: Limits, depth: int
) -> tuple[tuple[str, ...], Path] | None:
    """A stripped picture or embedded Office file (labels, path), or None to leave it out."""
    if kind == "keep":
        return (), part
    workdir.mkdir()
    try:
        if kind == "package":
            inner = detect_kind(part)
            if inner is None or inner not in OOXML_KINDS:
                return None
            result = strip_ooxml(part, workdir, inner, limits, depth=depth + 1)
            return tuple(f"embedded Office file: {what}" for what in result.removed), (
                result.working_copy
            )
        if kind in VIDEO_KINDS:
            from testament.desk.strip.media import strip_video

            video = strip_video(part, workdir, kind, limits)
            return tuple(f"embedded video {what}" for what in video.removed), video.working_copy
        if kind == "HEIF":
            from testament.desk.strip.media import strip_heif

            result = strip_heif(part, workdir, limits)
        else:
            from testament.desk.strip.images import strip_image

            result = strip_image(part, workdir, kind, limits)
    except NotStripped:
        return None
    return tuple(f"embedded picture {what}" for what in result.removed), result.working_copy


def _empty_properties(name: str, data: bytes, rewrite: _Rewrite) -> bytes:
    for match in PROPERTY_ELEMENT.finditer(data):
        rewrite.note(f"Office {match.group(1).decode('ascii')}")
    return _EMPTY_PROPERTIES[name]


def _clean_xml(
    name: str, data: bytes, dropped: set[str], gone: list[bytes], rewrite: _Rewrite
) -> bytes:
    if name.endswith(".rels"):
        data = _clean_relationships(name, data, dropped, rewrite)
    elif name == "[Content_Types].xml":
        data = _OVERRIDE.sub(
            lambda match: b"" if match.group(1).decode().lstrip("/") in dropped else match[0],
            data,
        )
    for relationship_id in gone:  # an element that used a part left out (an OLE object)
        data = re.sub(
            rb"<[\w:]+\b[^>]*\b\w+:(?:id|embed|link)=\""
            + re.escape(relationship_id)
            + rb"\"[^>]*/>",
            b"",
            data,
        )
    for label, pattern, replace in _XML_REMOVALS:
        data = rewrite.sub(label, pattern, replace, data)
    if name.lower().endswith(".svg"):
        data = rewrite.sub("Office picture metadata", _SVG_METADATA, b"", data)
    data = rewrite.blank("Office comment and revision authors", _PERSON_ATTRIBUTE, data)
    if name.startswith(_PERSON_NAME_PARTS):
        data = rewrite.blank("Office comment and revision authors", _NAME_ATTRIBUTE, data)
    data = rewrite.sub("Office comment and revision authors", _EXCEL_AUTHOR, b"<author/>", data)
    data = _PICTURE_NAME.sub(
        lambda tag: rewrite.sub("Office picture file names", _FILE_NAME, b'name=""', tag[0]), data
    )
    return _ATTRIBUTE_VALUE.sub(_without_local_path(rewrite), data)


def _without_local_path(rewrite: _Rewrite) -> Callable[[re.Match[bytes]], bytes]:
    def replace(match: re.Match[bytes]) -> bytes:
        if not LOCAL_PATH.search(match.group(2)):
            return match.group(0)
        rewrite.note("Office local file paths")
        empty = b'"about:blank"' if match.group(1).strip() == b"Target=" else b'""'
        return match.group(1) + empty

    return replace


def _relationship_target(rels: str, target: bytes) -> str:
    """The package path a relationship in ``rels`` points to."""
    if target.startswith(b"/"):
        return target.decode("utf-8", "replace").lstrip("/")
    base = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/x.rels -> word
    return posixpath.normpath(posixpath.join(base, target.decode("utf-8", "replace")))


def _unwanted(rels: str, relationship: bytes, dropped: set[str]) -> bool:
    kind = _attribute(relationship, b"Type") or b""
    if _UNWANTED_RELATIONSHIPS.search(kind):
        return True
    if _attribute(relationship, b"TargetMode") == b"External":
        return False
    return _relationship_target(rels, _attribute(relationship, b"Target") or b"") in dropped


def _clean_relationships(rels: str, data: bytes, dropped: set[str], rewrite: _Rewrite) -> bytes:
    def keep(match: re.Match[bytes]) -> bytes:
        relationship = match.group(0)
        if not _unwanted(rels, relationship, dropped):
            return relationship
        kind = _attribute(relationship, b"Type") or b""
        if kind.endswith(b"/attachedTemplate"):
            rewrite.note("Office template path")
        return b""

    return _RELATIONSHIP.sub(keep, data)


def _relationships_to(
    dropped: set[str],
    members: list[zipfile.ZipInfo],
    source: zipfile.ZipFile,
    limits: Limits,
    label: str,
) -> dict[str, list[bytes]]:
    """For each part, the ids of its relationships that point to parts left out."""
    gone: dict[str, list[bytes]] = {}
    for member in members:
        rels = member.filename
        folder, _, file = rels.rpartition("_rels/")
        if not rels.endswith(".rels") or not file:
            continue
        data = read_member(source, member, limits.zip_xml_bytes, label)
        ids = [
            _attribute(relationship[0], b"Id") or b""
            for relationship in _RELATIONSHIP.finditer(data)
            if _unwanted(rels, relationship[0], dropped)
        ]
        if ids:
            gone[folder + file.removesuffix(".rels")] = ids
    return gone
