"""The Pull button's work: one pull at a time per desk, in a background thread.

A pull may take minutes over Tor, longer than a browser waits for an answer, so the button
starts it in a thread and ``GET /inbox/pull`` shows its progress (the page reloads itself with a
``<meta refresh>``, no JavaScript). A second press while a pull runs does not start another:
two pulls of one intake would download the same submissions twice and race on the sidecar.

The opened identity is handed to the thread and dropped when the pull ends; the job keeps only
what the page shows (events, counts, a problem) and never the key or the passphrase.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import structlog
from pyrage import x25519

from testament.core.errors import TestamentError
from testament.desk.contacts import Contacts
from testament.desk.errors import IntakeAuthError, IntakeConnectionError
from testament.desk.pull import PullEvent, PullReport, pull, record_pull
from testament.desk.web.settings import IntakeConnection
from testament.store import Casebook

log = structlog.get_logger("testament.desk")

#: Why a pull stopped before its end: the intake unreachable (or answering oddly), the desk
#: token refused, or something else (the casebook, the sidecar): the detail says what.
ProblemKind = Literal["unreachable", "token", "failed"]


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    detail: str


@dataclass(frozen=True, slots=True)
class PullView:
    """A snapshot of a pull for the page (the job itself keeps changing in its thread)."""

    started_by: str
    started_at: datetime
    finished_at: datetime | None
    events: tuple[PullEvent, ...]
    report: PullReport
    problem: Problem | None

    @property
    def running(self) -> bool:
        return self.finished_at is None


@dataclass
class _Job:
    started_by: str
    started_at: datetime
    events: list[PullEvent] = field(default_factory=list)
    finished_at: datetime | None = None
    problem: Problem | None = None


def report_of(events: tuple[PullEvent, ...] | list[PullEvent]) -> PullReport:
    """The counts of a pull from its events (also of a pull that stopped half-way)."""
    report = PullReport()
    for event in events:
        if event.kind == "stored":
            report.stored.append(event.source_id)
        elif event.kind in ("skipped", "completed"):
            report.skipped.append(event.source_id)
        elif event.kind == "acknowledged":
            report.acknowledged.append(event.submission_id)
        elif event.kind == "failed":
            report.failed.append((event.submission_id, event.detail))
        else:
            report.withheld.append((event.source_id, event.detail))
    return report


class PullRunner:
    """The desk's one pull at a time, and the last one's result."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._job: _Job | None = None
        self._thread: threading.Thread | None = None

    def view(self) -> PullView | None:
        """The running pull, or the last one since the desk started; None before any."""
        with self._lock:
            job = self._job
            if job is None:
                return None
            events = tuple(job.events)
            return PullView(
                job.started_by,
                job.started_at,
                job.finished_at,
                events,
                report_of(events),
                job.problem,
            )

    def running(self) -> bool:
        with self._lock:
            return self._job is not None and self._job.finished_at is None

    def start(
        self,
        connection: IntakeConnection,
        casebook: Casebook,
        identity: x25519.Identity,
        *,
        user_name: str,
    ) -> bool:
        """Start a pull as ``desk:<user_name>``; False (and nothing started) if one is running."""
        with self._lock:
            if self._job is not None and self._job.finished_at is None:
                return False
            job = _Job(user_name, self._clock())
            self._job = job
            self._thread = threading.Thread(
                target=self._run,
                args=(job, connection, casebook, identity),
                name="desk-pull",
                daemon=True,
            )
            self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the running pull to end (tests, and a server shutting down)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _tell(self, job: _Job, event: PullEvent) -> None:
        with self._lock:
            job.events.append(event)

    def _run(
        self,
        job: _Job,
        connection: IntakeConnection,
        casebook: Casebook,
        identity: x25519.Identity,
    ) -> None:
        actor = f"desk:{job.started_by}"
        problem: Problem | None = None
        intake = connection.url.rstrip("/")
        try:
            client = connection.client()
            intake = client.base_url
            pull(
                client,
                casebook,
                Contacts(connection.contacts),
                identity,
                actor=actor,
                progress=lambda event: self._tell(job, event),
            )
        except IntakeAuthError as error:
            problem = Problem("token", str(error))
        except IntakeConnectionError as error:
            problem = Problem("unreachable", str(error))
        except TestamentError as error:
            problem = Problem("failed", str(error))
        # The last net: the page says so. The log names the type only (no traceback): an
        # error's message or its frames' values may quote what a source sent.
        except Exception as error:  # noqa: BLE001 - a pull's thread must always finish its job
            log.error("the pull failed", error_type=type(error).__name__)  # noqa: TRY400
            problem = Problem("failed", type(error).__name__)
        finally:
            del identity  # the key lives no longer than the pull
        try:
            with self._lock:
                events = tuple(job.events)
            record_pull(casebook, report_of(events), intake=intake, actor=actor, now=self._clock())
        except Exception as error:  # noqa: BLE001 - as above: the job must be marked finished
            log.error("the pull's audit row was not written", error_type=type(error).__name__)  # noqa: TRY400
            problem = problem or Problem("failed", "the audit row was not written")
        with self._lock:
            job.problem = problem
            job.finished_at = self._clock()
