"""Fixtures of the browser tests: the system's Chromium through Playwright, a live intake behind a
recording relay, the desk that pulls from it, and the desk web tests' casebook and accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyrage import x25519

from testament.desk.client import IntakeClient
from testament.desk.contacts import Contacts, contacts_path
from testament.store import Casebook
from tests.browser.wiretap import Wiretap
from tests.conftest import require_component
from tests.desk.live import LiveIntake, live_intake

# The desk web tests' casebook and accounts, and the intake tests' instance, for the pages of
# both apps in Chromium (accessibility).
from tests.deskweb.conftest import connected, desk, insecure_fast_hasher, reviewer_file  # noqa: F401
from tests.intake.conftest import insecure_fast_kdf, instance, reviewer  # noqa: F401
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """One browser for the browser tests, closed when they are done.

    Not session-wide: Playwright's sync API keeps an asyncio loop marked as running in the main
    thread while it is open, which would break every later test that starts an event loop.
    """
    require_component(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Site:
    """The intake as the browser reaches it (through the wiretap) and the desk behind it."""

    intake: LiveIntake
    wiretap: Wiretap
    reviewer: x25519.Identity
    casebook: Casebook
    contacts: Contacts

    @property
    def url(self) -> str:
        return self.wiretap.url

    @property
    def desk_client(self) -> IntakeClient:
        return IntakeClient(self.intake.url, self.intake.token)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    identity = x25519.Identity.generate()  # the reviewer's
    book_path = tmp_path / "desk" / "casebook.sqlite"
    with (
        live_intake(tmp_path / "intake", (str(identity.to_public()),)) as intake,
        Wiretap(int(intake.url.rsplit(":", 1)[1])) as wiretap,
        Casebook.create(book_path) as book,
    ):
        yield Site(intake, wiretap, identity, book, Contacts(contacts_path(book_path)))
