"""Fixtures of the desk web tests: a casebook with records of every confidentiality, one
account per role, the app in process (Starlette's TestClient) with a clock the tests move."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from testament.core.records import (
    Act,
    Claim,
    Event,
    Informant,
    Person,
    Source,
)
from testament.desk.access import Role
from testament.desk.accounts import LockoutPolicy, add_user
from testament.desk.contacts import contacts_path
from testament.desk.web import DeskWebSettings, create_app
from testament.desk.web.runtime import DeskRuntime
from testament.desk.web.settings import IntakeConnection
from testament.store import Casebook
from tests.desk.conftest import ReviewerFile, reviewer_file  # noqa: F401 - a fixture
from tests.desk.live import LiveIntake, SourceBrowser, live_intake

PASSWORD = "violet harbour quantum pickle"
BASE_URL = "https://desk.test"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


class Clock:
    """The desk's clock in these tests: starts at a fixed moment, moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def insecure_fast_hasher() -> PasswordHasher:
    """argon2id at its minimum cost: the tests make many accounts; never use this for real."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def records() -> list[object]:
    """Sources and records of each confidentiality, and an informant (always secret)."""
    return [
        Source(
            id="t-secret",
            kind="testimony",
            confidentiality="secret",
            text="они забрали Руслана ночью",
        ),
        Source(
            id="t-restricted",
            kind="testimony",
            confidentiality="restricted",
            text="restricted words about Grozny",
        ),
        Source(
            id="t-public",
            kind="testimony",
            confidentiality="public",
            text="public words about Grozny",
        ),
        Source(
            id="t-hostile", kind="testimony", confidentiality="public", title=HOSTILE, text=HOSTILE
        ),
        Source(
            id="article",
            kind="news_article",
            confidentiality="public",
            title="An article",
            text="Grozny",
        ),
        Informant(id="inf-1", pseudonym="Ruslan", connection="victim", confidentiality="public"),
        Event(id="ev-public", title="Detentions", confidentiality="public"),
        Event(id="ev-restricted", title="Restricted detentions", confidentiality="restricted"),
        Event(id="ev-secret", title="Secret prison", confidentiality="secret"),
        Person(id="p-1", pseudonym="Victim A", confidentiality="restricted"),
        Act(
            id="act-1",
            event_id="ev-public",
            act_type="arbitrary_detention",
            victim_id="p-1",
            confidentiality="public",
        ),
        Claim(
            id="cl-1",
            source_id="t-public",
            informant_id="inf-1",
            target_kind="event",
            target_id="ev-secret",
            stance="asserts",
            basis="first_hand",
            excerpt=HOSTILE,
            confidentiality="public",
        ),
    ]


@dataclass
class Desk:
    casebook_path: Path
    clock: Clock
    secrets: dict[str, str] = field(default_factory=dict)
    enrol_tokens: dict[str, str] = field(default_factory=dict)
    settings: DeskWebSettings | None = None

    def code(self, name: str, at: datetime | None = None) -> str:
        return pyotp.TOTP(self.secrets[name]).at(at or self.clock.now)

    def client(self) -> TestClient:
        assert self.settings is not None
        return TestClient(create_app(self.settings, clock=self.clock), base_url=BASE_URL)

    def log_in(
        self, client: TestClient, name: str, *, password: str = PASSWORD, code: str | None = None
    ):
        """Log ``name`` in with a fresh code (the clock moves a time-step first, so that no
        code is reused by accident: replay is refused)."""
        if code is None:
            self.clock.advance(seconds=30)
            code = self.code(name)
        token = csrf_of(client.get("/login").text)
        return client.post(
            "/login",
            data={"csrf_token": token, "name": name, "password": password, "code": code},
            follow_redirects=False,
        )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def desk(tmp_path: Path, insecure_fast_hasher: PasswordHasher) -> Desk:
    path = tmp_path / "casebook.sqlite"
    clock = Clock()
    state = Desk(path, clock)
    with Casebook.create(path) as book:
        book.add(records(), actor="test")  # type: ignore[arg-type]
        original = tmp_path / "photo.jpg"
        original.write_bytes(b"\xff\xd8 original bytes with metadata")
        working = tmp_path / "photo-working.jpg"
        working.write_bytes(b"\xff\xd8 stripped bytes")
        for source_id in ("t-secret", "t-public"):
            book.add_attachment(
                source_id,
                original=original,
                working_copy=working,
                filename=HOSTILE + ".jpg",
                content_type="image/jpeg",
                stripped=["EXIF"],
                actor="test",
            )
        for role in Role:
            enrolment = add_user(
                book.engine,
                role.value,
                role,
                PASSWORD,
                actor="test",
                now=clock.now,
                hasher=insecure_fast_hasher,
            )
            state.secrets[role.value] = enrolment.secret
            assert enrolment.page_token is not None
            state.enrol_tokens[role.value] = enrolment.page_token
    state.settings = DeskWebSettings(
        casebook=str(path), lockout=LockoutPolicy(max_failures=3, base_seconds=60, max_seconds=3600)
    )
    return state


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    with desk.client() as test_client:
        yield test_client


@pytest.fixture
def logged_in(desk: Desk) -> Callable[[str], TestClient]:
    """A client logged in as the user ``name`` (closed at the end of the test)."""
    opened: list[TestClient] = []

    def make(name: str) -> TestClient:
        test_client = desk.client().__enter__()
        opened.append(test_client)
        response = desk.log_in(test_client, name)
        assert response.status_code == 303, response.text
        return test_client

    yield make  # type: ignore[misc]
    for test_client in opened:
        test_client.__exit__(None, None, None)


@dataclass
class Connected:
    """A desk started with ``--intake``: a live intake on loopback for the reviewer file's key."""

    desk: Desk
    intake: LiveIntake
    reviewer: ReviewerFile
    connection: IntakeConnection

    def submit(self, message: str) -> str:
        """A new source sends ``message`` from its browser; its codename."""
        browser = SourceBrowser(self.intake)
        try:
            codename = browser.new_codename()
            browser.submit(message)
        finally:
            browser.close()
        return codename

    def replies_seen_by(self, codename: str) -> str:
        """The source's page on the intake, after logging in with ``codename`` anew."""
        browser = SourceBrowser(self.intake)
        try:
            browser.log_in(codename)
            return browser.source_page()
        finally:
            browser.close()


#: How long a wrong passphrase waits in these tests (a real desk waits 2 s).
TEST_PASSPHRASE_DELAY = 0.3


@pytest.fixture
def connected(desk: Desk, reviewer_file: ReviewerFile, tmp_path: Path) -> Iterator[Connected]:  # noqa: F811
    with live_intake(tmp_path / "intake", (reviewer_file.recipient,)) as running:
        token_file = tmp_path / "desk-token"
        token_file.write_text(running.token + "\n")
        connection = IntakeConnection(
            url=running.url,
            token_file=token_file,
            identity=reviewer_file.path,
            contacts=contacts_path(desk.casebook_path),
            wrong_passphrase_delay_seconds=TEST_PASSPHRASE_DELAY,
        )
        assert desk.settings is not None
        desk.settings = replace(desk.settings, intake=connection)
        yield Connected(desk, running, reviewer_file, connection)


def runtime_of(client: TestClient) -> DeskRuntime:
    runtime: DeskRuntime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def press_pull(client: TestClient, passphrase: str):
    """Type ``passphrase`` into the inbox's Pull form and press the button."""
    token = csrf_of(client.get("/inbox").text)
    return client.post(
        "/inbox/pull",
        data={"csrf_token": token, "passphrase": passphrase},
        follow_redirects=False,
    )
