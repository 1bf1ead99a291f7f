"""Rate limits that identify nobody: sliding windows keyed by an anonymous cookie or a lookup id.

No IP address is ever used (sources share Tor exits, and the intake must not know addresses).
Counters live in memory only; a restart forgets them.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window_seconds`` for each key."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an event for ``key`` and say whether it is within the limit."""
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > 100_000:  # forget idle keys rather than grow without bound
                for idle in [k for k, v in self._events.items() if not v]:
                    del self._events[idle]
            return True
