"""The desk web app's settings: one frozen object, built by ``testament desk serve``.

Every field has a default but the casebook; ``DeskWebSettings.__post_init__`` refuses a value
that makes no sense with a message saying which setting and what to use.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from testament.core.errors import SettingsError
from testament.desk.accounts import LockoutPolicy


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
