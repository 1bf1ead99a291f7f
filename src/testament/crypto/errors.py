"""Errors of ``testament.crypto`` (the tree is drawn in the package docstring)."""

from __future__ import annotations

from testament.core.errors import TestamentError


class CryptoError(TestamentError):
    """Root of the errors raised by ``testament.crypto``."""


class RecipientError(CryptoError):
    """A string that is not an X25519 age recipient (``age1...``)."""


class ItemFormatError(CryptoError):
    """Plaintext that does not follow the ``testament-item/1`` format."""


class DecryptionError(CryptoError):
    """Ciphertext that the given identity cannot open (wrong key, damaged or not age at all)."""
