"""The only place in testament that touches keys: age via pyrage, codenames and their argon2id KDF.

Recipe-level APIs only (pyrage, argon2-cffi, ``secrets``): no nonces, modes or algorithms are
chosen here. Errors::

    TestamentError
    └── CryptoError                 root of this package's errors
        ├── RecipientError          a string that is not an X25519 age recipient (age1...)
        ├── ItemFormatError         plaintext that does not follow the testament-item format
        └── DecryptionError         ciphertext that the given identity cannot open
"""

from __future__ import annotations

from testament.crypto.errors import CryptoError, DecryptionError, ItemFormatError, RecipientError

__all__ = ["CryptoError", "DecryptionError", "ItemFormatError", "RecipientError"]
