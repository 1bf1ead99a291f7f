"""Server-side sessions (idle and absolute expiry, log-out) and CSRF on every POST form."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from testament.store import Casebook
from testament.store.schema import desk_session
from tests.deskweb.conftest import csrf_of


def test_the_session_cookie_is_opaque_secure_httponly_and_strict(desk, client):
    response = desk.log_in(client, "researcher")
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "session" in v
    )
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Strict" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 43
    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        stored = connection.execute(select(desk_session.c.token_sha256)).scalars().all()
    # only the hash is kept: a copy of the database opens no session
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_log_out_ends_the_session_on_the_server(desk, logged_in):
    browser = logged_in("researcher")
    stolen = dict(browser.cookies)
    response = browser.post(
        "/logout", data={"csrf_token": csrf_of(browser.get("/inbox").text)}, follow_redirects=False
    )
    assert response.status_code == 303
    with desk.client() as thief:
        thief.cookies.update(stolen)  # the old cookie, replayed: the session is gone
        assert thief.get("/inbox", follow_redirects=False).status_code == 303


def test_an_idle_session_expires(desk, logged_in):
    browser = logged_in("researcher")
    desk.clock.advance(minutes=29)
    assert browser.get("/inbox").status_code == 200  # activity restarts the idle clock
    desk.clock.advance(minutes=29)
    assert browser.get("/inbox").status_code == 200
    desk.clock.advance(minutes=30)
    response = browser.get("/inbox", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_a_session_ends_after_its_absolute_lifetime_however_active(desk, logged_in):
    browser = logged_in("researcher")
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for almost 12 hours
        desk.clock.advance(minutes=20)
        assert browser.get("/inbox", follow_redirects=False).status_code == 200
    desk.clock.advance(minutes=20)
    assert browser.get("/inbox", follow_redirects=False).status_code == 303


FORMS = [
    ("/logout", {}),
    ("/language", {"lang": "ru", "next": "/inbox"}),
    ("/records/source/t-secret", {"reason": "checking the dates"}),
    ("/records/source/t-public/files/x/original", {}),
]


@pytest.mark.parametrize(("path", "fields"), FORMS)
@pytest.mark.parametrize("token", [None, "wrong", "ünïcode-forgery"])
def test_every_form_refuses_a_missing_or_wrong_csrf_token(logged_in, path, fields, token):
    browser = logged_in("admin")
    data = dict(fields)
    if token is not None:
        data["csrf_token"] = token
    response = browser.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert browser.get("/inbox").status_code == 200  # nothing happened: still logged in


def test_another_sessions_token_is_refused(logged_in):
    first, second = logged_in("admin"), logged_in("researcher")
    foreign = csrf_of(second.get("/inbox").text)
    response = first.post("/logout", data={"csrf_token": foreign}, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize("token", [None, "wrong"])
def test_the_log_in_form_refuses_a_missing_or_wrong_csrf_token(desk, client, token):
    client.get("/login")
    data = {
        "name": "admin",
        "password": "violet harbour quantum pickle",
        "code": desk.code("admin"),
    }
    if token is not None:
        data["csrf_token"] = token
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403


def test_the_log_in_form_needs_this_browsers_cookie(desk, client):
    """A token copied into a forged form is useless without the browser's own cookie."""
    token = csrf_of(client.get("/login").text)
    with desk.client() as other:
        data = {"csrf_token": token, "name": "admin", "password": "x", "code": "123456"}
        assert other.post("/login", data=data, follow_redirects=False).status_code == 403
