"""The intake: the public, source-facing app. It holds public keys and ciphertext, never plaintext.

Its own process, its own settings (``settings.py``), its own small SQLite database and blob folder
(``store.py``). Uploads are encrypted while they stream in (``upload.py``); the Starlette app is
built by ``create_app(settings)`` in ``web/app.py``. Errors::

    TestamentError
    ├── SettingsError (core)            the instance's settings file is missing or invalid
    └── IntakeError                     root of the intake's own errors
        ├── SubmissionRejectedError     an upload that cannot be accepted (malformed, not age)
        │   ├── NothingToSendError      neither a message nor a file was sent
        │   └── LimitExceededError      a size, count or time limit was reached
        ├── RateLimitedError            too many submissions (a source) or log-ins (a browser)
        ├── BusyError                   a capacity bound is reached (uploads, log-ins waiting)
        ├── ListenError                 cannot listen on the address (in use, not this machine's)
        └── UnknownRecordError          a submission, item or source id that does not exist

Domain errors carry no HTTP status; ``web/responses.py`` maps them to generic pages and JSON.
"""

from __future__ import annotations

from testament.intake.errors import (
    BusyError,
    IntakeError,
    LimitExceededError,
    ListenError,
    NothingToSendError,
    RateLimitedError,
    SubmissionRejectedError,
    UnknownRecordError,
)

__all__ = [
    "BusyError",
    "IntakeError",
    "LimitExceededError",
    "ListenError",
    "NothingToSendError",
    "RateLimitedError",
    "SubmissionRejectedError",
    "UnknownRecordError",
]
