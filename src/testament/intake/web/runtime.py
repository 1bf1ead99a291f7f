"""What one running intake holds besides its settings: store, sessions, limits, keys in memory.

The limits throttle whoever makes the requests, never everyone: no counter is global. Log-ins
and new codenames are counted per browser (the anonymous CSRF cookie) and queue for a bounded
number of argon2id slots; a full queue answers "busy" at once and recovers the moment the flood
stops. Submissions are counted per source, and uploads in flight are bounded overall and per
source, each upload running on its own pool of threads so that stalled uploads never hold the
threads that log-ins, pages and the desk API use.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import anyio
from pyrage import x25519

from testament.crypto.age import parse_recipients
from testament.crypto.codenames import SourceKeys, derive_source_keys, typed_forms
from testament.intake.errors import BusyError
from testament.intake.settings import IntakeSettings
from testament.intake.store import IntakeStore
from testament.intake.upload import UploadLimits
from testament.intake.web.ratelimit import SlidingWindowLimiter
from testament.intake.web.security import CsrfTokens
from testament.intake.web.sessions import SessionStore


class UploadSlots:
    """Uploads in flight: at most ``total`` at once and ``per_source`` for one source.

    Used from the event loop only (no lock needed). ``threads`` is the worker-thread pool the
    uploads run on, one thread per admitted upload, apart from anyio's default pool.
    """

    def __init__(self, total: int, per_source: int) -> None:
        self.total = total
        self.per_source = per_source
        self.threads = anyio.CapacityLimiter(total)
        self._active: Counter[str] = Counter()

    @property
    def in_flight(self) -> int:
        return sum(self._active.values())

    def enter(self, source: str) -> None:
        """Admit an upload of ``source`` or raise ``BusyError``."""
        if self.in_flight >= self.total or self._active[source] >= self.per_source:
            raise BusyError("too many uploads in flight")
        self._active[source] += 1

    def leave(self, source: str) -> None:
        self._active[source] -= 1
        if self._active[source] <= 0:
            del self._active[source]


@dataclass
class IntakeRuntime:
    settings: IntakeSettings
    store: IntakeStore
    recipients: tuple[x25519.Recipient, ...]
    sessions: SessionStore
    csrf: CsrfTokens = field(default_factory=CsrfTokens)
    submissions_per_source: SlidingWindowLimiter = field(init=False)
    logins_per_browser: SlidingWindowLimiter = field(init=False)
    uploads: UploadSlots = field(init=False)
    kdf_slots: threading.BoundedSemaphore = field(init=False)
    _kdf_waiting: int = field(init=False, default=0)
    _kdf_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        s = self.settings
        self.submissions_per_source = SlidingWindowLimiter(s.submissions_per_source_per_hour, 3600)
        self.logins_per_browser = SlidingWindowLimiter(s.logins_per_browser_per_minute, 60)
        self.uploads = UploadSlots(s.max_uploads_in_flight, s.max_uploads_per_source)
        self.kdf_slots = threading.BoundedSemaphore(s.max_concurrent_kdf)

    @classmethod
    def build(cls, settings: IntakeSettings) -> IntakeRuntime:
        typed_forms()  # load the log-in's table of word forms now, not on a source's first log-in
        return cls(
            settings=settings,
            store=IntakeStore(settings.folder),
            recipients=parse_recipients(settings.recipients),
            sessions=SessionStore(settings.session_minutes * 60),
        )

    @property
    def upload_limits(self) -> UploadLimits:
        s = self.settings
        return UploadLimits(
            s.max_body_bytes,
            s.max_parts,
            s.max_part_header_bytes,
            s.upload_idle_timeout_seconds,
            min_bytes_per_second=s.upload_min_bytes_per_second,
            rate_grace_seconds=s.upload_rate_grace_seconds,
        )

    def derive(self, codename: str) -> SourceKeys:
        """argon2id, at most ``max_concurrent_kdf`` at once (each takes ``kdf_memory_kib``).

        At most ``max_kdf_waiting`` callers wait for a slot; beyond that ``BusyError`` at once,
        so a flood of log-ins cannot pile up work or memory. Blocking: call it from a worker
        thread.
        """
        with self._kdf_lock:
            if self._kdf_waiting >= self.settings.max_kdf_waiting:
                raise BusyError("too many log-ins waiting")
            self._kdf_waiting += 1
        try:
            with self.kdf_slots:
                return derive_source_keys(codename, self.settings.pepper, self.settings.kdf)
        finally:
            with self._kdf_lock:
                self._kdf_waiting -= 1
