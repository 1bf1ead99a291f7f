"""Read a picture's structure again, to check that a working copy carries no metadata.

What a stripper reports is only believed after the copy has been read back by a reader that did
not write it: these walk the segments of a JPEG, the chunks of a PNG or WebP and the blocks of a
GIF without decoding a pixel, in bounded memory, and list every part that is not needed to show
the picture. The lists are allow-lists: a part nobody here knows is reported too, because an
unknown part can hold anything. TIFF tags are read with Pillow (headers only).

Also used before stripping, to count a GIF's frames without decoding them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from PIL import Image

_CHUNK = 1 << 20

# -- JPEG ---------------------------------------------------------------------------------------

_SOI, _EOI, _SOS, _COM = 0xD8, 0xD9, 0xDA, 0xFE
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: no length
# Tables, frame and scan headers: what a decoder needs.
_JPEG_STRUCTURE = {
    0xC4, 0xCC, 0xDB, 0xDD, 0xDC,  # DHT, DAC, DQT, DRI, DNL
    *range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0),  # SOFn
}  # fmt: skip
_APP_LABELS = {
    (0xE1, b"Exif\x00"): "EXIF",
    (0xE1, b"http://ns.adobe.com/xap"): "XMP",
    (0xE1, b"http://ns.adobe.com/xmp"): "XMP",
    (0xE2, b"ICC_PROFILE"): "ICC profile",
    (0xE2, b"MPF"): "multi-picture index",
    (0xED, b"Photoshop"): "IPTC",
}


_NOT_A_MARKER = {0x00, 0xFF, *range(0xD0, 0xD8)}  # stuffed byte, fill byte, restart markers


class _Reader:
    """A file read forwards in chunks, so that a large picture is walked in bounded memory."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = b""
        self._position = 0

    def _more(self) -> bool:
        """Read another chunk; False at the end of the file."""
        chunk = self._stream.read(_CHUNK)
        if not chunk:
            return False
        self._buffer = self._buffer[self._position :] + chunk
        self._position = 0
        return True

    def read(self, size: int) -> bytes:
        while len(self._buffer) - self._position < size and self._more():
            pass
        data = self._buffer[self._position : self._position + size]
        self._position += len(data)
        return data

    def skip_to_marker(self) -> bool:
        """Move past entropy-coded data to the next marker; False at the end of the file."""
        while True:
            index = self._buffer.find(b"\xff", self._position)
            while index != -1 and index + 1 < len(self._buffer):
                if self._buffer[index + 1] not in _NOT_A_MARKER:
                    self._position = index
                    return True
                index = self._buffer.find(b"\xff", index + 1)
            self._position = index if index != -1 else len(self._buffer)  # keep a last 0xFF
            if not self._more():
                return False

    def at_end(self) -> bool:
        return self._position >= len(self._buffer) and not self._more()


def jpeg_carriers(path: Path) -> list[str]:
    """Labels of the segments of a JPEG that are not needed to show it, and of anything after
    its end (a second picture, a phone maker's trailer)."""
    found: list[str] = []
    with path.open("rb") as stream:
        reader = _Reader(stream)
        if reader.read(2) != b"\xff\xd8":
            return ["not a JPEG"]
        while True:
            if reader.read(1) != b"\xff":
                return [*found, "damaged JPEG structure"]
            marker = reader.read(1)
            while marker == b"\xff":  # fill bytes
                marker = reader.read(1)
            if not marker:
                return [*found, "damaged JPEG structure"]
            code = marker[0]
            if code == _EOI:
                return found if reader.at_end() else [*found, "data after the picture"]
            if code in _STANDALONE:
                continue
            length = int.from_bytes(reader.read(2), "big")
            payload = reader.read(max(length - 2, 0))
            if len(payload) != max(length - 2, 0):
                return [*found, "damaged JPEG structure"]
            label = _jpeg_segment_label(code, payload)
            if label is not None and label not in found:
                found.append(label)
            if code == _SOS and not reader.skip_to_marker():
                return [*found, "damaged JPEG structure"]


def _jpeg_segment_label(code: int, payload: bytes) -> str | None:
    if code in _JPEG_STRUCTURE or code == _SOS:
        return None
    if code == 0xE0 and payload.startswith(b"JFIF\x00") and payload[12:14] == b"\x00\x00":
        return None  # JFIF without a thumbnail
    if code == 0xEE and payload.startswith(b"Adobe"):
        return None  # colour transform of CMYK pictures
    if code == _COM:
        return "comment"
    for (app, prefix), label in _APP_LABELS.items():
        if code == app and payload.startswith(prefix):
            return label
    if 0xE0 <= code <= 0xEF:
        return f"APP{code - 0xE0} segment"
    return "unknown JPEG segment"


# -- PNG ----------------------------------------------------------------------------------------

_PNG_STRUCTURE = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_PNG_LABELS = {
    b"tEXt": "PNG text", b"zTXt": "PNG text", b"iTXt": "PNG text", b"eXIf": "EXIF",
    b"iCCP": "ICC profile", b"tIME": "PNG time",
}  # fmt: skip


def png_carriers(path: Path) -> list[str]:
    found: list[str] = []
    with path.open("rb") as stream:
        if stream.read(8) != b"\x89PNG\r\n\x1a\n":
            return ["not a PNG"]
        while header := stream.read(8):
            if len(header) < 8:
                return [*found, "damaged PNG structure"]
            length, kind = int.from_bytes(header[:4], "big"), header[4:]
            if kind not in _PNG_STRUCTURE:
                label = _PNG_LABELS.get(kind, "unknown PNG chunk")
                if label not in found:
                    found.append(label)
            stream.seek(length + 4, 1)  # data and CRC
            if kind == b"IEND":
                return found if not stream.read(1) else [*found, "data after the picture"]
    return [*found, "damaged PNG structure"]


