"""The inbox's Pull button: a pull from a live intake, started from the browser, without
JavaScript; the identity's passphrase opens the key for that pull only and is never kept."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest
import structlog.testing
from starlette.testclient import TestClient

from testament.desk.web import pull_job
from testament.desk.web.settings import IntakeConnection
from testament.store import Casebook
from tests.desk.live import free_port
from tests.deskweb.conftest import (
    BASE_URL,
    TEST_PASSPHRASE_DELAY,
    csrf_of,
    press_pull,
    runtime_of,
)

MESSAGE = "они пришли ночью, забрали брата"


def pulled(book: Casebook) -> list[str]:
    """The ids of the sources pulled from an intake (the fixture's own records are not)."""
    return [record.id for record in book.records("source") if record.id.startswith("intake:")]


def finished(client) -> str:
    """The pull page once the running pull has ended."""
    runtime_of(client).pulls.wait(timeout=60)
    page = client.get("/inbox/pull")
    assert page.status_code == 200
    return page.text


def test_a_submission_pulled_by_pressing_the_button_appears_in_the_inbox(connected, logged_in):
    connected.submit(MESSAGE)
    researcher = logged_in("researcher")
    inbox = researcher.get("/inbox").text
    assert 'type="password"' in inbox
    assert 'autocomplete="off"' in inbox

    pressed = press_pull(researcher, connected.reviewer.passphrase)

    assert pressed.status_code == 303
    assert pressed.headers["location"] == "/inbox/pull"
    page = finished(researcher)
    assert "New testimonies stored: 1" in page
    assert "Acknowledged to the intake: 1" in page
    assert "Failed (left on the intake): 0" in page
    assert 'http-equiv="refresh"' not in page  # it stops reloading once done
    with Casebook.open(connected.desk.casebook_path) as book:
        (source_id,) = pulled(book)
        assert book.get("source", source_id).text == MESSAGE
        (row,) = book.audit(record_type="intake")
    assert source_id in page
    assert source_id in researcher.get("/inbox").text
    assert (row.action, row.actor) == ("pull", "desk:researcher")
    assert row.after["stored"] == [source_id]
    assert row.after["acknowledged"] == 1
    # the intake was told: pressing again finds nothing new
    assert press_pull(researcher, connected.reviewer.passphrase).status_code == 303
    assert "New testimonies stored: 0" in finished(researcher)


def test_a_wrong_passphrase_shows_the_form_again_after_a_delay(connected, logged_in):
    connected.submit(MESSAGE)
    researcher = logged_in("researcher")

    started = time.monotonic()
    answer = press_pull(researcher, "not the passphrase at all")

    assert time.monotonic() - started >= TEST_PASSPHRASE_DELAY
    assert answer.status_code == 400
    assert "Wrong passphrase" in answer.text
    assert 'name="passphrase"' in answer.text
    assert runtime_of(researcher).pulls.view() is None  # nothing started
    with Casebook.open(connected.desk.casebook_path) as book:
        assert pulled(book) == []


def test_the_russian_page_says_the_same(connected, logged_in):
    researcher = logged_in("researcher")
    researcher.post(
        "/language",
        data={"csrf_token": csrf_of(researcher.get("/inbox").text), "lang": "ru", "next": "/"},
    )
    answer = press_pull(researcher, "not the passphrase at all")
    assert "Неверная парольная фраза" in answer.text


def test_without_an_intake_the_button_says_how_to_connect_one(desk, logged_in):
    researcher = logged_in("researcher")

    inbox = researcher.get("/inbox")
    pressed = press_pull(researcher, "anything")

    assert inbox.status_code == 200
    assert "not connected to an intake" in inbox.text
    assert "--intake" in inbox.text
    assert 'name="passphrase"' not in inbox.text
    assert pressed.status_code == 409
    assert "not connected to an intake" in pressed.text
    assert "not connected to an intake" in researcher.get("/inbox/pull").text


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_cannot_pull(connected, logged_in, role):
    reader = logged_in(role)
    inbox = reader.get("/inbox").text

    assert 'action="/inbox/pull"' not in inbox
    assert reader.get("/inbox/pull").status_code == 403
    assert press_pull(reader, connected.reviewer.passphrase).status_code == 403
    assert runtime_of(reader).pulls.view() is None


def test_a_press_without_the_csrf_token_is_refused(connected, logged_in):
    researcher = logged_in("researcher")
    answer = researcher.post(
        "/inbox/pull", data={"passphrase": connected.reviewer.passphrase}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert runtime_of(researcher).pulls.view() is None


def test_a_second_press_while_a_pull_runs_shows_the_running_one(connected, logged_in, monkeypatch):
    release = threading.Event()
    calls: list[str] = []
    real_pull = pull_job.pull

    def slow_pull(*args, **kwargs):
        calls.append(kwargs["actor"])
        release.wait(timeout=30)  # as a pull over a slow Tor circuit
        return real_pull(*args, **kwargs)

    monkeypatch.setattr(pull_job, "pull", slow_pull)
    connected.submit(MESSAGE)
    researcher = logged_in("researcher")
    admin = TestClient(researcher.app, base_url=BASE_URL)  # a colleague, on the same desk
    assert connected.desk.log_in(admin, "admin").status_code == 303
    try:
        assert press_pull(researcher, connected.reviewer.passphrase).status_code == 303
        running = researcher.get("/inbox/pull").text
        second = press_pull(admin, "whatever the second reviewer typed")
        inbox = admin.get("/inbox").text
    finally:
        release.set()

    assert '<meta http-equiv="refresh" content="2">' in running
    assert "is running" in running
    assert second.status_code == 303
    assert second.headers["location"] == "/inbox/pull"
    assert "A pull is running" in inbox
    page = finished(admin)
    assert calls == ["desk:researcher"]  # one pull, the first press's
    assert "New testimonies stored: 1" in page


def test_an_unreachable_intake_is_said_clearly(connected, logged_in):
    dead = replace(connected.connection, url=f"http://127.0.0.1:{free_port()}")
    assert connected.desk.settings is not None
    connected.desk.settings = replace(connected.desk.settings, intake=dead)
    researcher = logged_in("researcher")

    assert press_pull(researcher, connected.reviewer.passphrase).status_code == 303
    page = finished(researcher)

    assert "could not be reached" in page
    assert "New testimonies stored: 0" in page
    with Casebook.open(connected.desk.casebook_path) as book:
        (row,) = book.audit(record_type="intake")  # the attempt is audited too
    assert row.after["stored"] == []


def test_the_passphrase_never_appears_in_a_page_a_log_or_the_casebook(connected, logged_in, caplog):
    connected.submit(MESSAGE)
    secret = connected.reviewer.passphrase
    wrong = "a wrong guess 7Hq2"
    responses = []
    with structlog.testing.capture_logs() as logs:
        researcher = logged_in("researcher")
        responses.append(press_pull(researcher, wrong))
        responses.append(press_pull(researcher, secret))
        runtime_of(researcher).pulls.wait(timeout=60)
        responses += [researcher.get(p) for p in ("/inbox/pull", "/inbox", "/audit")]
        admin = logged_in("admin")
        responses += [admin.get(p) for p in ("/inbox/pull", "/audit")]

    assert "New testimonies stored: 1" in responses[2].text
    for response in responses:
        for text in (secret, wrong):
            assert text not in response.text
            assert text not in json.dumps(dict(response.headers))
            assert text not in response.headers.get("set-cookie", "")
    for text in (secret, wrong):
        assert text not in repr(logs)
        assert text not in caplog.text
        assert text not in repr(connected.connection)
        for path in connected.desk.casebook_path.parent.rglob("*"):
            if path.is_file():
                assert text.encode() not in path.read_bytes(), path


def test_the_connection_is_checked_at_start_up(connected, tmp_path):
    from testament.core.errors import SettingsError

    with pytest.raises(SettingsError, match="token"):
        replace(connected.connection, token_file=tmp_path / "no-token")
    with pytest.raises(SettingsError, match="keygen"):
        replace(connected.connection, identity=tmp_path / "no-identity.age")
    with pytest.raises(SettingsError, match="onion"):
        IntakeConnection(
            url="http://" + "a" * 56 + ".onion",
            token_file=connected.connection.token_file,
            identity=connected.connection.identity,
            contacts=connected.connection.contacts,
        )
    # the passphrase is not asked for at start-up: a wrong one cannot be found there
    assert connected.connection.identity.is_file()


def test_an_identity_file_that_cannot_be_opened_is_named(connected, logged_in, tmp_path):
    unprotected = tmp_path / "plain-identity.txt"
    unprotected.write_text("AGE-SECRET-KEY-1" + "Q" * 58 + "\n")
    assert connected.desk.settings is not None
    connected.desk.settings = replace(
        connected.desk.settings, intake=replace(connected.connection, identity=unprotected)
    )
    researcher = logged_in("researcher")

    answer = press_pull(researcher, connected.reviewer.passphrase)

    assert answer.status_code == 400
    assert "The identity file cannot be opened" in answer.text
    assert "unprotected identity" in answer.text
    assert "Wrong passphrase" not in answer.text
    assert runtime_of(researcher).pulls.view() is None


def test_wrong_passphrases_in_a_row_lock_the_pull_for_a_while(connected, logged_in):
    # the fixture's policy: locked after 3 failures in a row, for 60 s, doubling
    researcher = logged_in("researcher")
    for guess in ("first guess 1", "second guess 2", "third guess 3"):
        assert press_pull(researcher, guess).status_code == 400

    locked = press_pull(researcher, connected.reviewer.passphrase)  # even the right one waits

    assert locked.status_code == 429
    assert "Too many wrong passphrases" in locked.text
    assert runtime_of(researcher).pulls.view() is None
    connected.desk.clock.advance(seconds=61)
    assert press_pull(researcher, connected.reviewer.passphrase).status_code == 303
    assert "New testimonies stored: 0" in finished(researcher)
