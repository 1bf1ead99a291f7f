"""The canary: what a source writes, and their codename, appear nowhere on the intake's disk.

A real intake process serves a whole journey (codename, message, file, reply, log-in, reading
the reply). Then every log line, every file under the instance folder and every file in the
process's temporary directory is searched for the canary and the codename, as UTF-8 and UTF-16.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import httpx2 as httpx
import pytest
import structlog

from testament.crypto.age import encrypt_bytes, parse_recipient
from tests.intake.conftest import csrf_token
from tests.intake.conftest import new_source as new_source_in_process
from tests.intake.conftest import submit as submit_in_process
from tests.intake.server import IntakeProcess, csrf, new_source


def encodings(text: str) -> list[bytes]:
    return [text.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def files_under(folder: Path, *, since: float = 0.0) -> list[Path]:
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            if stat.st_mtime >= since and stat.st_size < 64 * 1024 * 1024 and path.is_file():
                found.append(path)
    return found


def leaks(paths: list[Path], secrets_: list[str]) -> list[str]:
    needles = [(s, e) for s in secrets_ for e in encodings(s)]
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found += [f"{path}: {s!r}" for s, needle in needles if needle in data]
    return found


@pytest.mark.slow
def test_canary_and_codename_never_reach_disk_logs_or_temporary_files(tmp_path, instance):
    started = time.time() - 1
    canary = f"КАНАРЕЙКА-{secrets.token_hex(8)}-canary"
    server = IntakeProcess(instance.folder, tmp_path / "server.log", tmp_path / "tmp").start()
    desk = {"Authorization": f"Bearer {instance.desk_token}"}
    try:
        with httpx.Client(base_url=server.url, follow_redirects=True) as client:
            codename = new_source(client, "ru")
            form = client.get("/source?lang=ru")
            sent = client.post(
                "/source/submit?lang=ru",
                files=[
                    ("csrf_token", (None, csrf(form.text))),
                    ("message", (None, f"Меня зовут {canary}".encode())),
                    ("file", (f"{canary}.txt", f"file {canary}".encode(), "text/plain")),
                ],
            )
            assert sent.status_code == 200
            assert "sent=1" in str(sent.url)
            listing = client.get("/desk/v1/submissions", headers=desk).json()["submissions"][0]
            reply = encrypt_bytes(
                f"ответ {canary}".encode(), [parse_recipient(listing["source_recipient"])]
            )
            client.post(
                f"/desk/v1/sources/{listing['source']}/replies", content=reply, headers=desk
            ).raise_for_status()
            client.cookies.clear()
            login = client.get("/login?lang=ru")
            page = client.post(
                "/login?lang=ru",
                data={"csrf_token": csrf(login.text), "codename": codename.upper()},
            )
            assert f"ответ {canary}" in page.text
    finally:
        server.stop()
    searched = (
        files_under(instance.folder)
        + files_under(server.tmp)
        + [server.log]
        + files_under(Path("/tmp"), since=started)
        + files_under(Path("/dev/shm"), since=started)
    )
    assert len(files_under(instance.folder)) >= 4  # settings, database, two blobs, a reply
    assert leaks(searched, [canary, codename]) == []


def test_logs_of_a_whole_journey_carry_no_testimony_codename_or_address(client, instance):
    canary = f"canary-{secrets.token_hex(8)}"
    with structlog.testing.capture_logs() as logs:
        codename = new_source_in_process(client)
        submit_in_process(client, canary, files=[(f"{canary}.txt", canary.encode(), "text/plain")])
        client.cookies.clear()
        form = client.get("/login")
        client.post("/login", data={"csrf_token": csrf_token(form.text), "codename": codename})
    assert {entry["event"] for entry in logs} >= {"codename issued", "submission stored", "log-in"}
    text = repr(logs)
    for secret in (canary, codename, "testclient", "127.0.0.1", *codename.split()):
        assert secret not in text


def test_redaction_replaces_whatever_is_logged_under_a_sensitive_key():
    from testament.intake.logs import REDACTED, get_logger

    with structlog.testing.capture_logs() as logs:
        get_logger().info("oops", codename="a b c", ip="10.0.0.1", user_agent="Tor", items=2)
    assert logs == [
        {
            "event": "oops",
            "codename": REDACTED,
            "ip": REDACTED,
            "user_agent": REDACTED,
            "items": 2,
            "log_level": "info",
        }
    ]
