"""A tiny SOCKS5 server for the desk's Tor-route tests: it stands in for Tor's SOCKS port.

CONNECT only, no authentication, on 127.0.0.1. It records each destination it is asked for (the
address type, so a test sees that a name, not an address, was sent; the name; the port) and
relays every connection to one local target (a live intake), as Tor would relay to the onion
service. Or it refuses, with a SOCKS reply code, as Tor does for an unreachable onion. Bounded:
each socket times out, a relay ends after ``RELAY_SECONDS``, and the server stops when its block
ends (and by itself after ``LIFETIME_SECONDS`` at most).
"""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

DOMAIN_NAME = 3  # SOCKS5 address type of a host name (1: IPv4, 4: IPv6)
HOST_UNREACHABLE = 4
RELAY_SECONDS = 60
LIFETIME_SECONDS = 300


@dataclass
class Socks5:
    """The running server: its URL, what it was asked for, and how it answers."""

    port: int
    target: tuple[str, int]
    refuse_with: int | None = None  # a SOCKS5 reply code, instead of relaying
    requests: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"socks5h://127.0.0.1:{self.port}"


def _exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return data


def _destination(conn: socket.socket) -> tuple[int, str, int]:
    _version, methods = _exactly(conn, 2)
    _exactly(conn, methods)
    conn.sendall(b"\x05\x00")  # no authentication
    _version, _command, _reserved, kind = _exactly(conn, 4)
    if kind == DOMAIN_NAME:
        host = _exactly(conn, _exactly(conn, 1)[0]).decode("ascii")
    elif kind == 1:
        host = socket.inet_ntop(socket.AF_INET, _exactly(conn, 4))
    else:
        host = socket.inet_ntop(socket.AF_INET6, _exactly(conn, 16))
    return kind, host, int.from_bytes(_exactly(conn, 2), "big")


def _relay(one: socket.socket, other: socket.socket) -> None:
    deadline = time.monotonic() + RELAY_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(one, selectors.EVENT_READ, other)
        selector.register(other, selectors.EVENT_READ, one)
        while time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                data = key.fileobj.recv(1 << 16)  # type: ignore[union-attr]
                if not data:
                    return
                key.data.sendall(data)


@contextmanager
def socks5_server(target: tuple[str, int], refuse_with: int | None = None) -> Iterator[Socks5]:
    """A SOCKS5 server on 127.0.0.1 relaying to ``target`` until the block ends."""
    state: Socks5

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            conn: socket.socket = self.request
            conn.settimeout(10)
            kind, host, port = _destination(conn)
            state.requests.append((kind, host, port))
            if state.refuse_with is not None:
                conn.sendall(bytes([5, state.refuse_with, 0, 1]) + bytes(6))
                return
            with socket.create_connection(state.target, timeout=10) as upstream:
                conn.sendall(b"\x05\x00\x00\x01" + bytes(6))  # succeeded; bound 0.0.0.0:0
                _relay(conn, upstream)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    state = Socks5(server.server_address[1], target, refuse_with)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    stop_anyway = threading.Timer(LIFETIME_SECONDS, server.shutdown)
    stop_anyway.daemon = True
    stop_anyway.start()
    try:
        yield state
    finally:
        stop_anyway.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
