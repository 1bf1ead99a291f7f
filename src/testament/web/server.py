"""uvicorn with limits that hold against slow and idle connections (the intake and the desk).

uvicorn bounds the time *between* requests on a kept-alive connection, but not the time a
client may take to send one request's headers, nor how many connections may be open: a few
hundred sockets that trickle a byte a minute would hold a server's file descriptors and
memory for ever (slowloris). ``GuardedH11Protocol`` adds both:

- every connection must deliver a request's complete headers within
  ``header_timeout_seconds`` of opening (or of the previous response): a new connection
  that says nothing, or headers sent a byte at a time, are closed;
- past ``max_connections`` open connections, a new one is closed at once, before any request
  is read (h11 serves one request per connection at a time, so this also bounds requests).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-header deadline and a cap on open connections."""

    header_timeout_seconds: ClassVar[float] = 30.0
    max_connections: ClassVar[int] = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            # Over the cap: close before reading anything. The peer sees a reset, not a page.
            transport.close()
            return
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm_header_deadline()  # the request's headers are complete

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()  # the next request on this connection gets its own

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(
            self.header_timeout_seconds, self._headers_too_slow
        )

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(
    name: str, *, header_timeout_seconds: float, max_connections: int
) -> type[GuardedH11Protocol]:
    """A protocol class carrying these limits (uvicorn instantiates it per socket)."""
    return type(
        name,
        (GuardedH11Protocol,),
        {"header_timeout_seconds": header_timeout_seconds, "max_connections": max_connections},
    )


def uvicorn_config(
    app: Any,
    *,
    host: str,
    port: int,
    protocol: type[GuardedH11Protocol],
    max_header_bytes: int,
    keep_alive_seconds: int,
) -> Any:
    """uvicorn's configuration for ``app`` (``listening.serve`` runs it on a socket bound
    beforehand): no access log, no server or date header, h11 with a header size bound."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,  # it would log client addresses and paths
        server_header=False,
        date_header=False,  # a coarse timestamp policy: no clocks in responses
        timeout_keep_alive=keep_alive_seconds,
        # h11, not httptools even when installed: h11 refuses request headers beyond this size
        # while they arrive; httptools buffers any amount before the app can refuse them.
        http=protocol,
        h11_max_incomplete_event_size=max_header_bytes,
        log_level="warning",
    )
