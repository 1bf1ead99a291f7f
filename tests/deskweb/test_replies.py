"""Replies written in the desk: sent encrypted to the source, recorded for colleagues, shown only
to those who may see the source, sent only by admins and researchers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from testament.core.records import Source
from testament.desk.contacts import contacts_path
from testament.desk.replies import replies_of
from testament.desk.web.reading_pages import MAX_WEB_REPLY_CHARS
from testament.desk.web.settings import IntakeConnection
from testament.store import Casebook
from tests.desk.live import live_intake
from tests.deskweb.conftest import HOSTILE, Connected, csrf_of, press_pull, runtime_of

REASON = "answering the source's question"
REPLY = "Спасибо, мы прочитали. We will call the lawyer on Monday."
_ONCE = re.compile(r'name="once" value="([^"]+)"')


def pull_one(connected, client, message: str = "они забрали брата") -> tuple[str, str]:
    """A source sends ``message``, the desk pulls it with the button: (source id, codename)."""
    codename = connected.submit(message)
    assert press_pull(client, connected.reviewer.passphrase).status_code == 303
    runtime_of(client).pulls.wait(timeout=60)
    with Casebook.open(connected.desk.casebook_path) as book:
        (source_id,) = [r.id for r in book.records("source") if r.id.startswith("intake:")]
    return source_id, codename


def marked(book: Casebook, source_id: str, level: str) -> None:
    """A colleague changes the source's confidentiality to ``level``."""
    source = book.get("source", source_id)
    book.update(Source.model_validate({**source.model_dump(), "confidentiality": level}), actor="t")


def open_source(client, source_id: str) -> str:
    """The pulled (secret) testimony's page, opened with a reason."""
    token = csrf_of(client.get("/inbox").text)
    page = client.post(f"/records/source/{source_id}", data={"csrf_token": token, "reason": REASON})
    assert page.status_code == 200, page.status_code
    return page.text


def send(client, source_id: str, text: str, page: str, **extra: str):
    """Type ``text`` into the reply form of ``page`` and send it."""
    once = _ONCE.search(page)
    assert once is not None, "the page has no reply form"
    data = {"csrf_token": csrf_of(page), "reason": REASON, "once": once.group(1), "text": text}
    return client.post(f"/records/source/{source_id}/reply", data={**data, **extra})


