"""Security plumbing of the intake: response headers, request header limits, CSRF tokens.

CSRF is a signed double-submit token: every visitor gets a random ``testament_csrf`` cookie
(HttpOnly, SameSite=Strict), and every form carries HMAC(process key, cookie value). A forged
cross-site form can neither read the cookie nor compute the HMAC. The key is made at start-up and
lives in memory, so a restart invalidates open forms (the source just reloads the page).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from testament.intake.logs import get_logger

CSRF_COOKIE = "testament_csrf"
log = get_logger()

#: The pages need their own stylesheet and script and nothing else; no inline code, no framing,
#: no external origin (a Tor user must not be made to contact anyone but the onion service).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; "
    "img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cache-control": "no-store",
}

TIME_REVEALING_HEADERS = ("last-modified", "etag", "date")


def cookie_header(name: str, value: str, *, max_age: int | None = None) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Strict, whole site. No Secure flag, because the
    onion service is plain HTTP (Tor already encrypts and authenticates it end to end)."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a mangled cookie header is just no cookie
                return None
            if name in cookie:
                return cookie[name].value
    return None


class CsrfTokens:
    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def token_for(self, cookie_value: str) -> str:
        return hmac.new(self._key, cookie_value.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie_value: str | None, token: str | None) -> bool:
        if not cookie_value or not token:
            return False
        # As bytes: compare_digest refuses non-ASCII str, and a forged token may hold anything.
        presented = token.encode("utf-8", "surrogateescape")
        return hmac.compare_digest(self.token_for(cookie_value).encode(), presented)


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
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                # Static files would say when the software was installed or updated (and the
                # ETag is made of the same time): nothing in a response carries a clock.
                for name in TIME_REVEALING_HEADERS:
                    del headers[name]
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
