"""Errors of record linkage.

    TestamentError                      (testament.core.errors)
    ├── InputError                      (testament.core.errors) input that cannot be accepted
    │   └── RecordsError                a records table that cannot be linked: missing or
    │                                   duplicate ids, no name column, one list only, bad dates,
    │                                   a file that is missing, empty, binary or malformed CSV,
    │                                   a column mapping that does not fit
    └── LinkageError                    root of linkage's own errors
        ├── EngineError                 the engine asked for cannot run here (no Java for Spark)
        └── ReviewError                 the review queue or the decisions file is unusable, or a
                                        pair id names no pair in the queue

Bad input is an ``InputError`` (so every problem is listed with where it is: "RECORDS.csv row 12,
field 'birth': ..."); everything else linkage raises on purpose is a ``LinkageError``.
"""

from __future__ import annotations

from testament.core.errors import InputError, TestamentError


class RecordsError(InputError):
    """A records table that cannot be linked; ``problems`` says what and where."""


class LinkageError(TestamentError):
    """Root of the errors of ``testament.link``."""


class EngineError(LinkageError):
    """The engine asked for cannot run on this machine; the message says what is missing."""


class ReviewError(LinkageError):
    """The review queue or decisions file is unusable, or a pair id is not in the queue."""
