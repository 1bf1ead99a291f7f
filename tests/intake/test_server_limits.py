"""Limits that only a real server process can show: request headers are refused as they arrive."""

from __future__ import annotations

import contextlib
import socket

import pytest

from tests.intake.server import IntakeProcess

PAD = b"X-Pad: " + b"a" * 10_000 + b"\r\n"


@pytest.fixture
def server(tmp_path, instance):
    process = IntakeProcess(instance.folder, tmp_path / "server.log", tmp_path / "tmp").start()
    yield process
    process.stop()


def read_response(connection: socket.socket) -> bytes:
    """One whole response (the server closes the connection or sends a Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = connection.recv(65536)
        if not more:
            return data
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.mark.slow
def test_huge_request_headers_are_refused_before_they_are_buffered(server):
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: intake\r\n")
        try:
            while sent < 100_000_000:  # a server that buffered headers would take it all
                connection.sendall(PAD)
                sent += len(PAD)
        except OSError:
            pass  # the server hung up: what we want
        with contextlib.suppress(OSError):  # reset before the refusal could be read
            answer = connection.recv(4096)
    # Whatever the kernel's socket buffers absorbed before the server hung up, far less than
    # the 100 MB a header-buffering server would have accepted.
    assert sent < 20_000_000
    assert answer == b"" or answer.startswith((b"HTTP/1.1 400 ", b"HTTP/1.1 431 "))


@pytest.mark.slow
def test_a_body_arriving_with_its_headers_does_not_count_as_headers(server):
    body = b"x" * 300_000  # far beyond the header limit, in the same packets as the headers
    request = (
        b"POST /source/submit HTTP/1.1\r\nHost: intake\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        status = read_response(connection).split(b" ", 2)[1]
    assert status != b"431"


@pytest.mark.slow
def test_requests_one_after_another_on_one_connection_are_all_answered(server):
    request = b"GET / HTTP/1.1\r\nHost: intake\r\n" + PAD + b"\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        for _ in range(5):
            connection.sendall(request)
            assert read_response(connection).startswith(b"HTTP/1.1 200 ")
