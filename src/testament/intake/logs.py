"""Logging for the intake: structlog, with a processor that redacts anything that could identify.

The intake logs what happened ("submission stored", "desk token rejected"), never who or what:
no IP address, user agent, header, body, codename, file name or message. The redaction
processor is the second line of defence: whatever a future change passes under one of the
``SENSITIVE_KEYS`` is replaced before any renderer sees it. Uvicorn's access log is switched off
by ``testament intake serve`` (it would write client addresses).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

REDACTED = "[redacted]"
SENSITIVE_KEYS = frozenset(
    {
        "body",
        "client",
        "codename",
        "content",
        "cookie",
        "filename",
        "headers",
        "host",
        "ip",
        "message_text",
        "peer",
        "remote_addr",
        "text",
        "token",
        "user_agent",
    }
)


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> Any:
    """Replace the value of every sensitive key (and of exception texts) with a marker."""
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
    return event_dict


def configure_logging(stream: TextIO | None = None) -> None:
    """Route structlog through the redaction processor to ``stream`` (stderr by default)."""
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            redact,
            structlog.processors.TimeStamper(fmt="%Y-%m-%d", utc=True),  # a day, not a time
            structlog.processors.KeyValueRenderer(key_order=["event"]),
        ],
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )
    # uvicorn's own loggers: errors only, and its access logger off for good.
    logging.getLogger("uvicorn.access").disabled = True


class IntakeLogger:
    """The intake's logger: redacts before structlog's own chain, so redaction holds whatever
    structlog is configured with (including ``structlog.testing.capture_logs`` in tests)."""

    def _log(self, method: str, event: str, fields: dict[str, Any]) -> None:
        fields = dict(redact(None, method, fields))
        getattr(structlog.get_logger("testament.intake"), method)(event, **fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log("info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log("warning", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._log("error", event, fields)


def get_logger() -> IntakeLogger:
    """The intake's logger."""
    return IntakeLogger()
