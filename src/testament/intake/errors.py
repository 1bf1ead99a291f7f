"""Errors of ``testament.intake`` (the tree is drawn in the package docstring)."""

from __future__ import annotations

from testament.core.errors import TestamentError


class IntakeError(TestamentError):
    """Root of the intake's own errors."""


class SubmissionRejectedError(IntakeError):
    """An upload that cannot be accepted. The message is for logs and tests, never for pages."""


class NothingToSendError(SubmissionRejectedError):
    """A submission with neither a message nor a file (shown to the source, it is harmless)."""


class LimitExceededError(SubmissionRejectedError):
    """A size, count or time limit of an upload was reached."""


class RateLimitedError(IntakeError):
    """Too many submissions (of one source) or log-ins (of one browser) in the current window."""


class BusyError(IntakeError):
    """The intake is at a capacity bound (uploads in flight, log-ins waiting): try again soon."""


class ListenError(IntakeError):
    """The intake cannot listen where it was told: the address is in use, or not this machine's."""


class UnknownRecordError(IntakeError):
    """A submission, item or source id that does not exist (or no longer exists)."""
