"""The security headers of every response of the intake and the desk, and the clocks removed.

Both apps serve their own stylesheet (and the intake its own scripts) and nothing else: no inline
code, no framing, no external origin. A Tor user must not be made to contact anyone but the
onion service; a reviewer's desk must not load anything a third party could swap.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders

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

#: Static files would say when the software was installed or updated (and the ETag is made of
#: the same time): nothing in a response carries a clock.
TIME_REVEALING_HEADERS = ("last-modified", "etag", "date")


def secure_headers(headers: MutableHeaders) -> None:
    """Add the security headers a handler did not set itself, and remove every clock."""
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    for name in TIME_REVEALING_HEADERS:
        del headers[name]
