"""The intake's socket: bound before the server starts so that failures are clear, announced
once the intake accepts connections (``testament.web.listening``, shared with the desk)."""

from __future__ import annotations

import socket

from testament.intake.errors import ListenError
from testament.web.listening import Advice, address_of, display, serve
from testament.web.listening import bind as _bind

__all__ = ["address_of", "bind", "display", "serve"]

ADVICE = Advice(
    app="intake",
    loopback_reason="what the onion service forwards to",
    low_port_note="; the onion service maps its port 80 to it",
)


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (not yet listening); ``ListenError`` says why not."""
    return _bind(host, port, advice=ADVICE, error=ListenError)