def test_a_reply_reaches_the_source_and_is_recorded_for_colleagues(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, codename = pull_one(connected, researcher)
    page = open_source(researcher, source_id)
    assert "Reply to the source" in page
    assert "<textarea" in page

    answer = send(researcher, source_id, REPLY, page)

    assert answer.status_code == 200
    assert "The reply was sent" in answer.text
    assert REPLY in answer.text  # listed on the page at once
    # only the source, with its codename, decrypts it: the intake shows it after log-in
    assert "Спасибо, мы прочитали." in connected.replies_seen_by(codename)
    for path in connected.intake.folder.rglob("*"):
        if path.is_file():
            assert "мы прочитали".encode() not in path.read_bytes()
    with Casebook.open(connected.desk.casebook_path) as book:
        (recorded,) = replies_of(book.engine, source_id)
        (audited,) = book.audit(record_type="desk_reply")
    assert (recorded.author, recorded.text) == ("researcher", REPLY)
    assert recorded.sent_at == connected.desk.clock.now
    assert (audited.action, audited.actor, audited.record_id) == (
        "reply",
        "desk:researcher",
        recorded.id,
    )
    assert audited.after["source_id"] == source_id
    assert REPLY not in str(audited.after)  # the text stays with the source, not in the log
    # a colleague sees who promised what, and when
    colleague = open_source(logged_in("admin"), source_id)
    assert REPLY in colleague
    assert "researcher, 2026-12-01" in colleague


def test_the_reply_text_is_shown_as_text(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, _ = pull_one(connected, researcher)

    answer = send(researcher, source_id, HOSTILE, open_source(researcher, source_id))

    assert answer.status_code == 200
    assert "<script>alert" not in answer.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in answer.text


@pytest.mark.parametrize(
    ("text", "problem"),
    [("   \n ", "The reply is empty"), ("я" * (MAX_WEB_REPLY_CHARS + 1), "too long")],
)
def test_an_empty_or_too_long_reply_shows_the_form_again(connected, logged_in, text, problem):
    researcher = logged_in("researcher")
    source_id, codename = pull_one(connected, researcher)

    answer = send(researcher, source_id, text, open_source(researcher, source_id))

    assert answer.status_code == 400
    assert problem in answer.text
    if text.strip():
        assert text in answer.text  # kept in the form
    with Casebook.open(connected.desk.casebook_path) as book:
        assert replies_of(book.engine, source_id) == []
    assert "я" * 20 not in connected.replies_seen_by(codename)


def test_a_form_sent_twice_sends_one_reply(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, _ = pull_one(connected, researcher)
    page = open_source(researcher, source_id)

    first = send(researcher, source_id, REPLY, page)
    again = send(researcher, source_id, REPLY, page)  # the browser's reload of the POST

    assert first.status_code == 200
    assert again.status_code == 200
    assert "sent already" in again.text
    with Casebook.open(connected.desk.casebook_path) as book:
        assert len(replies_of(book.engine, source_id)) == 1


def test_when_the_intake_is_down_nothing_is_recorded(desk, reviewer_file, tmp_path, logged_in):
    with live_intake(tmp_path / "intake", (reviewer_file.recipient,)) as running:
        token_file = tmp_path / "token"
        token_file.write_text(running.token)
        connection = IntakeConnection(
            url=running.url,
            token_file=token_file,
            identity=reviewer_file.path,
            contacts=contacts_path(desk.casebook_path),
        )
        desk.settings = replace(desk.settings, intake=connection)
        connected = Connected(desk, running, reviewer_file, connection)
        researcher = logged_in("researcher")
        source_id, _ = pull_one(connected, researcher)
        page = open_source(researcher, source_id)
    # the intake has stopped (as when Tor or the intake's server is down)

    answer = send(researcher, source_id, REPLY, page)

    assert answer.status_code == 503
    assert "could not be reached" in answer.text
    assert REPLY in answer.text  # the text is kept for another try
    with Casebook.open(desk.casebook_path) as book:
        assert replies_of(book.engine, source_id) == []
        assert book.audit(record_type="desk_reply") == []


def test_a_restricted_source_s_replies_are_hidden_from_a_viewer(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, _ = pull_one(connected, researcher)
    send(researcher, source_id, REPLY, open_source(researcher, source_id))
    with Casebook.open(connected.desk.casebook_path) as book:
        marked(book, source_id, "restricted")

    analyst = logged_in("analyst").get(f"/records/source/{source_id}")
    viewer = logged_in("viewer").get(f"/records/source/{source_id}")

    assert analyst.status_code == 200
    assert REPLY in analyst.text  # an analyst may see the source: its replies too
    assert 'name="once"' not in analyst.text  # but not answer it
    assert viewer.status_code == 404
    assert REPLY not in viewer.text


def test_analysts_and_viewers_cannot_send(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, codename = pull_one(connected, researcher)
    page = open_source(researcher, source_id)
    with Casebook.open(connected.desk.casebook_path) as book:
        marked(book, source_id, "public")

    for role in ("analyst", "viewer"):
        client = logged_in(role)
        token = csrf_of(client.get("/inbox").text)
        answer = client.post(
            f"/records/source/{source_id}/reply",
            data={"csrf_token": token, "once": _ONCE.search(page).group(1), "text": REPLY},
        )
        assert answer.status_code == 403
    with Casebook.open(connected.desk.casebook_path) as book:
        assert replies_of(book.engine, source_id) == []
    assert "мы прочитали" not in connected.replies_seen_by(codename)


def test_a_reply_without_the_csrf_token_is_refused(connected, logged_in):
    researcher = logged_in("researcher")
    source_id, _ = pull_one(connected, researcher)

    answer = send(researcher, source_id, REPLY, open_source(researcher, source_id), csrf_token="x")

    assert answer.status_code == 403
    with Casebook.open(connected.desk.casebook_path) as book:
        assert replies_of(book.engine, source_id) == []


def test_a_source_without_a_reply_address_has_no_form(connected, logged_in):
    researcher = logged_in("researcher")
    page = researcher.get("/records/source/t-public").text
    assert 'name="once"' not in page
    token = csrf_of(page)
    answer = researcher.post(
        "/records/source/t-public/reply", data={"csrf_token": token, "once": "x", "text": REPLY}
    )
    assert answer.status_code == 404


def test_without_an_intake_the_reply_form_says_how_to_connect_one(desk, logged_in):
    with Casebook.open(desk.casebook_path) as book:
        book.add(
            [
                Source(
                    id="intake:" + "a" * 32,
                    kind="testimony",
                    confidentiality="restricted",
                    text="pulled earlier",
                )
            ],
            actor="test",
        )
    page = logged_in("researcher").get("/records/source/intake:" + "a" * 32)
    assert page.status_code == 200
    assert "not connected to an intake" in page.text
    assert "<textarea" not in page.text
