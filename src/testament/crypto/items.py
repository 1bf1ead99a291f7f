"""The plaintext format inside every age ciphertext an intake item produces: ``testament-item/1``.

Shared by the intake (which writes it while streaming a no-JavaScript upload), the browser
(which writes it before sealing) and the desk (which reads it after decrypting)::

    testament-item/1\\n
    {"kind":"file","filename":"photo.jpg","content_type":"image/jpeg"}\\n
    <raw bytes of the item: the file, or the message as UTF-8>

The file name and content type travel inside the ciphertext, so the intake never stores them.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Literal, cast

from testament.crypto.errors import ItemFormatError

MAGIC = b"testament-item/1\n"
MAX_HEADER_BYTES = 16 * 1024
MAX_FILENAME_CHARS = 200
MESSAGE_CONTENT_TYPE = "text/plain; charset=utf-8"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
ItemKind = Literal["message", "file"]
KINDS: tuple[ItemKind, ...] = ("message", "file")
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(;[ -~]*)?")


@dataclass(frozen=True, slots=True)
class ItemHeader:
    """What an item is: a message or a file, its original name and its content type."""

    kind: ItemKind
    filename: str | None
    content_type: str


def safe_filename(name: str) -> str:
    """A file name that is safe to show and to save: no directories, no control characters.

    Browsers send the bare name, but a hostile client may send ``../../etc/passwd`` or a NUL.
    Keeps only the last path component, drops control and format characters (NUL, bidi
    overrides), strips leading dots so nothing becomes hidden, and caps the length.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return name[:MAX_FILENAME_CHARS] or "unnamed"


def safe_content_type(value: str | None) -> str:
    """``value`` if it looks like a MIME type (``type/subtype; params``), else the generic one."""
    if value and len(value) <= 200 and _CONTENT_TYPE.fullmatch(value.strip()):
        return value.strip()
    return DEFAULT_CONTENT_TYPE


def encode_item_header(kind: ItemKind, filename: str | None, content_type: str) -> bytes:
    """The bytes that precede an item's body: the magic line and one line of compact JSON."""
    if kind not in KINDS:
        raise ItemFormatError(f"item kind must be one of {KINDS}, not {kind!r}")
    if (filename is None) != (kind == "message"):
        raise ItemFormatError("a message has no file name; a file must have one")
    header = {"kind": kind, "filename": filename, "content_type": content_type}
    line = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(line) > MAX_HEADER_BYTES:
        raise ItemFormatError("item header too long (file name or content type)")
    return MAGIC + line + b"\n"


class _Prepended(io.RawIOBase):
    """A readable stream that returns ``head`` first and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._stream.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)


def _parse_header(line: bytes) -> ItemHeader:
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ItemFormatError(f"item header is not UTF-8 JSON: {error}") from None
    if not isinstance(data, dict) or set(data) != {"kind", "filename", "content_type"}:
        raise ItemFormatError("item header must have exactly kind, filename and content_type")
    kind, filename, content_type = data["kind"], data["filename"], data["content_type"]
    if kind not in KINDS:
        raise ItemFormatError(f"item kind must be one of {KINDS}, not {kind!r}")
    if not (filename is None or isinstance(filename, str)) or not isinstance(content_type, str):
        raise ItemFormatError("filename must be a string or null, content_type a string")
    return ItemHeader(cast("ItemKind", kind), filename, content_type)


def read_item(stream: BinaryIO) -> tuple[ItemHeader, BinaryIO]:
    """Read an item's header from ``stream``; return it and a stream of the item's body.

    Reads only as far as the header needs (at most ``MAX_HEADER_BYTES`` past the magic line), so
    a multi-gigabyte item streams through without being held in memory.
    """
    magic = stream.read(len(MAGIC))
    if magic != MAGIC:
        raise ItemFormatError("not a testament item (the first line is not testament-item/1)")
    buffered = b""
    while b"\n" not in buffered:
        if len(buffered) > MAX_HEADER_BYTES:
            raise ItemFormatError("item header line is too long")
        chunk = stream.read(4096)
        if not chunk:
            raise ItemFormatError("item ends inside its header line")
        buffered += chunk
    line, _, rest = buffered.partition(b"\n")
    return _parse_header(line), cast("BinaryIO", io.BufferedReader(_Prepended(rest, stream)))
