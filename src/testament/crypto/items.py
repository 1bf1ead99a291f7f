"""The plaintext format inside every age ciphertext an intake item produces: ``testament-item/2``.

Shared by the intake (which writes it while streaming a no-JavaScript upload), the browser
(``seal.js``, which writes it before sealing), the desk (which reads it after decrypting, and
writes replies in it) and the source page (which reads replies)::

    testament-item/2\n
    {"kind":"file","filename":"photo.jpg","content_type":"image/jpeg"}\n
    <the body in chunks: a 4-byte big-endian length (1 .. 16 MiB), then that many bytes>
    <an end mark: a 4-byte zero length>
    <padding: zero bytes, up to padded_length(everything before it)>

The file name and content type travel inside the ciphertext, so the intake never stores them.

Why padding: age's ciphertext is its plaintext's length plus a small fixed overhead, so without
padding whoever holds the intake's disk (or a copy of it) knows each testimony's exact size, and
an exact size identifies a known photo or document. Items are padded to Padmé lengths (Nikitin et
al., "Reducing Metadata Leakage from Encrypted Files and Communication with PURBs", PETS 2019):
a length then reveals only O(log log L) bits instead of log L, for at most 3% more bytes above
64 KiB (1/64 at 4 GiB). Items shorter than 64 KiB are all padded to 64 KiB, which hides the
length of almost every typed message. The body is framed in chunks so that a writer that does
not know the length in advance (the intake encrypting an upload as it streams in) can still end
the body and pad after it.

The reader also accepts ``testament-item/1`` (the header, then the raw body, no padding): items
sealed before padding existed may still wait on an intake.
"""

from __future__ import annotations

import io
import json
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal, cast

from testament.crypto.errors import ItemFormatError

MAGIC = b"testament-item/2\n"
MAGIC_UNPADDED = b"testament-item/1\n"
MAGICS = (MAGIC, MAGIC_UNPADDED)
MAX_CHUNK_BYTES = 16 * 1024 * 1024
MIN_PADDED_BYTES = 64 * 1024
_LENGTH = struct.Struct(">I")
_END_MARK = _LENGTH.pack(0)
_ZEROS = bytes(1024 * 1024)
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


def padded_length(length: int) -> int:
    """The length an item of ``length`` unpadded bytes is padded to (Padmé, at least 64 KiB).

    Padmé keeps the top ``floor(log2 E) + 1`` bits of a length whose highest bit is ``E`` and
    rounds the rest up: 1,000,000 bytes become 1,015,808 (1.6% more).
    """
    if length <= MIN_PADDED_BYTES:
        return MIN_PADDED_BYTES
    exponent = length.bit_length() - 1
    dropped_bits = exponent - exponent.bit_length()
    mask = (1 << dropped_bits) - 1
    return (length + mask) & ~mask


class ItemWriter:
    """The bytes of one ``testament-item/2`` item, piece by piece, for a writer that streams.

    ``header()`` first, then ``body(data)`` for each piece of the body as it comes, then
    ``finish()``; every call returns the pieces to write, in order. The writer counts what it
    produced, so ``finish`` knows how much padding the item needs.
    """

    def __init__(self, kind: ItemKind, filename: str | None, content_type: str) -> None:
        self._header = encode_item_header(kind, filename, content_type)
        self._written = 0
        self._finished = False

    def header(self) -> bytes:
        """The magic line and the header line."""
        self._written += len(self._header)
        return self._header

    def body(self, data: bytes | memoryview) -> Iterator[bytes | memoryview]:
        """``data`` framed as chunks (nothing for empty data: a zero length is the end mark)."""
        if self._finished:
            raise ItemFormatError("the item is already finished")
        view = memoryview(data).cast("B")
        for start in range(0, len(view), MAX_CHUNK_BYTES):
            piece = view[start : start + MAX_CHUNK_BYTES]
            self._written += _LENGTH.size + len(piece)
            yield _LENGTH.pack(len(piece))
            yield piece

    def finish(self) -> Iterator[bytes | memoryview]:
        """The end mark and the padding (in pieces of at most 1 MiB)."""
        if self._finished:
            raise ItemFormatError("the item is already finished")
        self._finished = True
        self._written += len(_END_MARK)
        yield _END_MARK
        padding = padded_length(self._written) - self._written
        zeros = memoryview(_ZEROS)
        while padding > 0:
            piece = zeros[: min(padding, len(_ZEROS))]
            padding -= len(piece)
            yield piece


def encode_item(kind: ItemKind, filename: str | None, content_type: str, body: bytes) -> bytes:
    """A whole ``testament-item/2`` item in memory (a message, a reply, a test's item)."""
    writer = ItemWriter(kind, filename, content_type)
    return b"".join([writer.header(), *writer.body(body), *writer.finish()])


class _Unframed(io.RawIOBase):
    """The body of a ``testament-item/2`` item read from its chunks; checks the end and padding.

    ``consumed`` is how many bytes of the item came before ``stream`` (magic and header line).
    The end of the body is only reported once the padding has been read and found to be zero
    bytes of exactly the right length, so a reader that reads to the end has checked the item.
    """

    def __init__(self, stream: io.BufferedReader[_Prepended], consumed: int) -> None:
        self._stream = stream
        self._consumed = consumed
        self._left_in_chunk = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _exactly(self, n: int) -> bytes:
        data = self._stream.read(n)
        if len(data) != n:
            raise ItemFormatError("the item ends inside its body (no end mark)")
        self._consumed += n
        return data

    def _check_padding(self) -> None:
        unpadded = self._consumed
        padding = 0
        while chunk := self._stream.read(len(_ZEROS)):
            if chunk.count(0) != len(chunk):
                raise ItemFormatError("the item's padding is not zero bytes")
            padding += len(chunk)
            if unpadded + padding > padded_length(unpadded):
                raise ItemFormatError("the item's padding is longer than its length needs")
        if unpadded + padding != padded_length(unpadded):
            raise ItemFormatError("the item's padding is shorter than its length needs")

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        while self._left_in_chunk == 0:
            if self._done or not view:
                return 0
            (length,) = _LENGTH.unpack(self._exactly(_LENGTH.size))
            if length == 0:
                self._done = True
                self._check_padding()
                return 0
            if length > MAX_CHUNK_BYTES:
                raise ItemFormatError(f"an item chunk of {length} bytes (at most 16 MiB)")
            self._left_in_chunk = length
        n = self._stream.readinto(view[: min(len(view), self._left_in_chunk)])
        if not n:
            raise ItemFormatError("the item ends inside a chunk of its body")
        self._left_in_chunk -= n
        self._consumed += n
        return n


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
    if magic not in MAGICS:
        raise ItemFormatError("not a testament item (the first line is not testament-item/2)")
    buffered = b""
    while b"\n" not in buffered:
        if len(buffered) > MAX_HEADER_BYTES:
            raise ItemFormatError("item header line is too long")
        chunk = stream.read(4096)
        if not chunk:
            raise ItemFormatError("item ends inside its header line")
        buffered += chunk
    line, _, rest = buffered.partition(b"\n")
    header = _parse_header(line)
    after_header = io.BufferedReader(_Prepended(rest, stream))
    if magic == MAGIC_UNPADDED:
        return header, cast("BinaryIO", after_header)
    body = _Unframed(after_header, consumed=len(MAGIC) + len(line) + 1)
    return header, cast("BinaryIO", io.BufferedReader(body))
