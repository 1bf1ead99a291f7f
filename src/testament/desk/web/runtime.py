"""What the desk's handlers share: settings, the open casebook, sessions, CSRF keys, the clock,
the Pull button's runner and the reply forms already used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request

from testament.desk.web.guesses import PassphraseGuesses
from testament.desk.web.once import OnceTokens
from testament.desk.web.pull_job import PullRunner
from testament.desk.web.sessions import SessionStore
from testament.desk.web.settings import DeskWebSettings
from testament.store import Casebook
from testament.web.cookies import CsrfTokens

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DeskRuntime:
    settings: DeskWebSettings
    casebook: Casebook
    sessions: SessionStore
    csrf: CsrfTokens
    clock: Clock
    pulls: PullRunner
    reply_forms: OnceTokens
    passphrase_guesses: PassphraseGuesses

    @classmethod
    def open(cls, settings: DeskWebSettings, clock: Clock) -> DeskRuntime:
        casebook = Casebook.open(settings.casebook, evidence_dir=settings.evidence_dir)
        sessions = SessionStore(
            casebook.engine, settings.session_idle_minutes, settings.session_absolute_hours
        )
        return cls(
            settings,
            casebook,
            sessions,
            CsrfTokens(),
            clock,
            PullRunner(clock),
            OnceTokens(),
            PassphraseGuesses(settings.lockout),
        )

    def now(self) -> datetime:
        return self.clock()


def runtime_of(request: Request) -> DeskRuntime:
    runtime: DeskRuntime = request.app.state.runtime
    return runtime
