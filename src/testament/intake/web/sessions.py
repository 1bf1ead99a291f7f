"""Log-in sessions of sources: a random cookie value naming an entry held only in memory.

Why in memory and not re-derived per request: re-deriving needs the codename on every request,
which would mean keeping it in the browser (a cookie, a hidden field) — exactly what must not
happen. Why not a signed cookie: the session holds the source's age identity (to read replies),
which must never leave the server's memory. So the cookie carries 256 random bits, and the entry
(lookup id, recipient, identity) expires after ``session_minutes`` or on log-out, and vanishes
with the process: nothing about a session is ever written to disk.

Expired sessions are dropped at every request, so their identities are unreachable within
moments of expiry. What Python cannot do is wipe memory: a dropped identity (inside pyrage, in
Rust) is freed by its destructor, but copies made along the way (the codename as a ``str``,
argon2's output as ``bytes``, decrypted replies while a page is rendered) stay in freed memory
until it is reused. docs/security.md says what follows for the machine the intake runs on.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from pyrage import x25519

from testament.crypto.codenames import SourceKeys

SESSION_COOKIE = "testament_session"


@dataclass(frozen=True, slots=True)
class SourceSession:
    lookup_id: str
    recipient: str
    identity: x25519.Identity = field(repr=False)
    expires: float = 0.0


class SessionStore:
    def __init__(self, lifetime_seconds: float) -> None:
        self._lifetime = lifetime_seconds
        self._sessions: dict[str, SourceSession] = {}
        self._lock = threading.Lock()

    def open(self, keys: SourceKeys) -> str:
        """Start a session for ``keys``; return the cookie value."""
        token = secrets.token_urlsafe(32)
        session = SourceSession(
            keys.lookup_id, keys.recipient, keys.identity, time.monotonic() + self._lifetime
        )
        with self._lock:
            self._forget_expired()
            self._sessions[token] = session
        return token

    def get(self, token: str | None) -> SourceSession | None:
        if not token:
            return None
        with self._lock:
            # every request drops the expired sessions' identities, not only a new log-in
            self._forget_expired()
            session = self._sessions.get(token)
            if session is None:
                return None
            if session.expires <= time.monotonic():
                del self._sessions[token]
                return None
            return session

    def close(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def _forget_expired(self) -> None:
        now = time.monotonic()
        for token in [t for t, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[token]
