"""Limits and what never reaches a log: oversized headers, the last net, secrets in logs."""

from __future__ import annotations

import structlog

from tests.deskweb.conftest import PASSWORD, csrf_of

SECRET_TEXT = "они забрали Руслана ночью"


def test_oversized_request_headers_are_refused(client):
    response = client.get("/login", headers={"x-padding": "a" * 20_000})
    assert response.status_code == 431
    assert response.headers["x-frame-options"] == "DENY"


def test_an_oversized_form_is_refused_before_it_is_read(logged_in):
    browser = logged_in("admin")
    token = csrf_of(browser.get("/inbox").text)
    response = browser.post(
        "/records/source/t-secret", data={"csrf_token": token, "reason": "x" * 20_000}
    )
    assert response.status_code == 413


def test_passwords_codes_tokens_and_testimony_never_reach_a_log(desk, logged_in, client):
    with structlog.testing.capture_logs() as logs:
        desk.log_in(client, "researcher", password="a wrong password here")
        browser = logged_in("researcher")
        token = csrf_of(browser.get("/records/source/t-secret").text)
        browser.post("/records/source/t-secret", data={"csrf_token": token, "reason": "a reason"})
        browser.get("/nowhere")
    written = repr(logs)
    cookie = browser.cookies.get("testament_desk_session")
    for secret in (PASSWORD, SECRET_TEXT, token, cookie, desk.secrets["researcher"]):
        assert secret not in written


def test_an_unexpected_error_is_a_generic_page_and_only_its_type_is_logged(desk, logged_in):
    import re
    import shutil

    browser = logged_in("viewer")
    page = browser.get("/records/source/t-public").text
    action = re.search(r'action="(/records/source/t-public/files/[^"]+/original)"', page).group(1)
    shutil.rmtree(desk.casebook_path.with_name(desk.casebook_path.name + ".evidence"))
    with structlog.testing.capture_logs() as logs:
        response = browser.post(action, data={"csrf_token": csrf_of(page)})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert ".evidence" not in response.text
    assert logs == [
        {"event": "unexpected error", "error_type": "RuntimeError", "log_level": "error"}
    ]


def test_a_desk_on_loopback_answers_only_to_loopback_names(desk):
    """DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1 reaches
    nothing, not even the log-in form (it could otherwise lock accounts out by guessing)."""
    import dataclasses

    from starlette.testclient import TestClient

    from testament.cli.desk_web import LOOPBACK_NAMES
    from testament.desk.web import create_app

    settings = dataclasses.replace(desk.settings, allowed_hosts=LOOPBACK_NAMES)
    with TestClient(
        create_app(settings, clock=desk.clock), base_url="https://127.0.0.1:8081"
    ) as ok:
        assert ok.get("/login").status_code == 200
    with TestClient(
        create_app(settings, clock=desk.clock), base_url="https://evil.example"
    ) as evil:
        refused = evil.get("/login")
        assert refused.status_code == 400
        assert refused.headers["x-frame-options"] == "DENY"
