"""Security plumbing of the intake: response headers, request header limits, CSRF tokens.

CSRF is a signed double-submit token (``testament.web.cookies``): every visitor gets a random
``testament_csrf`` cookie (HttpOnly, SameSite=Strict), and every form carries HMAC(process key,
cookie value). The headers and the token are shared with the desk (``testament.web``).
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Scope

from testament.intake.logs import get_logger
from testament.web.cookies import CsrfTokens, cookie_header, read_cookie
from testament.web.headers import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    TIME_REVEALING_HEADERS,
)
from testament.web.middleware import SecurityHeadersMiddleware

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


class SecurityMiddleware(SecurityHeadersMiddleware):
    """The shared outer layer (``testament.web.middleware``: security headers, header size cap,
    the last net), and the intake's anonymous CSRF cookie.

    The CSRF cookie value of the request (new or existing) is put in ``scope["state"]``
    as ``csrf_cookie`` for the handlers.
    """

    def __init__(
        self, app: ASGIApp, *, max_header_bytes: int, on_unexpected_error: ASGIApp
    ) -> None:
        super().__init__(
            app,
            max_header_bytes=max_header_bytes,
            on_unexpected_error=on_unexpected_error,
            log_unexpected=lambda kind: log.error("unexpected error", error_type=kind),
        )

    def extra_headers(self, scope: Scope) -> list[tuple[str, str]]:
        existing = read_cookie(scope, CSRF_COOKIE)
        cookie = existing if existing and len(existing) == 43 else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_cookie"] = cookie
        if cookie != existing and not scope["path"].startswith("/desk/"):
            return [("set-cookie", cookie_header(CSRF_COOKIE, cookie))]
        return []
