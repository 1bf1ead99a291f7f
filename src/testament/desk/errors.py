"""Errors of ``testament.desk``.

TestamentError
└── DeskError                       root of the desk's errors
    ├── IdentityError               an identity file missing, unreadable or the wrong passphrase
    ├── IntakeConnectionError       the intake cannot be reached or answered unexpectedly
    │   └── IntakeAuthError         the intake refused the desk token (HTTP 401)
    ├── SubmissionError             a submission that cannot be decrypted or read
    └── UnknownSourceError          a source id the desk has no reply address for
"""

from __future__ import annotations

from testament.core.errors import TestamentError


class DeskError(TestamentError):
    """Root of the errors raised by ``testament.desk``."""


class IdentityError(DeskError):
    """An identity file that is missing, unreadable, not protected, or the passphrase is wrong."""


class IntakeConnectionError(DeskError):
    """The intake cannot be reached, or answered something the protocol does not allow."""


class IntakeAuthError(IntakeConnectionError):
    """The intake refused the desk token (HTTP 401): `testament intake token` issues a new one."""


class SubmissionError(DeskError):
    """A submission whose items the identity cannot decrypt, or that are not testament items."""


class UnknownSourceError(DeskError):
    """A source id for which the desk knows no reply address (it was not pulled by this desk)."""
