"""What an attacker and a frightened source found (issue 11), each as a rule the intake keeps.

Tests that need a real server process (connections, timeouts, threads) start one with the
instance's settings tightened where the default would make the test wait minutes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from testament.crypto.age import encrypt_bytes
from testament.intake.settings import write_settings
from testament.intake.store import IntakeStore
from tests.intake.server import IntakeProcess, csrf, new_source

BOUNDARY = "testamentboundary"


def start(instance, tmp_path, **settings) -> IntakeProcess:
    write_settings(dataclasses.replace(instance.settings, **settings))
    return IntakeProcess(instance.folder, tmp_path / "server.log", tmp_path / "tmp").start()


def logged_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=10)
    codename = new_source(client)
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf(page.text), "codename": codename})
    return client


def stalled_upload(url: str, client: httpx.Client) -> socket.socket:
    """An upload that sends its headers and one byte of a large body, then nothing."""
    token = csrf(client.get("/source").text)
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    head = (
        f"POST /source/submit HTTP/1.1\r\nHost: intake\r\nCookie: {cookies}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        "Content-Length: 100000000\r\n\r\n"
    ).encode()
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="message"\r\n\r\nx'
    ).encode()
    host, port = url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)))
    connection.sendall(head + body)
    return connection


def timed(call) -> float:
    began = time.monotonic()
    call()
    return time.monotonic() - began


def test_stalled_uploads_do_not_freeze_log_ins_pages_or_the_desk_api(instance, tmp_path):
    # Forty uploads that send a byte and stall used to hold every worker thread: log-ins,
    # static files and the desk API then waited for minutes.
    server = start(instance, tmp_path)
    stalled: list[socket.socket] = []
    try:
        sources = [logged_in(server.url) for _ in range(20)]
        stalled = [stalled_upload(server.url, s) for s in sources for _ in range(2)]
        for source in sources:
            source.close()
        time.sleep(1.0)
        desk = {"authorization": f"Bearer {instance.desk_token}"}

        def fresh(call):
            # one client per request: a browser's cookie jar is not shared between threads
            def run() -> None:
                with httpx.Client(base_url=server.url, timeout=20) as client:
                    call(client)

            return run

        with ThreadPoolExecutor(4) as pool:
            waits = list(
                pool.map(
                    timed,
                    [
                        fresh(lambda c: c.get("/static/intake.css").raise_for_status()),
                        fresh(lambda c: c.get("/login").raise_for_status()),
                        fresh(new_source),
                        fresh(
                            lambda c: c.get("/desk/v1/submissions", headers=desk).raise_for_status()
                        ),
                    ],
                )
            )
        assert max(waits) < 5, waits
    finally:
        for connection in stalled:
            connection.close()
        server.stop()


def test_uploads_beyond_the_bounds_get_a_busy_page_at_once(instance, tmp_path):
    server = start(instance, tmp_path, max_uploads_per_source=1)
    try:
        with contextlib.closing(logged_in(server.url)) as source:
            first = stalled_upload(server.url, source)
            time.sleep(0.5)
            second = stalled_upload(server.url, source)
        second.settimeout(5)
        answer = second.recv(65536)
        assert answer.startswith(b"HTTP/1.1 503")
        first.close()
        second.close()
    finally:
        server.stop()


def test_an_upload_trickling_below_the_minimum_rate_is_abandoned(instance, tmp_path):
    server = start(
        instance,
        tmp_path,
        upload_rate_grace_seconds=1.0,
        upload_min_bytes_per_second=1000.0,
    )
    try:
        with contextlib.closing(logged_in(server.url)) as source:
            connection = stalled_upload(server.url, source)
        connection.settimeout(10)
        began = time.monotonic()
        answer = connection.recv(65536)
        assert answer.startswith(b"HTTP/1.1 413")
        assert time.monotonic() - began < 6
        connection.close()
        assert not any((instance.folder / "incoming").iterdir())
    finally:
        server.stop()


def test_idle_connections_and_trickled_headers_are_closed(instance, tmp_path):
    server = start(instance, tmp_path, request_header_timeout_seconds=1.0)
    try:
        silent = socket.create_connection(("127.0.0.1", server.port))
        trickle = socket.create_connection(("127.0.0.1", server.port))
        trickle.sendall(b"GET / HTTP/1.1\r\nHost: intake\r\n")
        for connection in (silent, trickle):
            connection.settimeout(5)
            began = time.monotonic()
            assert connection.recv(1024) == b""  # closed by the server
            assert time.monotonic() - began < 3
            connection.close()
        # a complete request on a fresh connection is still answered
        assert httpx.get(f"{server.url}/", timeout=5).status_code == 200
    finally:
        server.stop()


def test_connections_beyond_the_cap_are_closed_before_any_request(instance, tmp_path):
    server = start(instance, tmp_path, max_connections=4)
    try:
        time.sleep(0.5)  # the start-up probe's connection is gone
        held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", server.port))
        extra.settimeout(5)
        try:
            extra.sendall(b"GET / HTTP/1.1\r\nHost: intake\r\n\r\n")
            answer = extra.recv(1024)
        except ConnectionResetError:
            answer = b""
        assert answer == b""
        for connection in [*held, extra]:
            connection.close()
        time.sleep(0.3)
        assert httpx.get(f"{server.url}/", timeout=5).status_code == 200
    finally:
        server.stop()


# In-process: pages and forms ------------------------------------------------------------------


def test_a_path_naming_another_site_never_becomes_a_link_to_it(client):
    page = client.get("//evil.example/x")
    assert page.status_code == 404
    assert "evil.example" not in page.text
    assert 'href="/?lang=ru"' in page.text


def test_language_links_point_back_to_the_page_they_are_on(client):
    assert 'href="/login?lang=ru"' in client.get("/login").text


def test_static_files_carry_no_clock(client):
    response = client.get("/static/intake.css")
    assert response.status_code == 200
    for name in ("last-modified", "etag", "date"):
        assert name not in response.headers


def _log_in(client) -> str:
    page = client.post("/codename", data={"csrf_token": csrf(client.get("/").text)})
    return page.text.split('id="codename">')[1].split("<")[0]


def _form(token: str, message: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="message"\r\n\r\n{message}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\nJPEGBYTES\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()


def test_a_testimony_sent_after_the_session_ran_out_is_given_back_not_lost(client, instance):
    codename = _log_in(client)  # a new source: nothing sent yet
    token = csrf(client.get("/source").text)
    client.app.state.runtime.sessions._sessions.clear()  # the session runs out while writing
    text = "They took him on Tuesday <b>near the market</b>"
    page = client.post(
        "/source/submit",
        content=_form(token, text),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        follow_redirects=False,
    )
    assert page.status_code == 401
    assert "nothing was stored" in page.text
    assert "They took him on Tuesday &lt;b&gt;near the market&lt;/b&gt;" in page.text
    assert not IntakeStore(instance.folder).pending_submissions()
    again = client.post(
        "/login",
        data={"csrf_token": csrf(page.text), "codename": codename, "message": text},
        follow_redirects=False,
    )
    assert again.status_code == 200
    assert 'name="message"' in again.text
    assert "They took him on Tuesday &lt;b&gt;near the market&lt;/b&gt;</textarea>" in again.text


def test_one_malformed_reply_does_not_break_the_source_page(client, instance):
    _log_in(client)
    store = IntakeStore(instance.folder)
    token = csrf(client.get("/source").text)
    client.post(
        "/source/submit",
        content=_form(token, "hello"),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    (submission,) = store.pending_submissions()
    session = next(iter(client.app.state.runtime.sessions._sessions.values()))
    # encrypted to the source, but not a reply (not UTF-8 text or an item: a broken item header)
    broken = encrypt_bytes(b"testament-item/2\n" + b"x" * 5000, [session.identity.to_public()])
    path = store.new_incoming_path()
    path.write_bytes(broken)
    store.add_reply(submission.source, path)
    page = client.get("/source")
    assert page.status_code == 200
    assert "An answer could not be read" in page.text


def test_the_size_limit_is_said_in_words_that_are_never_zero(client, instance):
    client.app.state.runtime.settings = dataclasses.replace(
        instance.settings, max_body_bytes=500 * 1024**2
    )
    _log_in(client)
    assert "Up to 500 MB in total" in client.get("/source?lang=en").text
    assert "Всего до 500 МБ" in client.get("/source?lang=ru").text


def test_the_source_is_told_about_location_before_sending_and_sees_answers_first(client):
    _log_in(client)
    page = client.get("/source?lang=en").text
    assert "record where and when they were taken" in page
    assert page.index("Answers from the researchers") < page.index('id="submission"')
    status = page.index("data-seal-status")
    assert status < page.index("Encrypt and send")  # the status sits where the eye is


def test_a_sealed_part_must_be_a_whole_age_file_not_just_its_first_line(client, instance):
    _log_in(client)
    token = csrf(client.get("/source").text)
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="sealed_message"; '
        'filename="m.age"\r\nContent-Type: application/octet-stream\r\n\r\n'
        "age-encryption.org/v1\nthe plaintext of a forged part\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    response = client.post(
        "/source/submit",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 400
    assert not IntakeStore(instance.folder).pending_submissions()
    assert not any((instance.folder / "incoming").iterdir())


def test_a_reply_must_be_a_whole_age_file(client, instance):
    _log_in(client)
    token = csrf(client.get("/source").text)
    client.post(
        "/source/submit",
        content=_form(token, "hello"),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    (submission,) = IntakeStore(instance.folder).pending_submissions()
    response = client.post(
        f"/desk/v1/sources/{submission.source}/replies",
        content=b"age-encryption.org/v1\nnot really\n",
        headers={"authorization": f"Bearer {instance.desk_token}"},
    )
    assert response.status_code == 400


def test_multipart_parse_warnings_never_reach_a_log(client, caplog):
    _log_in(client)
    token = csrf(client.get("/source").text)
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f"--{BOUNDARY}\r\nSECRET\x01NAME: x\r\n\r\nsecret testimony\r\n--{BOUNDARY}--\r\n"
    ).encode()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/source/submit",
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name.startswith(("python_multipart", "multipart"))]


@pytest.mark.parametrize("name", ["submissions_per_minute", "logins_per_minute"])
def test_settings_of_earlier_versions_are_ignored_and_named(instance, name):
    from testament.intake.settings import load_settings, removed_settings

    path = instance.folder / "intake.toml"
    path.write_text(path.read_text() + f"{name} = 30\n")
    load_settings(instance.folder)  # still starts
    (note,) = removed_settings(instance.folder)
    assert note.startswith(name)
