"""``kill -9`` in the middle of a large upload: nothing partial becomes visible, no plaintext is
left, and the next start is clean."""

from __future__ import annotations

import secrets
import socket
import time

import httpx2 as httpx
import pytest

from tests.intake.server import IntakeProcess, csrf, new_source

UPLOAD_BYTES = 64 * 1024 * 1024


@pytest.mark.slow
def test_kill_9_mid_upload_leaves_only_ciphertext_that_the_next_start_removes(tmp_path, instance):
    canary = f"CANARY-{secrets.token_hex(8)}-".encode()
    server = IntakeProcess(instance.folder, tmp_path / "server.log", tmp_path / "tmp").start()
    desk = {"Authorization": f"Bearer {instance.desk_token}"}
    incoming = instance.settings.incoming_folder
    try:
        with httpx.Client(base_url=server.url) as client:
            new_source(client)
            token = csrf(client.get("/source").text)
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        boundary = "crashBoundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="video.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
        ).encode()
        request = (
            f"POST /source/submit HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(head) + UPLOAD_BYTES + 100}\r\nCookie: {cookies}\r\n\r\n"
        ).encode()
        chunk = canary * (1024 * 1024 // len(canary))
        with socket.create_connection(("127.0.0.1", server.port)) as upload:
            upload.sendall(request + head)
            for _ in range(UPLOAD_BYTES // 2 // len(chunk)):
                upload.sendall(chunk)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                partial = [p for p in incoming.iterdir() if p.stat().st_size > 1024 * 1024]
                if partial:
                    break
                time.sleep(0.05)
            assert partial, "the upload did not reach the disk as ciphertext"
            server.kill()
        fragments = list(incoming.iterdir())
        assert fragments
        for path in instance.folder.rglob("*"):
            if path.is_file():
                assert canary not in path.read_bytes(), path
        for fragment in fragments:
            assert fragment.read_bytes().startswith(b"age-encryption.org/v1\n")
        assert list(instance.settings.blob_folder.iterdir()) == []

        server.start()
        assert list(incoming.iterdir()) == []
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/desk/v1/submissions", headers=desk).json() == {"submissions": []}
            new_source(client)
            form = client.get("/source")
            sent = client.post(
                "/source/submit",
                files=[("csrf_token", (None, csrf(form.text))), ("message", (None, b"after"))],
            )
            assert sent.status_code == 303
            assert len(client.get("/desk/v1/submissions", headers=desk).json()["submissions"]) == 1
    finally:
        server.stop()
