"""Wrong passphrases typed into the Pull form, counted per desk, in memory.

The identity behind the Pull form is one file, whoever types: so the desk, not the account,
counts wrong passphrases in a row. After the desk's lockout policy's number of them (the one its
log-in uses), the form refuses to try for a while, doubling with each further wrong one; a right
passphrase resets the count. With scrypt's second per guess and the delay after each, this keeps
a stolen session (or a colleague's unlocked screen) from guessing its way to the key. A restart
forgets the count: starting the server is not something a stolen session can do.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from testament.desk.accounts import LockoutPolicy


class PassphraseGuesses:
    def __init__(self, policy: LockoutPolicy) -> None:
        self._policy = policy
        self._lock = threading.Lock()
        self._failures = 0
        self._until: datetime | None = None

    def locked_until(self, now: datetime) -> datetime | None:
        """When the form may be tried again, if it is locked at ``now``."""
        with self._lock:
            return self._until if self._until is not None and self._until > now else None

    def failed(self, now: datetime) -> None:
        with self._lock:
            self._failures += 1
            seconds = self._policy.lock_seconds(self._failures)
            if seconds:
                self._until = now + timedelta(seconds=seconds)

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._until = None
