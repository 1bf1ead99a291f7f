"""Log-in with password and TOTP: a code works once, failures lock the account with back-off."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from testament.store import Casebook
from testament.store.schema import desk_session, desk_user
from tests.deskweb.conftest import PASSWORD, csrf_of


def test_password_and_current_code_open_the_inbox(desk, client):
    response = desk.log_in(client, "researcher")
    assert response.status_code == 303
    assert response.headers["location"] == "/inbox"
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert "researcher" in inbox.text


def test_pages_need_a_session(client):
    for path in ("/inbox", "/records/source", "/records/event/ev-public", "/audit"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"


def test_wrong_password_or_code_is_refused_without_saying_which(desk, client):
    wrong_password = desk.log_in(client, "researcher", password="not the password at all")
    desk.clock.advance(seconds=30)
    wrong_code = desk.log_in(
        client, "researcher", code="000000" if desk.code("researcher") != "000000" else "111111"
    )
    unknown = desk.log_in(client, "nobody", code="123456")
    for response in (wrong_password, wrong_code, unknown):
        assert response.status_code == 401
        assert "The name, the password or the code is wrong" in response.text
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_a_code_is_refused_the_second_time(desk, client):
    code = desk.code("analyst")
    assert desk.log_in(client, "analyst", code=code).status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/inbox").text)})
    desk.clock.advance(seconds=10)  # still within the same 30-second step
    replay = desk.log_in(client, "analyst", code=code)
    assert replay.status_code == 401
    # an earlier step's code (still inside the drift window) is refused as well
    earlier = desk.code("analyst", desk.clock.now - timedelta(seconds=30))
    assert desk.log_in(client, "analyst", code=earlier).status_code == 401
    desk.clock.advance(seconds=60)
    assert desk.log_in(client, "analyst").status_code == 303


def test_failures_lock_the_account_and_each_further_one_doubles_the_lock(desk, client):
    # the fixture's policy: 3 failures, then 60 s, 120 s, ... at most an hour
    for _ in range(2):
        assert desk.log_in(client, "viewer", password="wrong password entirely").status_code == 401
    third = desk.log_in(client, "viewer", password="wrong password entirely")
    assert third.status_code == 429
    assert "locked for 1 more minute" in third.text
    # locked: even the right password and code are refused, and not checked
    desk.clock.advance(seconds=1)
    assert desk.log_in(client, "viewer", code=desk.code("viewer")).status_code == 429
    desk.clock.advance(seconds=60)
    fourth = desk.log_in(client, "viewer", password="wrong password entirely")
    assert fourth.status_code == 429
    assert "locked for 2 more minute" in fourth.text
    desk.clock.advance(seconds=60)
    assert desk.log_in(client, "viewer").status_code == 429  # 120 s have not passed
    desk.clock.advance(seconds=61)
    assert desk.log_in(client, "viewer").status_code == 303
    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        row = connection.execute(select(desk_user).where(desk_user.c.name == "viewer")).one()
    assert row.failed_logins == 0
    assert row.locked_until is None


def test_the_lock_is_per_account(desk, client):
    for _ in range(3):
        desk.log_in(client, "viewer", password="wrong password entirely")
    assert desk.log_in(client, "analyst").status_code == 303


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(desk, logged_in):
    from testament.desk.accounts import disable_user

    session_client = logged_in("analyst")
    assert session_client.get("/inbox").status_code == 200
    with Casebook.open(desk.casebook_path) as book:
        disable_user(book.engine, "analyst")
        with book.engine.connect() as connection:
            assert connection.execute(select(desk_session)).all() == []
    assert session_client.get("/inbox", follow_redirects=False).status_code == 303
    with desk.client() as other:
        assert desk.log_in(other, "analyst").status_code == 401


def test_the_password_is_stored_only_as_an_argon2id_hash(desk):
    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        hashes = connection.execute(select(desk_user.c.password_hash)).scalars().all()
    assert hashes
    assert all(value.startswith("$argon2id$") and PASSWORD not in value for value in hashes)
