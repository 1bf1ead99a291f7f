"""The streaming upload on its own: bounded by limits, including a stall between chunks."""

from __future__ import annotations

import dataclasses
import io

import anyio
import pytest
from pyrage import x25519

from testament.crypto.age import decrypt_stream
from testament.crypto.items import read_item
from testament.intake.errors import LimitExceededError, SubmissionRejectedError
from testament.intake.upload import UploadLimits, receive_upload

HEAD = b'--bb\r\nContent-Disposition: form-data; name="file"; filename="v.mp4"\r\n\r\n'
TAIL = b"\r\n--bb--\r\n"


def receive(
    tmp_path, body, *, idle=5.0, max_body=10**9, reviewer=None, declared_length=None, helper=False
):
    """Receive ``body()``; with ``helper``, files are encrypted by the helper process."""
    names = iter(range(1000))
    reviewer = reviewer or x25519.Identity.generate()
    limits = UploadLimits(max_body, 10, 8192, idle)
    if helper:
        limits = dataclasses.replace(limits, helper_process_from_bytes=1)

    async def run():
        return await receive_upload(
            body(),
            "multipart/form-data; boundary=bb",
            recipients=[reviewer.to_public()],
            new_path=lambda: tmp_path / str(next(names)),
            check_csrf=lambda _token: True,
            limits=limits,
            declared_length=declared_length,
        )

    return anyio.run(run)


def test_a_body_in_many_small_chunks_becomes_one_item(tmp_path):
    async def body():
        yield HEAD
        for _ in range(3000):
            yield b"0123456789" * 40
        yield TAIL

    upload = receive(tmp_path, body)
    assert [item.kind for item in upload.items] == ["file"]
    assert upload.items[0].size > 3000 * 400


def test_an_upload_that_stalls_longer_than_the_idle_timeout_is_abandoned(tmp_path):
    async def body():
        yield HEAD + b"some bytes"
        await anyio.sleep(5)
        yield TAIL

    with pytest.raises(LimitExceededError):
        receive(tmp_path, body, idle=0.2)
    assert list(tmp_path.iterdir()) == []


def test_a_body_longer_than_declared_limits_is_cut_off_while_streaming(tmp_path):
    async def body():
        yield HEAD
        while True:
            yield b"x" * 65536

    with pytest.raises(LimitExceededError):
        receive(tmp_path, body, max_body=1_000_000)
    assert list(tmp_path.iterdir()) == []


def test_a_client_that_goes_away_leaves_nothing(tmp_path):
    async def body():
        yield HEAD + b"half a file"
        raise ConnectionResetError

    with pytest.raises(SubmissionRejectedError):
        receive(tmp_path, body)
    assert list(tmp_path.iterdir()) == []


def test_large_uploads_are_encrypted_in_a_helper_process_into_standard_age(tmp_path):
    reviewer = x25519.Identity.generate()
    body_bytes = bytes(range(256)) * 4096  # 1 MiB in 64 KiB chunks

    async def body():
        yield HEAD
        for start in range(0, len(body_bytes), 65536):
            yield body_bytes[start : start + 65536]
        yield TAIL

    declared = len(HEAD) + len(body_bytes) + len(TAIL)
    upload = receive(tmp_path, body, reviewer=reviewer, declared_length=declared, helper=True)
    plaintext = io.BytesIO()
    with upload.items[0].incoming_path.open("rb") as sealed:
        decrypt_stream(sealed, plaintext, [reviewer])
    plaintext.seek(0)
    header, stream = read_item(plaintext)
    assert (header.kind, header.filename) == ("file", "v.mp4")
    assert stream.read() == body_bytes
    assert upload.items[0].size == upload.items[0].incoming_path.stat().st_size


def test_a_failing_helper_process_rejects_the_upload_and_leaves_nothing(tmp_path):
    async def body():
        yield HEAD
        for _ in range(64):
            yield b"y" * 65536
        yield TAIL

    with pytest.raises(LimitExceededError):
        # a lying Content-Length: the stream is cut at the limit
        receive(tmp_path, body, max_body=1_000_000, declared_length=100, helper=True)
    assert list(tmp_path.iterdir()) == []
