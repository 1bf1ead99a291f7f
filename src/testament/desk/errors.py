"""Errors of ``testament.desk`` (the tree is drawn in the package docstring)."""

from __future__ import annotations

from testament.core.errors import TestamentError


class DeskError(TestamentError):
    """Root of the errors raised by ``testament.desk``."""


class IdentityError(DeskError):
    """An identity file that is missing, unreadable, not protected, or the passphrase is wrong."""


class WrongPassphraseError(IdentityError):
    """The identity file could not be opened with the passphrase given: a wrong passphrase (or a
    file that is not an identity made by ``desk keygen``; age cannot tell the two apart). The
    Pull form counts these as guesses."""


class IntakeConnectionError(DeskError):
    """The intake cannot be reached, or answered something the protocol does not allow."""


class IntakeAuthError(IntakeConnectionError):
    """The intake refused the desk token (HTTP 401): `testament intake token` issues a new one."""


class SubmissionError(DeskError):
    """A submission whose items the identity cannot decrypt, or that are not testament items."""


class UnknownSourceError(DeskError):
    """A source id for which the desk knows no reply address (it was not pulled by this desk)."""


class AccountError(DeskError):
    """A desk account that cannot be made or changed: a name taken or malformed, an unknown
    role or user, a password too easy to guess."""
