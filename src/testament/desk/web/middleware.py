"""The desk's outer layer: the intake's security headers on every response (``testament.web``),
a cap on request header size, and a generic 500 that never shows what went wrong."""

from __future__ import annotations

import structlog
from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from testament.web.headers import SECURITY_HEADERS, secure_headers

log = structlog.get_logger("testament.desk")


class DeskSecurityMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_header_bytes: int, on_unexpected_error: ASGIApp
    ) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes
        self.on_unexpected_error = on_unexpected_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = sum(len(k) + len(v) for k, v in scope["headers"]) + len(scope.get("raw_path", b""))
        if size > self.max_header_bytes:
            response = PlainTextResponse("Request headers too large", status_code=431)
            response.headers.update(SECURITY_HEADERS)
            await response(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                secure_headers(MutableHeaders(scope=message))
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception as error:  # noqa: BLE001 - the last net
            # The error's type only: its message or a traceback may quote a record's text.
            log.error("unexpected error", error_type=type(error).__name__)  # noqa: TRY400
            if not started:
                await self.on_unexpected_error(scope, receive, send_secured)
