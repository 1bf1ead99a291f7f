"""The desk: the reviewer side, where intake ciphertext becomes casebook sources.

It holds the private keys the intake never sees. ``keygen`` makes a reviewer's passphrase-protected
age identity; ``pull`` downloads new submissions from the intake, decrypts them here, strips
metadata from working copies of attachments (``strip``) and stores everything in the casebook
before acknowledging; ``reply`` encrypts an answer to a source's own recipient. The reply
addresses the pull learns (the intake's opaque source handle and the source's recipient) are kept
in a sidecar file beside the casebook (``contacts``). Errors::

    TestamentError
    └── DeskError                       root of the desk's errors
        ├── IdentityError               an identity file missing, unreadable or not protected
        │   └── WrongPassphraseError    the passphrase does not open it
        ├── IntakeConnectionError       the intake cannot be reached or answered unexpectedly
        │   └── IntakeAuthError         the intake refused the desk token (HTTP 401)
        ├── SubmissionError             a submission that cannot be decrypted or read
        ├── UnknownSourceError          a source id the desk has no reply address for
        └── AccountError                a desk account that cannot be made or changed

The web workspace (``testament desk serve``) is ``desk.web``; its accounts are ``accounts``, the
one confidentiality rule every page applies is ``access``, and the inbox's queries are ``inbox``.
"""

from __future__ import annotations

from testament.desk.errors import (
    AccountError,
    DeskError,
    IdentityError,
    IntakeAuthError,
    IntakeConnectionError,
    SubmissionError,
    UnknownSourceError,
    WrongPassphraseError,
)

__all__ = [
    "AccountError",
    "DeskError",
    "IdentityError",
    "IntakeAuthError",
    "IntakeConnectionError",
    "SubmissionError",
    "UnknownSourceError",
    "WrongPassphraseError",
]
