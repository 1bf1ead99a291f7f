"""The streaming upload on its own: bounded by limits, including a stall between chunks."""

from __future__ import annotations

import anyio
import pytest
from pyrage import x25519

from testament.intake.errors import LimitExceededError, SubmissionRejectedError
from testament.intake.upload import UploadLimits, receive_upload

HEAD = b'--bb\r\nContent-Disposition: form-data; name="file"; filename="v.mp4"\r\n\r\n'
TAIL = b"\r\n--bb--\r\n"


def receive(tmp_path, body, *, idle=5.0, max_body=10**9):
    names = iter(range(1000))

    async def run():
        return await receive_upload(
            body(),
            "multipart/form-data; boundary=bb",
            recipients=[x25519.Identity.generate().to_public()],
            new_path=lambda: tmp_path / str(next(names)),
            check_csrf=lambda _token: True,
            limits=UploadLimits(max_body, 10, 8192, idle),
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
