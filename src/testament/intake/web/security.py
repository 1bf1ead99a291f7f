"""Security plumbing of the intake: response headers, request header limits, CSRF tokens.

CSRF is a signed double-submit token (``testament.web.cookies``): every visitor gets a random
``testament_csrf`` cookie (HttpOnly, SameSite=Strict), and every form carries HMAC(process key,
cookie value). The headers and the token are shared with the desk (``testament.web``).
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from testament.intake.logs import get_logger
from testament.web.cookies import CsrfTokens, cookie_header, read_cookie
from testament.web.headers import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    TIME_REVEALING_HEADERS,
    secure_headers,
)

CSRF_COOKIE = "testament_csrf"
log = get_logger()

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CSRF_COOKIE",
    "SECURITY_HEADERS",
    "TIME_REVEALING_HEADERS",
    "CsrfTokens",
    "SecurityMiddleware",
    "cookie_header",
    "read_cookie",
]


class SecurityMiddleware:
    """Adds the security headers, refuses oversized request headers, hands out CSRF cookies.

    The CSRF cookie value of the request (new or existing) is put in ``scope["state"]``
    as ``csrf_cookie`` for the handlers.
    """

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
            await _with_headers(response)(scope, receive, send)
            return
        existing = read_cookie(scope, CSRF_COOKIE)
        cookie = existing if existing and len(existing) == 43 else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_cookie"] = cookie
        new_cookie = cookie != existing and not scope["path"].startswith("/desk/")

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                secure_headers(headers)  # shared with the desk (testament.web.headers)
                if new_cookie:
                    headers.append("set-cookie", cookie_header(CSRF_COOKIE, cookie))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # noqa: BLE001 - the last net, see below
            # The last net: a generic 500 and the error's type in the log — never its message or
            # a traceback (either may quote what the source sent), and nothing re-raised for the
            # server to print.
            log.error("unexpected error", error_type=type(error).__name__)  # noqa: TRY400
            if not started:
                await self.on_unexpected_error(scope, receive, send_with_headers)


def _with_headers(response: PlainTextResponse) -> PlainTextResponse:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response
