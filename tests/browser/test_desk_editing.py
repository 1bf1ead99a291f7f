"""Two reviewers edit one record at once in real Chromium (no JavaScript): the second gets the
conflict page with both values, nothing lost, and saving again applies their change."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from argon2 import PasswordHasher

from testament.core.records import Event
from testament.desk.access import Role
from testament.desk.accounts import add_user
from testament.store import Casebook
from tests.browser.test_desk_journey import PASSWORD, desk_server  # noqa: F401  (a fixture)
from tests.browser.test_journey import is_problem

pytestmark = pytest.mark.browser


def _log_in(chromium, url: str, name: str, secret: str):
    context = chromium.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("form[action^='/login'] button").click()
    assert page.url.endswith("/inbox")
    return context, page


def test_two_reviewers_editing_one_record_the_second_sees_the_conflict(
    chromium,
    desk_server,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    url, amina_secret = desk_server
    with Casebook.open(tmp_path / "casebook.sqlite") as book:  # the casebook the server serves
        book.add([Event(id="ev-1", title="Detentions", confidentiality="restricted")], actor="t")
        boris = add_user(
            book.engine,
            "boris",
            Role.ANALYST,
            PASSWORD,
            actor="test",
            now=datetime.now(UTC),
            hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),  # insecure, fast
        )
    amina_context, amina = _log_in(chromium, url, "amina", amina_secret)
    boris_context, boris_page = _log_in(chromium, url, "boris", boris.secret)
    try:
        problems = []
        for page in (amina, boris_page):
            page.on("console", lambda note: problems.append(note) if is_problem(note) else None)
            page.goto(url + "/records/event/ev-1")
            page.locator("a[href='/records/event/ev-1/edit']").click()
            assert page.locator("#f-title").input_value() == "Detentions"
        amina.fill("#f-title", "Detentions in Argun")
        amina.locator("form.record-form button[type=submit]").click()
        assert amina.url.endswith("/records/event/ev-1")
        boris_page.fill("#f-title", "Detentions, spring 2017")
        boris_page.fill("#f-summary", "Boris's summary")
        with boris_page.expect_response(url + "/records/event/ev-1/edit") as answer:
            boris_page.locator("form.record-form button[type=submit]").click()
        assert answer.value.status == 409
        assert boris_page.locator(".conflict td.theirs").first.inner_text() == "Detentions in Argun"
        assert boris_page.locator(".conflict td.yours").first.inner_text() == (
            "Detentions, spring 2017"
        )
        assert boris_page.locator("#f-summary").input_value() == "Boris's summary"  # kept
        boris_page.locator("form.record-form button[type=submit]").click()
        assert boris_page.url.endswith("/records/event/ev-1")
        assert "Version 3" in boris_page.locator(".meta").inner_text()
        boris_page.locator("a[href='/records/event/ev-1/history']").click()
        assert boris_page.locator("td.after").first.inner_text() == "Detentions, spring 2017"
        # the one console error is Chromium noting the conflict page's status (409) itself
        assert [note.text for note in problems] == [
            "Failed to load resource: the server responded with a status of 409 (Conflict)"
        ]
    finally:
        amina_context.close()
        boris_context.close()
    with Casebook.open(tmp_path / "casebook.sqlite") as book:
        event = book.get("event", "ev-1")
        assert isinstance(event, Event)
        assert (event.title, event.summary) == ("Detentions, spring 2017", "Boris's summary")
