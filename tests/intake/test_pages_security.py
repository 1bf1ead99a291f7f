"""What every page promises: security headers, CSRF on every form, generic errors, two languages."""

from __future__ import annotations

import re

import pytest

from tests.intake.conftest import csrf_token, new_source, submit

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; "
    "img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/", "/login", "/nowhere", "/static/intake.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_code(client):
    new_source(client)
    for path in ("/", "/login", "/source"):
        html = client.get(path).text
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        assert "<script>" not in html
        assert " style=" not in html
        assert not re.search(r" on[a-z]+=", html)


def test_source_page_embeds_recipients_and_the_sealing_script(client, instance):
    new_source(client)
    html = client.get("/source").text
    assert f'data-recipients="{instance.settings.recipients[0]}"' in html
    assert '<script src="/static/seal.js" defer></script>' in html
    assert 'enctype="multipart/form-data"' in html


def test_csrf_cookie_is_http_only_and_same_site_strict(client):
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith("testament_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


@pytest.mark.parametrize("path", ["/codename", "/login", "/logout"])
def test_forms_without_the_csrf_token_are_refused(client, path):
    client.get("/")
    assert client.post(path, data={"codename": "x"}).status_code == 403
    assert client.post(path, data={"csrf_token": "0" * 64}).status_code == 403


def test_a_token_from_another_visitor_is_refused(client, instance):
    from starlette.testclient import TestClient

    from testament.intake.web.app import create_app

    with TestClient(create_app(instance.settings), base_url="http://intake.onion") as other:
        stolen = csrf_token(other.get("/").text)
    client.get("/")
    assert client.post("/codename", data={"csrf_token": stolen}).status_code == 403


def test_a_submission_without_a_valid_csrf_token_stores_nothing(client, instance):
    new_source(client)
    response = client.post(
        "/source/submit",
        files=[("csrf_token", (None, "bad")), ("message", (None, b"forged"))],
    )
    assert response.status_code == 403
    assert list(instance.settings.incoming_folder.iterdir()) == []
    assert list(instance.settings.blob_folder.iterdir()) == []


def test_error_pages_are_generic_and_translated(client):
    page = client.get("/nowhere?lang=ru")
    assert page.status_code == 404
    assert "Страница не найдена" in page.text
    assert "Traceback" not in page.text


@pytest.mark.parametrize(
    ("accept_language", "query", "expected_html_lang", "expected_text"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.5", "", "ru", "Расскажите, что произошло"),
        ("en-GB,en;q=0.9", "", "en", "Tell us what happened"),
        ("de-DE,ru;q=0.4", "", "ru", "Расскажите, что произошло"),
        ("ru", "?lang=en", "en", "Tell us what happened"),
        ("", "?lang=ru", "ru", "Расскажите, что произошло"),
        ("", "?lang=xx", "en", "Tell us what happened"),
    ],
)
def test_language_from_accept_language_with_a_visible_switch(
    client, accept_language, query, expected_html_lang, expected_text
):
    page = client.get(f"/{query}", headers={"accept-language": accept_language})
    assert f'<html lang="{expected_html_lang}">' in page.text
    assert expected_text in page.text
    other = "en" if expected_html_lang == "ru" else "ru"
    assert f'href="/?lang={other}"' in page.text


def test_russian_source_gets_a_cyrillic_codename(client):
    codename = new_source(client, "ru")
    assert re.fullmatch(r"[а-я]+( [а-я]+){6}", codename)


def test_codename_is_not_in_any_cookie_or_header(client):
    front = client.get("/")
    response = client.post("/codename", data={"csrf_token": csrf_token(front.text)})
    codename = re.search(r'id="codename">([^<]+)<', response.text).group(1)
    words = codename.lower().split()
    for name, value in response.headers.items():
        assert codename not in value, name
        # joined by any separator (a hyphen, %20, +): the words in a row, in any header
        letters = re.sub(r"[^a-zа-яё]", "", value.lower())
        assert "".join(words) not in letters, name
        if name.lower() == "set-cookie":
            # one word alone, but only in a cookie's value: the fixed text of headers may hold
            # an ordinary word that a codename also has ("session" in testament_session)
            cookie_value = value.split(";", 1)[0].partition("=")[2].lower()
            for word in words:
                assert word not in cookie_value, name


def test_sent_confirmation_is_shown_after_a_submission(client):
    new_source(client)
    response = submit(client, "hello")
    assert "Thank you" in client.get(response.headers["location"]).text


def test_a_csrf_token_with_non_ascii_characters_is_refused_not_a_crash(client):
    client.get("/")
    response = client.post(
        "/codename",
        content=b"csrf_token=%D0%B6%D1%83%D0%BA",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403


def test_an_unexpected_error_gives_a_generic_page_and_logs_only_its_type(instance):
    import structlog
    from starlette.testclient import TestClient

    from testament.intake.web.app import create_app

    app = create_app(instance.settings)
    secret = "what the source wrote"

    def broken(*_args):
        raise RuntimeError(secret)

    with TestClient(app, base_url="http://intake.onion") as client:
        app.state.runtime.logins_per_browser.allow = broken  # a fault deep inside a handler
        form = client.get("/login")
        with structlog.testing.capture_logs() as logs:
            page = client.post("/login", data={"csrf_token": csrf_token(form.text)})
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert secret not in page.text
    assert {"event": "unexpected error", "error_type": "RuntimeError", "log_level": "error"} in logs
    assert secret not in repr(logs)


def test_rate_limits_throttle_the_source_or_browser_that_makes_requests_never_everyone(instance):
    import dataclasses

    from starlette.testclient import TestClient

    from testament.intake.web.app import create_app

    limited = dataclasses.replace(
        instance.settings, submissions_per_source_per_hour=2, logins_per_browser_per_minute=3
    )
    app = create_app(limited)
    with TestClient(app, base_url="http://intake.onion") as client:
        new_source(client)
        assert [submit(client, f"m{i}").status_code for i in range(3)] == [303, 303, 429]
        new_source(client)  # a second source is not held back by the first one's limit
        assert submit(client, "other").status_code == 303
        new_source(client)  # this browser's third codename this minute
        front = client.get("/")
        assert (
            client.post("/codename", data={"csrf_token": csrf_token(front.text)}).status_code == 429
        )
    with TestClient(app, base_url="http://intake.onion") as someone_else:
        new_source(someone_else)  # another browser (another cookie) is not locked out


def test_forged_posts_count_against_nobody(instance):
    import dataclasses

    from starlette.testclient import TestClient

    from testament.intake.web.app import create_app

    limited = dataclasses.replace(instance.settings, logins_per_browser_per_minute=2)
    with TestClient(create_app(limited), base_url="http://intake.onion") as client:
        client.get("/")
        for _ in range(50):
            assert client.post("/login", data={"csrf_token": "forged"}).status_code == 403
            assert client.post("/codename", data={"csrf_token": "forged"}).status_code == 403
        new_source(client)  # the same browser still gets its codename


def test_sessions_expire():
    import time

    from pyrage import x25519

    from testament.crypto.codenames import SourceKeys
    from testament.intake.web.sessions import SessionStore

    identity = x25519.Identity.generate()
    keys = SourceKeys("ab" * 32, str(identity.to_public()), identity)
    sessions = SessionStore(lifetime_seconds=0.05)
    token = sessions.open(keys)
    assert sessions.get(token).lookup_id == keys.lookup_id
    time.sleep(0.1)
    assert sessions.get(token) is None
