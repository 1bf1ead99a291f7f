"""The desk in real Chromium, served by ``testament desk serve`` in its own process: log in with
a password and a TOTP code, find the testimony in the inbox, open it with a reason, in English
and in Russian. No JavaScript is needed, so none is allowed (the CSP forbids inline code)."""

from __future__ import annotations

import pyotp
import pytest

from testament.core.records import Source
from testament.store import Casebook
from tests.browser.desk_server import PASSWORD, add_researcher, desk_serve
from tests.browser.test_journey import is_problem

pytestmark = pytest.mark.browser
TEXT = "Двое в форме пришли на рассвете <b>и увезли</b> его."


@pytest.fixture
def desk_server(tmp_path):
    book_path = tmp_path / "casebook.sqlite"
    with Casebook.create(book_path) as book:
        book.add(
            [Source(id="intake:abc", kind="testimony", confidentiality="secret", text=TEXT)],
            actor="test",
        )
        secret = add_researcher(book)
    with desk_serve(book_path, tmp_path / "desk.log") as url:
        yield url, secret


@pytest.mark.parametrize(
    ("locale", "inbox_word", "reason_word"),
    [
        ("en-GB", "Inbox", "Why are you opening this record?"),
        ("ru-RU", "Входящие", "Зачем вы открываете эту запись?"),
    ],
)
def test_log_in_with_totp_and_read_a_testimony(
    chromium, desk_server, locale, inbox_word, reason_word
):
    url, secret = desk_server
    context = chromium.new_context(locale=locale, java_script_enabled=False)
    try:
        page = context.new_page()
        problems = []
        page.on("console", lambda note: problems.append(note) if is_problem(note) else None)
        page.goto(url + "/inbox")
        assert page.url.endswith("/login")  # no session yet
        page.fill("#name", "amina")
        page.fill("#password", PASSWORD)
        page.fill("#code", pyotp.TOTP(secret).now())
        page.locator("form[action^='/login'] button").click()
        assert page.url.endswith("/inbox")
        assert page.locator("h1").inner_text() == inbox_word
        cookie = next(c for c in context.cookies() if c["name"] == "testament_desk_session")
        assert cookie["httpOnly"]
        assert cookie["secure"]
        assert cookie["sameSite"] == "Strict"
        page.locator("a[href='/records/source/intake%3Aabc']").click()
        assert page.locator("h1").inner_text() == reason_word
        page.fill("#reason", "checking the date of the detention")
        page.locator("form[action^='/records/'] button").click()
        assert page.locator(".text").inner_text() == TEXT  # shown as text, not markup
        assert page.locator(".text b").count() == 0
        assert problems == []
    finally:
        context.close()
