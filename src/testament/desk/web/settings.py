"""The desk web app's settings: one frozen object, built by ``testament desk serve``.

Every field has a default but the casebook; ``DeskWebSettings.__post_init__`` refuses a value
that makes no sense with a message saying which setting and what to use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from testament.core.errors import SettingsError
from testament.desk.accounts import LockoutPolicy
from testament.desk.client import IntakeClient, read_token
from testament.desk.errors import IntakeConnectionError


@dataclass(frozen=True, slots=True)
class IntakeConnection:
    """The intake a desk server pulls from and replies through (``desk serve --intake``).

    Only paths are kept: the token is read from its file for each exchange (a new token takes
    effect without a restart), and the reviewer's identity is opened with the passphrase typed
    into the Pull form, in memory, for that one pull: neither the passphrase nor the opened key
    is ever stored, so a stopped or seized server holds no usable key.
    """

    #: The intake's address, e.g. ``http://....onion`` (with ``proxy``).
    url: str
    #: The file holding the desk token (``testament intake token``).
    token_file: Path
    #: The reviewer's passphrase-protected identity (``testament desk keygen``).
    identity: Path
    #: The reply addresses' sidecar (``<casebook>.desk.json`` beside an SQLite casebook).
    contacts: Path
    #: A SOCKS5 proxy, ``socks5h://127.0.0.1:9050`` for Tor (required for an onion address).
    #: Not in the repr: a proxy address may carry credentials.
    proxy: str | None = field(default=None, repr=False)
    #: How long a wrong passphrase holds its answer back, on top of the identity's own scrypt
    #: work: guessing from a stolen session stays slow.
    wrong_passphrase_delay_seconds: float = 2.0

    def __post_init__(self) -> None:
        """Check at start-up what can be checked without the passphrase: the address and its
        route, a readable token, an identity file, a folder for the sidecar."""
        try:
            self.client()
        except IntakeConnectionError as error:
            raise SettingsError(f"desk setting intake: {error}") from None
        if not self.identity.is_file():
            raise SettingsError(
                f"desk setting identity: {self.identity} is not a file: give the identity made "
                "by `testament desk keygen` (its passphrase is asked for at each pull)"
            )
        folder = self.contacts.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise SettingsError(
                f"desk setting contacts: {folder} is not a writable folder for {self.contacts.name}"
            )
        if self.wrong_passphrase_delay_seconds < 0:
            raise SettingsError("desk setting wrong_passphrase_delay_seconds must not be negative")

    def client(self) -> IntakeClient:
        """A client for one exchange with the intake, with the token as its file holds it now."""
        return IntakeClient(self.url, read_token(self.token_file), proxy=self.proxy)


@dataclass(frozen=True, slots=True)
class DeskWebSettings:
    """How the desk serves a casebook. Times are in minutes or hours as the names say."""

    #: The casebook: an SQLite file or a ``postgresql://`` URL.
    casebook: str
    #: Where attachments' bytes are (beside an SQLite casebook by default; needed for PostgreSQL).
    evidence_dir: Path | None = None
    #: A session ends after this long without a request...
    session_idle_minutes: int = 30
    #: ...and this long after log-in whatever the activity.
    session_absolute_hours: int = 12
    #: Failed log-ins in a row before an account is locked, and how long the first lock lasts.
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    #: Cookies marked Secure (sent only over HTTPS, and to loopback addresses): turn off only
    #: for a test over plain HTTP on another name.
    secure_cookies: bool = True
    #: Requests whose headers are larger are refused (431).
    max_request_header_bytes: int = 16 * 1024
    #: A connection must send a request's headers within this many seconds.
    request_header_timeout_seconds: int = 30
    #: Open connections beyond this are closed at once.
    max_connections: int = 64
    #: Host names the desk answers to (``*`` for any). ``desk serve`` on a loopback address
    #: allows only loopback names: a page elsewhere that makes its own name resolve to
    #: 127.0.0.1 (DNS rebinding) then reaches nothing, not even the log-in form.
    allowed_hosts: tuple[str, ...] = ("*",)
    #: The intake to pull from and reply through; without it the desk reads and edits only
    #: (the Pull button and the reply form say how to connect one).
    intake: IntakeConnection | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, int) and not isinstance(value, bool) and value < 1:
                raise SettingsError(
                    f"desk setting {item.name} must be a positive number, not {value}"
                )
        if not self.allowed_hosts:
            raise SettingsError("desk setting allowed_hosts needs at least one name (or *)")
        if self.lockout.max_failures < 1 or self.lockout.base_seconds < 1:
            raise SettingsError("desk setting lockout needs max_failures and base_seconds ≥ 1")
