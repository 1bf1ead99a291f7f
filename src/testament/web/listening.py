"""A server's socket (the intake's, the desk's): bound before the server starts so that
failures are clear, announced once the app accepts connections.

Left to uvicorn, a port already in use (a second server, a forgotten one) showed up as a log
line after the app had started its housekeeping, and an exit status of 3; and where the app
listened was never said (uvicorn's own line is below the log level the apps use). Binding here
first turns each failure into the app's own error that names the address and what to do
(``Advice`` words it for each app). The socket starts listening only when uvicorn serves it,
after the app's start-up: a connection that succeeds finds the app ready. Then ``serve``
announces the real address (with the port the system chose for ``--port 0``).
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from testament.core.errors import TestamentError

if TYPE_CHECKING:
    import uvicorn


def display(host: str, port: int) -> str:
    """``host:port`` as written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True, slots=True)
class Advice:
    """What the messages of one app say: its name, and why --host 127.0.0.1 is the right one."""

    app: str
    loopback_reason: str
    low_port_note: str


def _explain(error: OSError, where: str, advice: Advice) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"cannot listen on {where}: the address is already in use (another {advice.app}, or "
            "another program, is listening there). Stop it, or choose another port with --port."
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on {where}: this machine has no such address. Use --host 127.0.0.1 "
            f"({advice.loopback_reason}) or an address of this machine."
        )
    if error.errno == errno.EACCES:
        return (
            f"cannot listen on {where}: permission denied (ports below 1024 need privileges). "
            f"Choose a port of 1024 or more with --port{advice.low_port_note}."
        )
    return f"cannot listen on {where}: {error.strerror or error}. Check --host and --port."


def bind(host: str, port: int, *, advice: Advice, error: type[TestamentError]) -> socket.socket:
    """A socket bound to ``host``:``port`` (not yet listening); ``error`` says why not."""
    where = display(host, port)
    try:
        (family, kind, proto, _, address), *_ = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror:
        raise error(
            f"cannot listen on {where}: {host!r} is not an address or a name this machine "
            f"knows. Use --host 127.0.0.1 ({advice.loopback_reason})."
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restarts within TIME_WAIT
        sock.bind(address)  # Linux refuses it here when another socket listens on the port
    except OSError as problem:
        sock.close()
        raise error(_explain(problem, where, advice)) from None
    return sock


def address_of(sock: socket.socket) -> str:
    """Where ``sock`` listens, as ``host:port`` (with the port the system chose for port 0)."""
    host, port = sock.getsockname()[:2]
    return display(str(host), int(port))


def serve(config: uvicorn.Config, sock: socket.socket, announce: Callable[[str], None]) -> None:
    """Run uvicorn on the bound ``sock``; once it accepts connections, ``announce`` its address."""
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:
                announce(address_of(sock))

    AnnouncingServer(config).run(sockets=[sock])
