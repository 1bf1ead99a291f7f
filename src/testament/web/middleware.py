"""The outer layer of both apps: security headers on every response, a cap on request header
size, and the last net that turns any unexpected error into a generic 500.

The last net logs the error's type only — never its message or a traceback (either may quote
what a source sent or a record's text) — and re-raises nothing for the server to print. An app
adds its own per-request headers (the intake's anonymous CSRF cookie) by overriding
``extra_headers``.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from testament.web.headers import SECURITY_HEADERS, secure_headers


class SecurityHeadersMiddleware:
    """Security headers, a request-header size cap (431), and the last net (generic 500)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_header_bytes: int,
        on_unexpected_error: ASGIApp,
        log_unexpected: Callable[[str], None],
    ) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes
        self.on_unexpected_error = on_unexpected_error
        self.log_unexpected = log_unexpected  # called with the error's type name only

    def extra_headers(self, scope: Scope) -> list[tuple[str, str]]:
        """Headers to add to this request's response (called before the app runs)."""
        del scope
        return []

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
        extra = self.extra_headers(scope)
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                secure_headers(headers)
                for name, value in extra:
                    headers.append(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception as error:  # noqa: BLE001 - the last net, see the module docstring
            self.log_unexpected(type(error).__name__)
            if not started:
                await self.on_unexpected_error(scope, receive, send_secured)
