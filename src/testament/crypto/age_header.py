"""The header of a binary age file, checked for form before the intake keeps a sealed upload.

A browser that runs JavaScript encrypts ("seals") its parts itself; the intake cannot decrypt
them and must not try. It can still refuse what is not an age file at all: without this check
any bytes after the first line would be kept and handed to the desk as if they were ciphertext.
The grammar (age v1, binary):

    age-encryption.org/v1
    -> TYPE ARG...              one or more stanzas; the intake's are X25519 with one argument
    BODY                        base64 lines of 64 characters, the last one shorter (maybe empty)
    --- MAC                     43 characters of base64: the header's 32-byte MAC

then the payload: a 16-byte nonce and at least one 16-byte-tagged STREAM chunk. The MAC and the
payload can only be checked with a key, on the desk.
"""

from __future__ import annotations

import re

from testament.crypto.errors import CryptoError

MAX_HEADER_BYTES = 64 * 1024
MIN_PAYLOAD_BYTES = 16 + 16  # nonce + the tag of the last (possibly empty) chunk
_MAGIC = b"age-encryption.org/v1"
_B64 = rb"[A-Za-z0-9+/]"
_ARGUMENT = re.compile(rb"[\x21-\x7e]+")
_BODY_LINE = re.compile(_B64 + rb"{0,64}")
_MAC_LINE = re.compile(rb"--- " + _B64 + rb"{43}")
_X25519_SHARE = re.compile(_B64 + rb"{43}")


class AgeHeaderError(CryptoError):
    """Bytes that do not begin with a well-formed binary age header."""


def header_length(data: bytes) -> int | None:
    """Length of the header at the start of ``data`` (through the MAC line's newline), or None
    when ``data`` does not contain a whole header yet. Raises AgeHeaderError when it cannot be
    one (wrong first line, a malformed line, longer than ``MAX_HEADER_BYTES``)."""
    if not data.startswith(_MAGIC[: len(data)]):
        raise AgeHeaderError("not an age file (wrong first line)")
    end = data.find(b"\n--- ")
    if end < 0:
        if len(data) > MAX_HEADER_BYTES:
            raise AgeHeaderError("the age header is too long")
        return None
    newline = data.find(b"\n", end + 1)
    if newline < 0:
        return None
    length = newline + 1
    check_header(data[:length])
    return length


def check_header(header: bytes) -> None:
    """Raise AgeHeaderError unless ``header`` (ending with the MAC line) is a well-formed header
    with at least one X25519 stanza."""
    lines = header.split(b"\n")
    if lines[-1] != b"" or lines[0] != _MAGIC:
        raise AgeHeaderError("not an age file (wrong first line)")
    lines = lines[1:-1]
    if not lines or not _MAC_LINE.fullmatch(lines[-1]):
        raise AgeHeaderError("the age header does not end with its MAC line")
    stanzas = 0
    x25519 = 0
    index = 0
    body = lines[:-1]
    while index < len(body):
        parts = body[index].split(b" ")
        if (
            parts[0] != b"->"
            or len(parts) < 2
            or not all(_ARGUMENT.fullmatch(p) for p in parts[1:])
        ):
            raise AgeHeaderError("a stanza of the age header is malformed")
        if parts[1] == b"X25519":
            if len(parts) != 3 or not _X25519_SHARE.fullmatch(parts[2]):
                raise AgeHeaderError("an X25519 stanza of the age header is malformed")
            x25519 += 1
        stanzas += 1
        index += 1
        # body lines: full ones of 64 characters, ended by a shorter one
        while True:
            if index >= len(body) or not _BODY_LINE.fullmatch(body[index]):
                raise AgeHeaderError("a stanza body of the age header is malformed")
            short = len(body[index]) < 64
            index += 1
            if short:
                break
    if x25519 == 0:
        raise AgeHeaderError("the age file is not encrypted to an X25519 recipient")
