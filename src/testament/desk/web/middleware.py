"""The desk's outer layer: the shared ``SecurityHeadersMiddleware`` (the intake's security
headers, the header size cap, the last net) logging to the desk's logger."""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp

from testament.web.middleware import SecurityHeadersMiddleware

log = structlog.get_logger("testament.desk")


class DeskSecurityMiddleware(SecurityHeadersMiddleware):
    def __init__(
        self, app: ASGIApp, *, max_header_bytes: int, on_unexpected_error: ASGIApp
    ) -> None:
        super().__init__(
            app,
            max_header_bytes=max_header_bytes,
            on_unexpected_error=on_unexpected_error,
            # the error's type only: its message or a traceback may quote a record's text
            log_unexpected=lambda kind: log.error("unexpected error", error_type=kind),
        )
