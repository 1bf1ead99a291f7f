"""age encryption through pyrage: recipients, streaming encryption, decryption in memory.

X25519 recipients only (``age1...``) and the binary format (never armored), as the intake's
protocol fixes. pyrage's ``encrypt_io`` reads its input in small blocks and writes the standard
age STREAM format, so a file of any size is encrypted in bounded memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import BinaryIO

import pyrage
from pyrage import x25519

from testament.crypto.bech32 import Bech32Error
from testament.crypto.bech32 import decode as bech32_decode
from testament.crypto.errors import DecryptionError, RecipientError

AGE_MAGIC = b"age-encryption.org/v1\n"


def parse_recipient(text: str) -> x25519.Recipient:
    """The X25519 recipient written as ``text`` (``age1...``); RecipientError says why not."""
    text = text.strip()
    try:
        hrp, data = bech32_decode(text)
    except Bech32Error as error:
        raise RecipientError(f"{text!r} is not an age recipient ({error})") from None
    if hrp != "age" or len(data) != 32:
        raise RecipientError(f"{text!r} is not an X25519 age recipient (age1..., 32 bytes)")
    try:
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError as error:
        raise RecipientError(f"{text!r} is not an age recipient ({error})") from None


def parse_recipients(texts: Iterable[str]) -> tuple[x25519.Recipient, ...]:
    """Every recipient in ``texts``; at least one is required."""
    recipients = tuple(parse_recipient(text) for text in texts)
    if not recipients:
        raise RecipientError("at least one age recipient is needed")
    return recipients


def encrypt_stream(
    plaintext: BinaryIO | io.RawIOBase,
    ciphertext: BinaryIO,
    recipients: Iterable[x25519.Recipient],
) -> None:
    """Encrypt ``plaintext`` to all ``recipients``, writing binary age to ``ciphertext``."""
    pyrage.encrypt_io(plaintext, ciphertext, list(recipients))


def encrypt_bytes(plaintext: bytes, recipients: Iterable[x25519.Recipient]) -> bytes:
    """Encrypt a small ``plaintext`` in memory (replies, tests)."""
    return bytes(pyrage.encrypt(plaintext, list(recipients)))


def decrypt_bytes(ciphertext: bytes, identities: Iterable[x25519.Identity]) -> bytes:
    """Decrypt ``ciphertext`` in memory; DecryptionError when no identity opens it."""
    try:
        return bytes(pyrage.decrypt(ciphertext, list(identities)))
    except pyrage.DecryptError as error:
        raise DecryptionError(f"cannot decrypt: {error}") from None


def decrypt_stream(
    ciphertext: BinaryIO, plaintext: BinaryIO, identities: Iterable[x25519.Identity]
) -> None:
    """Decrypt ``ciphertext`` into ``plaintext`` in bounded memory.

    A damaged or truncated STREAM is a DecryptionError too (pyrage reports it as an OSError
    without an errno); an OSError with an errno is the system's and stays one.
    """
    try:
        pyrage.decrypt_io(ciphertext, plaintext, list(identities))
    except pyrage.DecryptError as error:
        raise DecryptionError(f"cannot decrypt: {error}") from None
    except OSError as error:
        if error.errno is not None:
            raise
        raise DecryptionError(f"cannot decrypt: {error}") from None
