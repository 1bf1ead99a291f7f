"""Limits that only a real server process can show: request headers are refused as they arrive."""

from __future__ import annotations

import socket

import pytest

from tests.intake.server import IntakeProcess

PAD = b"X-Pad: " + b"a" * 10_000 + b"\r\n"


@pytest.mark.slow
def test_huge_request_headers_are_refused_before_they_are_buffered(tmp_path, instance):
    server = IntakeProcess(instance.folder, tmp_path / "server.log", tmp_path / "tmp").start()
    sent = 0
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: intake\r\n")
            try:
                while sent < 100_000_000:  # a server that buffered headers would take it all
                    connection.sendall(PAD)
                    sent += len(PAD)
            except OSError:
                pass  # the server hung up: what we want
    finally:
        server.stop()
    # Whatever the kernel's socket buffers absorbed before the server hung up, far less than
    # the 100 MB a header-buffering server would have accepted.
    assert sent < 20_000_000
