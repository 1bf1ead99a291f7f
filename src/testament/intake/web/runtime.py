"""What one running intake holds besides its settings: store, sessions, limits, keys in memory."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pyrage import x25519

from testament.crypto.age import parse_recipients
from testament.crypto.codenames import SourceKeys, derive_source_keys
from testament.intake.settings import IntakeSettings
from testament.intake.store import IntakeStore
from testament.intake.upload import UploadLimits
from testament.intake.web.ratelimit import SlidingWindowLimiter
from testament.intake.web.security import CsrfTokens
from testament.intake.web.sessions import SessionStore


@dataclass
class IntakeRuntime:
    settings: IntakeSettings
    store: IntakeStore
    recipients: tuple[x25519.Recipient, ...]
    sessions: SessionStore
    csrf: CsrfTokens = field(default_factory=CsrfTokens)
    submissions_global: SlidingWindowLimiter = field(init=False)
    submissions_per_source: SlidingWindowLimiter = field(init=False)
    logins_global: SlidingWindowLimiter = field(init=False)
    kdf_slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.submissions_global = SlidingWindowLimiter(s.submissions_per_minute, 60)
        self.submissions_per_source = SlidingWindowLimiter(s.submissions_per_source_per_hour, 3600)
        self.logins_global = SlidingWindowLimiter(s.logins_per_minute, 60)
        self.kdf_slots = threading.BoundedSemaphore(s.max_concurrent_kdf)

    @classmethod
    def build(cls, settings: IntakeSettings) -> IntakeRuntime:
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
            s.max_body_bytes, s.max_parts, s.max_part_header_bytes, s.upload_idle_timeout_seconds
        )

    def derive(self, codename: str) -> SourceKeys:
        """argon2id, at most ``max_concurrent_kdf`` at once (each takes ``kdf_memory_kib``).

        Blocking: call it from a worker thread."""
        with self.kdf_slots:
            return derive_source_keys(codename, self.settings.pepper, self.settings.kdf)
