"""Cookies of the two apps, and the signed double-submit CSRF token of forms without a session.

The CSRF token is HMAC(process key, cookie value): a forged cross-site form can neither read the
cookie (HttpOnly, SameSite=Strict) nor compute the HMAC. The key is made at start-up and lives in
memory, so a restart invalidates open forms (the user reloads the page).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from starlette.types import Scope


def cookie_header(
    name: str, value: str, *, max_age: int | None = None, secure: bool = False
) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Strict, whole site; ``Secure`` when asked.

    The intake leaves ``Secure`` off because an onion service is plain HTTP (Tor already encrypts
    and authenticates it end to end); the desk sets it (browsers treat loopback as secure).
    """
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def read_cookie(scope: Scope, name: str) -> str | None:
    """The value of cookie ``name`` in the request, or None (a mangled header is no cookie)."""
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


def same_secret(expected: str, presented: str | None) -> bool:
    """Constant-time comparison of a secret with what a request presented (maybe anything)."""
    if not presented:
        return False
    # As bytes: compare_digest refuses non-ASCII str, and a forged token may hold anything.
    return hmac.compare_digest(expected.encode(), presented.encode("utf-8", "surrogateescape"))


class CsrfTokens:
    """Signed double-submit tokens: the form carries HMAC(key, the browser's cookie value)."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def token_for(self, cookie_value: str) -> str:
        return hmac.new(self._key, cookie_value.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie_value: str | None, token: str | None) -> bool:
        if not cookie_value:
            return False
        return same_secret(self.token_for(cookie_value), token)
