"""ISO base media files (MP4, QuickTime MOV, HEIF/HEIC): walk their boxes without the media.

A video or an iPhone photo is a tree of boxes: four bytes of size, four of type, then the
content. Metadata lives in known places: ``udta`` and ``meta`` boxes of the movie and of each
track (location, camera make and model, an Apple ``keys`` list), the creation times in the
movie, track and media headers, tracks that are neither picture nor sound (GPS tracks of action
cameras, subtitles of drones), and, in a HEIF picture, ``Exif`` and XMP items. This module
reads the tree (never the media data) to check a working copy against allow-lists, and removes
the user data a muxer wrote into a movie's header.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from testament.desk.strip.result import NotStripped

_MOVIE_HEADER_LIMIT = 64 << 20  # a moov of more than this is not a phone's or a camera's


@dataclass(frozen=True, slots=True)
class Box:
    kind: bytes
    start: int
    header: int
    size: int

    @property
    def content(self) -> int:
        return self.start + self.header

    @property
    def end(self) -> int:
        return self.start + self.size


def boxes(stream: BinaryIO, start: int, end: int) -> Iterator[Box]:
    """The boxes between ``start`` and ``end``; ValueError if they do not fill it exactly."""
    position = start
    while position < end:
        stream.seek(position)
        head = stream.read(8)
        if len(head) < 8:
            raise ValueError("damaged box structure")
        size, header = int.from_bytes(head[:4], "big"), 8
        if size == 1:
            size, header = int.from_bytes(stream.read(8), "big"), 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise ValueError("damaged box structure")
        yield Box(head[4:], position, header, size)
        position += size


def _read(stream: BinaryIO, box: Box, skip: int = 0, size: int = 64) -> bytes:
    stream.seek(box.content + skip)
    return stream.read(min(size, box.end - box.content - skip))


def _times_are_zero(stream: BinaryIO, box: Box) -> bool:
    """Creation and modification times of an mvhd, tkhd or mdhd box (version 0 or 1)."""
    head = _read(stream, box, size=20)
    width = 8 if head[:1] == b"\x01" else 4
    return head[4 : 4 + 2 * width] == bytes(2 * width)


# -- videos -------------------------------------------------------------------------------------

_MOVIE_TOP = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide"}
_MOVIE_CHILDREN = {b"mvhd", b"trak", b"iods"}
_TRACK_CHILDREN = {b"tkhd", b"edts", b"mdia", b"tref"}
_MEDIA_CHILDREN = {b"mdhd", b"hdlr", b"minf", b"elng"}
_USER_DATA = {b"udta": "QuickTime user data", b"meta": "QuickTime metadata", b"uuid": "vendor box"}
_PICTURE_AND_SOUND = {b"vide", b"soun"}


def track_handlers(path: Path) -> list[bytes]:
    """The handler type of every track of a movie (``vide``, ``soun``, ``text``, ``meta``...)."""
    handlers: list[bytes] = []
    with path.open("rb") as stream:
        size = path.stat().st_size
        for moov in (box for box in boxes(stream, 0, size) if box.kind == b"moov"):
            for trak in (
                box for box in boxes(stream, moov.content, moov.end) if box.kind == b"trak"
            ):
                for mdia in boxes(stream, trak.content, trak.end):
                    if mdia.kind == b"mdia":
                        for hdlr in boxes(stream, mdia.content, mdia.end):
                            if hdlr.kind == b"hdlr":
                                handlers.append(_read(stream, hdlr, skip=8, size=4))
    return handlers


def video_carriers(path: Path) -> list[str]:
    """Labels of what a movie carries beyond its picture and sound tracks."""
    found: list[str] = []

    def add(label: str) -> None:
        if label not in found:
            found.append(label)

    try:
        with path.open("rb") as stream:
            top = list(boxes(stream, 0, path.stat().st_size))
            for box in top:
                if box.kind not in _MOVIE_TOP:
                    add(_USER_DATA.get(box.kind, "unknown box"))
            movies = [box for box in top if box.kind == b"moov"]
            if len(movies) != 1:
                return [*found, "damaged movie structure"]
            for child in boxes(stream, movies[0].content, movies[0].end):
                if child.kind == b"mvhd" and not _times_are_zero(stream, child):
                    add("creation time")
                elif child.kind == b"trak":
                    for label in _track_carriers(stream, child):
                        add(label)
                elif child.kind not in _MOVIE_CHILDREN:
                    add(_USER_DATA.get(child.kind, "unknown box"))
    except ValueError:
        add("damaged movie structure")
    return found


def _track_carriers(stream: BinaryIO, trak: Box) -> Iterator[str]:
    for child in boxes(stream, trak.content, trak.end):
        if child.kind == b"tkhd" and not _times_are_zero(stream, child):
            yield "creation time"
        elif child.kind == b"mdia":
            for part in boxes(stream, child.content, child.end):
                if part.kind == b"mdhd" and not _times_are_zero(stream, part):
                    yield "creation time"
                elif part.kind == b"hdlr" and _read(stream, part, 8, 4) not in _PICTURE_AND_SOUND:
                    yield "a track that is neither picture nor sound"
                elif part.kind not in _MEDIA_CHILDREN:
                    yield _USER_DATA.get(part.kind, "unknown box")
        elif child.kind not in _TRACK_CHILDREN:
            yield _USER_DATA.get(child.kind, "unknown box")


def drop_user_data(path: Path) -> None:
    """Remove the ``udta``, ``meta`` and ``uuid`` boxes of a movie and of its tracks (ffmpeg's
    mp4 muxer writes an empty item list there). Only a movie header after all media data is
    rewritten: moving anything before the media would shift the offsets of every sample."""
    with path.open("r+b") as stream:
        top = list(boxes(stream, 0, path.stat().st_size))
        movies = [box for box in top if box.kind == b"moov"]
        if len(movies) != 1 or any(
            box.start > movies[0].start for box in top if box.kind == b"mdat"
        ):
            return
        moov = movies[0]
        if moov.size > _MOVIE_HEADER_LIMIT:
            raise NotStripped("the video's header is too large")
        children = []
        for child in boxes(stream, moov.content, moov.end):
            if child.kind in _USER_DATA:
                continue
            if child.kind == b"trak":
                parts = [
                    _box_bytes(stream, part)
                    for part in boxes(stream, child.content, child.end)
                    if part.kind not in _USER_DATA
                ]
                children.append(_wrap(b"trak", b"".join(parts)))
            else:
                children.append(_box_bytes(stream, child))
        stream.seek(moov.start)
        stream.write(_wrap(b"moov", b"".join(children)))
        stream.truncate()


def _box_bytes(stream: BinaryIO, box: Box) -> bytes:
    stream.seek(box.start)
    return stream.read(box.size)


def _wrap(kind: bytes, content: bytes) -> bytes:
    return (len(content) + 8).to_bytes(4, "big") + kind + content


# -- HEIF pictures ------------------------------------------------------------------------------

_HEIF_TOP = {b"ftyp", b"meta", b"mdat", b"free", b"skip"}
_HEIF_META_CHILDREN = {b"hdlr", b"pitm", b"iloc", b"iinf", b"iref", b"iprp", b"idat", b"dinf"}
_METADATA_ITEMS = {b"Exif": "EXIF", b"mime": "XMP", b"uri ": "item metadata"}


def heif_carriers(path: Path) -> list[str]:
    """Labels of metadata items (EXIF, XMP) with content left in a HEIF picture, and of boxes
    a HEIF picture does not need."""
    found: list[str] = []
    try:
        with path.open("rb") as stream:
            top = list(boxes(stream, 0, path.stat().st_size))
            found += [
                f"{box.kind.decode('latin-1')} box" for box in top if box.kind not in _HEIF_TOP
            ]
            metas = [box for box in top if box.kind == b"meta"]
            if len(metas) != 1:
                return [*found, "damaged HEIF structure"]
            children = list(boxes(stream, metas[0].content + 4, metas[0].end))  # a full box
            found += [
                f"{box.kind.decode('latin-1')} box"
                for box in children
                if box.kind not in _HEIF_META_CHILDREN
            ]
            types = _item_types(stream, next(b for b in children if b.kind == b"iinf"))
            lengths = _item_lengths(stream, next(b for b in children if b.kind == b"iloc"))
    except (ValueError, StopIteration, IndexError):
        return [*found, "damaged HEIF structure"]
    for item, kind in types.items():
        label = _METADATA_ITEMS.get(kind)
        if label is not None and lengths.get(item, 0) > 0 and label not in found:
            found.append(label)
    return found


def _number(data: bytes, position: int, width: int) -> tuple[int, int]:
    if position + width > len(data):
        raise ValueError("damaged HEIF structure")
    return int.from_bytes(data[position : position + width], "big"), position + width


def _item_types(stream: BinaryIO, iinf: Box) -> dict[int, bytes]:
    """Item id -> item type (``hvc1``, ``Exif``, ``mime``...), from the item information."""
    head = _read(stream, iinf, size=8)
    first = iinf.content + (6 if head[:1] == b"\x00" else 8)  # version, flags, entry count
    types: dict[int, bytes] = {}
    for infe in boxes(stream, first, iinf.end):
        data = _read(stream, infe, size=16)
        if infe.kind != b"infe":
            raise ValueError("damaged HEIF structure")
        if data[:1] < b"\x02":  # an entry of the old kind: a MIME type, treated as metadata
            types[_number(data, 4, 2)[0]] = b"uri "
            continue
        width = 2 if data[:1] == b"\x02" else 4
        item, position = _number(data, 4, width)
        types[item] = data[position + 2 : position + 6]
    return types


def _item_lengths(stream: BinaryIO, iloc: Box) -> dict[int, int]:
    """Item id -> the number of bytes its extents hold, from the item locations."""
    stream.seek(iloc.content)
    data = stream.read(iloc.end - iloc.content)
    version = data[0]
    offset_size, length_size = data[4] >> 4, data[4] & 15
    base_size, index_size = data[5] >> 4, (data[5] & 15 if version in (1, 2) else 0)
    count, position = _number(data, 6, 2 if version < 2 else 4)
    lengths: dict[int, int] = {}
    for _ in range(count):
        item, position = _number(data, position, 2 if version < 2 else 4)
        position += (2 if version in (1, 2) else 0) + 2 + base_size  # method, reference, base
        extents, position = _number(data, position, 2)
        total = 0
        for _ in range(extents):
            position += index_size + offset_size
            length, position = _number(data, position, length_size)
            total += length
        lengths[item] = total
    return lengths
