"""The Pull button and a reply in real Chromium with JavaScript off, against ``testament desk
serve --intake`` in its own process and a live intake: a source writes, the reviewer pulls by
typing the identity's passphrase, opens the testimony, answers it; the source reads the answer."""

from __future__ import annotations

import pyotp
import pytest

from testament.desk.keygen import create_identity
from testament.store import Casebook
from tests.browser.desk_server import (
    PASSWORD,
    add_researcher,
    desk_serve_with_intake,
    wait_for_the_pull,
)
from tests.browser.test_journey import is_problem
from tests.desk.live import SourceBrowser, live_intake

pytestmark = pytest.mark.browser
PASSPHRASE = "larkspur tundra velvet ferry 91"
MESSAGE = "Его увезли на рассвете; соседи видели машину."
REPLY = "Мы прочитали. Юрист свяжется с вами через эту страницу."


@pytest.fixture
def desk_with_intake(tmp_path):
    identity = tmp_path / "reviewer.age"
    recipient = create_identity(identity, PASSPHRASE)
    book_path = tmp_path / "casebook.sqlite"
    with Casebook.create(book_path) as book:
        secret = add_researcher(book)
    with (
        live_intake(tmp_path / "intake", (recipient,)) as intake,
        desk_serve_with_intake(book_path, tmp_path, intake, identity) as (url, log_path),
    ):
        yield url, secret, intake, log_path


def test_pull_and_reply_without_javascript(chromium, desk_with_intake):
    url, secret, intake, log_path = desk_with_intake
    source = SourceBrowser(intake)
    codename = source.new_codename()
    source.submit(MESSAGE)
    context = chromium.new_context(locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        problems = []
        page.on("console", lambda note: problems.append(note) if is_problem(note) else None)
        page.goto(url + "/login")
        page.fill("#name", "amina")
        page.fill("#password", PASSWORD)
        page.fill("#code", pyotp.TOTP(secret).now())
        page.locator("form[action^='/login'] button").click()
        assert page.url.endswith("/inbox")

        page.fill("#passphrase", PASSPHRASE)
        page.locator("form[action='/inbox/pull'] button").click()
        assert "New testimonies stored: 1" in wait_for_the_pull(page)
        page.locator("a[href^='/records/source/intake']").first.click()
        page.fill("#reason", "answering the source")
        page.locator("form[action^='/records/'] button").first.click()
        assert page.locator(".text").inner_text() == MESSAGE

        page.fill("#reply-text", REPLY)
        page.locator("form.reply button").click()
        assert "The reply was sent" in page.content()
        assert page.locator(".reply-body").inner_text() == REPLY
        assert problems == []
    finally:
        context.close()
    source.log_in(codename)
    assert "Юрист свяжется с вами" in source.source_page()
    source.close()
    assert PASSPHRASE.encode() not in log_path.read_bytes()
