"""Hostile and broken input: every case is refused cleanly and leaves nothing behind."""

from __future__ import annotations

import dataclasses
import io

import pytest
from starlette.testclient import TestClient

from testament.crypto.age import decrypt_bytes
from testament.crypto.items import read_item
from testament.intake.web.app import create_app
from tests.intake.conftest import csrf_token, desk, new_source, submit

BOUNDARY = "xYzBoundary"


def raw_post(client, body: bytes, content_type=f"multipart/form-data; boundary={BOUNDARY}"):
    return client.post(
        "/source/submit",
        content=body,
        headers={"content-type": content_type},
        follow_redirects=False,
    )


def part(name: str, data: bytes, filename: str | None = None, content_type: str | None = None):
    disposition = f'form-data; name="{name}"' + (
        f'; filename="{filename}"' if filename is not None else ""
    )
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + data + b"\r\n"


def end() -> bytes:
    return f"--{BOUNDARY}--\r\n".encode()


def nothing_kept(instance) -> bool:
    folder = instance.settings
    return not any(folder.incoming_folder.iterdir()) and not any(folder.blob_folder.iterdir())


@pytest.fixture
def source(client):
    new_source(client)
    return client


def token(client) -> bytes:
    return csrf_token(client.get("/source").text).encode()


def test_malformed_multipart_is_refused(source, instance):
    body = part("csrf_token", token(source)) + b"--" + BOUNDARY.encode() + b"\r\ngarbage\r\n\r\n"
    assert raw_post(source, body).status_code == 400
    assert nothing_kept(instance)


def test_a_body_that_stops_before_its_closing_boundary_is_refused(source, instance):
    body = part("csrf_token", token(source)) + part("message", b"cut off")
    assert raw_post(source, body).status_code == 400
    assert nothing_kept(instance)


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded", ""]
)
def test_a_body_without_a_multipart_boundary_is_refused(source, instance, content_type):
    assert raw_post(source, b"message=hello", content_type=content_type).status_code == 400
    assert nothing_kept(instance)


def test_a_body_over_the_size_limit_is_refused_and_nothing_is_kept(instance):
    settings = dataclasses.replace(instance.settings, max_body_bytes=64 * 1024)
    with TestClient(create_app(settings), base_url="http://intake.onion") as client:
        new_source(client)
        body = part("csrf_token", token(client)) + part("file", b"z" * 100_000, "big.bin") + end()
        response = raw_post(client, body)
        assert response.status_code == 413
        assert "larger than this site accepts" in response.text
        assert nothing_kept(instance)


def test_ten_thousand_parts_are_refused(source, instance):
    body = part("csrf_token", token(source)) + b"".join(
        part("message", b"x") for _ in range(10_000)
    )
    response = raw_post(source, body + end())
    assert response.status_code == 413
    assert nothing_kept(instance)


def test_huge_part_headers_are_refused(source, instance):
    body = part("csrf_token", token(source)) + part("file", b"x", "a" * 20_000) + end()
    assert raw_post(source, body).status_code in (400, 413)
    assert nothing_kept(instance)


def test_huge_request_headers_are_refused(client):
    response = client.get("/", headers={"x-padding": "p" * 20_000})
    assert response.status_code == 431


def test_invalid_utf8_in_a_message_is_refused(source, instance):
    body = part("csrf_token", token(source)) + part("message", b"ok \xff\xfe broken") + end()
    assert raw_post(source, body).status_code == 400
    assert nothing_kept(instance)


def test_a_sealed_part_that_is_not_age_is_refused(source, instance):
    body = (
        part("csrf_token", token(source))
        + part("sealed_message", b"plain text pretending", None, "application/octet-stream")
        + end()
    )
    assert raw_post(source, body).status_code == 400
    assert nothing_kept(instance)


@pytest.mark.parametrize(
    ("hostile_name", "stored_name"),
    [
        ("../../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("evil\x00.jpg", "evil.jpg"),
        ("/absolute/path/x.pdf", "x.pdf"),
    ],
)
def test_path_traversal_and_nul_file_names_are_made_harmless(
    source, instance, hostile_name, stored_name
):
    body = part("csrf_token", token(source)) + part("file", b"data", hostile_name) + end()
    assert raw_post(source, body).status_code == 303
    assert [p.name for p in instance.settings.blob_folder.iterdir()] != [hostile_name]
    listing = source.get("/desk/v1/submissions", headers=desk(source, instance)).json()
    item = listing["submissions"][0]["items"][0]
    sealed = source.get(f"/desk/v1/items/{item['id']}", headers=desk(source, instance)).content
    header, _ = read_item(io.BytesIO(decrypt_bytes(sealed, [instance.reviewer])))
    assert header.filename == stored_name


def test_an_xss_payload_in_a_reply_is_escaped_when_shown(source, instance):
    from testament.crypto.age import encrypt_bytes, parse_recipient

    submit(source, "hello")
    listing = source.get("/desk/v1/submissions", headers=desk(source, instance)).json()
    submission = listing["submissions"][0]
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    sealed = encrypt_bytes(payload.encode(), [parse_recipient(submission["source_recipient"])])
    source.post(
        f"/desk/v1/sources/{submission['source']}/replies",
        content=sealed,
        headers=desk(source, instance),
    )
    html = source.get("/source").text
    assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_forged_submission_without_a_session_is_refused_and_keeps_nothing(client, instance):
    body = part("message", b"who am i") + end()
    response = client.post(
        "/source/submit",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "who am i" not in response.text
    assert nothing_kept(instance)
