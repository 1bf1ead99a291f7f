"""The desk API: bearer token in constant time, generic refusals, replies, retention."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from testament.intake.store import IntakeStore
from testament.intake.web.app import create_app
from testament.intake.web.desk_api import token_sha256
from tests.intake.conftest import desk, new_source, submit

DESK_CALLS = [
    ("get", "/desk/v1/submissions"),
    ("get", "/desk/v1/items/0123456789abcdef0123456789abcdef"),
    ("post", "/desk/v1/submissions/0123456789abcdef0123456789abcdef/ack"),
    ("post", "/desk/v1/sources/0123456789abcdef0123456789abcdef/replies"),
]


@pytest.mark.parametrize(("method", "path"), DESK_CALLS)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "bearer" + " " * 3],
)
def test_every_desk_call_needs_the_token(client, method, path, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_replaced_token_no_longer_works(instance):
    new_token = secrets.token_urlsafe(32)
    rotated = dataclasses.replace(instance.settings, desk_token_sha256=token_sha256(new_token))
    with TestClient(create_app(rotated), base_url="http://intake.onion") as client:
        old = client.get("/desk/v1/submissions", headers=desk(client, instance))
        new = client.get("/desk/v1/submissions", headers={"Authorization": f"Bearer {new_token}"})
    assert old.status_code == 401
    assert new.status_code == 200


def test_an_instance_without_a_token_refuses_the_desk(instance):
    untokened = dataclasses.replace(instance.settings, desk_token_sha256="")
    with TestClient(create_app(untokened), base_url="http://intake.onion") as client:
        assert client.get("/desk/v1/submissions", headers=desk(client, instance)).status_code == 401


def test_unknown_ids_are_404_with_a_generic_body(client, instance):
    for method, path in DESK_CALLS[1:]:
        response = getattr(client, method)(path, headers=desk(client, instance))
        assert response.status_code == 404, path
        assert response.json() == {"error": "not found"}


def test_a_reply_must_be_a_binary_age_file(client, instance):
    new_source(client)
    submit(client, "hi")
    source = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()[
        "submissions"
    ][0]["source"]
    for body in (b"", b"plain words", b"-----BEGIN AGE ENCRYPTED FILE-----\n"):
        response = client.post(
            f"/desk/v1/sources/{source}/replies", content=body, headers=desk(client, instance)
        )
        assert response.status_code == 400
    assert list(instance.settings.incoming_folder.iterdir()) == []


def test_acknowledged_ciphertext_is_deleted_after_the_retention_days(client, instance):
    new_source(client)
    submit(client, "to be deleted", files=[("a.bin", b"abc", "application/octet-stream")])
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    submission = listing["submissions"][0]["id"]
    client.post(f"/desk/v1/submissions/{submission}/ack", headers=desk(client, instance))
    store = IntakeStore(instance.folder)
    days = instance.settings.retention_days
    today = datetime.now(UTC).date()
    assert store.purge_acknowledged(days, on=today + timedelta(days=days - 1)) == 0
    assert len(list(instance.settings.blob_folder.iterdir())) == 2
    assert store.purge_acknowledged(days, on=today + timedelta(days=days)) == 1
    assert list(instance.settings.blob_folder.iterdir()) == []


def test_unacknowledged_submissions_are_never_purged(client, instance):
    new_source(client)
    submit(client, "keep me")
    store = IntakeStore(instance.folder)
    later = datetime.now(UTC).date() + timedelta(days=10_000)
    assert store.purge_acknowledged(instance.settings.retention_days, on=later) == 0
    assert (
        len(
            client.get("/desk/v1/submissions", headers=desk(client, instance)).json()["submissions"]
        )
        == 1
    )


def test_the_database_uses_secure_delete_and_no_write_ahead_log(client, instance):
    import sqlite3

    new_source(client)
    submit(client, "x")
    connection = sqlite3.connect(instance.settings.database_path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()
    assert not instance.settings.database_path.with_name("intake.sqlite-wal").exists()
