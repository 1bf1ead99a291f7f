"""Forms that must act once: a reply form's random token, remembered when it is used.

A browser that reloads the page answering a POST sends the form again (after a warning most
people click through). For a reply that would send the source the same words twice, so each
reply form carries a fresh token and the desk refuses a token it has seen. Tokens are kept in
memory (the most recent ones, bounded): after a restart a reload could send again, which the
list of replies on the page then shows.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

_KEEP = 10_000


class OnceTokens:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: OrderedDict[str, None] = OrderedDict()

    @staticmethod
    def new() -> str:
        return secrets.token_urlsafe(16)

    def use(self, token: str | None) -> bool:
        """Mark ``token`` used; False when it was used already or is not a token at all."""
        if not token or len(token) > 64:
            return False
        with self._lock:
            if token in self._used:
                return False
            self._used[token] = None
            while len(self._used) > _KEEP:
                self._used.popitem(last=False)
        return True

    def forget(self, token: str) -> None:
        """Make ``token`` usable again (its form was refused and is shown again with it)."""
        with self._lock:
            self._used.pop(token, None)