# -- WebP ---------------------------------------------------------------------------------------

WEBP_STRUCTURE = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
WEBP_LABELS = {b"EXIF": "EXIF", b"XMP ": "XMP", b"ICCP": "ICC profile"}
VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04  # ICC profile, EXIF, XMP present


def webp_chunks(stream: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """The chunks of a WebP file: (fourcc, offset of the data, size of the data)."""
    stream.seek(12)
    while header := stream.read(8):
        if len(header) < 8:
            raise ValueError("damaged WebP structure")
        size = int.from_bytes(header[4:], "little")
        offset = stream.tell()
        yield header[:4], offset, size
        stream.seek(offset + size + (size & 1))


def webp_carriers(path: Path) -> list[str]:
    found: list[str] = []
    with path.open("rb") as stream:
        try:
            for kind, offset, size in webp_chunks(stream):
                if kind == b"VP8X":
                    position = stream.tell()
                    stream.seek(offset)
                    flags = stream.read(1)
                    stream.seek(position)
                    if size < 10 or flags[0] & VP8X_METADATA_FLAGS:
                        found.append("WebP metadata flags")
                elif kind not in WEBP_STRUCTURE:
                    label = WEBP_LABELS.get(kind, "unknown WebP chunk")
                    if label not in found:
                        found.append(label)
        except (ValueError, IndexError):
            found.append("damaged WebP structure")
    return found


# -- GIF ----------------------------------------------------------------------------------------

_GIF_LOOPS = {b"NETSCAPE2.0", b"ANIMEXTS1.0"}


def _skip_sub_blocks(stream: BinaryIO) -> None:
    while size := stream.read(1):
        if size == b"\x00":
            return
        stream.seek(size[0], 1)
    raise ValueError("damaged GIF structure")


def gif_structure(path: Path) -> tuple[int, list[str]]:
    """The number of frames of a GIF, and labels of its blocks not needed to show it."""
    found: list[str] = []
    frames = 0
    with path.open("rb") as stream:
        header = stream.read(13)
        if len(header) < 13 or header[:6] not in (b"GIF87a", b"GIF89a"):
            return 0, ["not a GIF"]
        if header[10] & 0x80:
            stream.seek(3 << ((header[10] & 7) + 1), 1)  # global colour table
        try:
            while (introducer := stream.read(1)) != b"\x3b":
                if introducer == b"\x2c":  # a frame
                    descriptor = stream.read(9)
                    if len(descriptor) < 9:
                        raise ValueError("damaged GIF structure")
                    if descriptor[8] & 0x80:
                        stream.seek(3 << ((descriptor[8] & 7) + 1), 1)
                    stream.read(1)  # LZW code size
                    _skip_sub_blocks(stream)
                    frames += 1
                elif introducer == b"\x21":
                    label = _gif_extension_label(stream)
                    if label is not None and label not in found:
                        found.append(label)
                else:
                    raise ValueError("damaged GIF structure")
        except ValueError:
            return frames, [*found, "damaged GIF structure"]
        if stream.read(1):
            found.append("data after the picture")
    return frames, found


def _gif_extension_label(stream: BinaryIO) -> str | None:
    kind = stream.read(1)
    if kind in (b"\xf9", b"\x01"):  # graphic control, plain text (drawn on the picture)
        _skip_sub_blocks(stream)
        return None
    if kind == b"\xfe":
        _skip_sub_blocks(stream)
        return "comment"
    if kind == b"\xff":
        size = stream.read(1)
        identifier = stream.read(size[0] if size else 0)
        _skip_sub_blocks(stream)
        if identifier in _GIF_LOOPS:
            return None
        return "XMP" if identifier.startswith(b"XMP Data") else "GIF application data"
    _skip_sub_blocks(stream)
    return "unknown GIF extension"


# -- TIFF ---------------------------------------------------------------------------------------

# Tags that say how to lay out and colour the pixels of a page, nothing about who or where.
_TIFF_STRUCTURE = {
    254, 255, 256, 257, 258, 259, 262, 263, 266, 273, 274, 277, 278, 279, 280, 281, 282, 283,
    284, 290, 291, 296, 297, 317, 318, 319, 320, 322, 323, 324, 325, 338, 339, 340, 341, 347,
    529, 530, 531, 532,
}  # fmt: skip
_TIFF_LABELS = {34665: "EXIF", 34853: "EXIF GPS", 700: "XMP", 33723: "IPTC", 34675: "ICC profile"}


@contextmanager
def headers_only() -> Iterator[None]:
    """Let Pillow read the headers of a picture of any size: nothing is decoded inside (a size
    above Pillow's decompression-bomb threshold only means the pixels are not decoded)."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # odd EXIF and the like: only headers are read
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def tiff_carriers(path: Path) -> list[str]:
    found: list[str] = []
    with headers_only(), Image.open(path) as image:
        for page in range(getattr(image, "n_frames", 1)):
            image.seek(page)
            for tag in getattr(image, "tag_v2", {}):
                if tag not in _TIFF_STRUCTURE:
                    label = _TIFF_LABELS.get(tag, "TIFF descriptive tags")
                    if label not in found:
                        found.append(label)
    return found


def carriers(path: Path, kind: str) -> list[str]:
    """Labels of what ``path`` (a picture of ``kind``) carries beyond its pixels."""
    if kind == "JPEG":
        return jpeg_carriers(path)
    if kind == "PNG":
        return png_carriers(path)
    if kind == "WEBP":
        return webp_carriers(path)
    if kind == "GIF":
        return gif_structure(path)[1]
    if kind == "TIFF":
        return tiff_carriers(path)
    return [f"no reader for {kind}"]
