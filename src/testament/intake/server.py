"""Running the intake under uvicorn with limits that hold against slow and idle connections.

The guarded protocol (a request-header deadline and a cap on open connections, against
slowloris) is shared with the desk: ``testament.web.server``. Bodies are not covered by the
header timeout: uploads have their own idle, rate and in-flight limits
(``testament.intake.upload``). Tor's proof-of-work defence in front of the onion service is the
first line against floods (docs/deployment.md); these limits are the second.
"""

from __future__ import annotations

from typing import Any

from testament.intake.settings import IntakeSettings
from testament.web.server import GuardedH11Protocol, uvicorn_config
from testament.web.server import guarded_protocol as _guarded_protocol

__all__ = ["GuardedH11Protocol", "guarded_protocol", "server_config"]


def guarded_protocol(settings: IntakeSettings) -> type[GuardedH11Protocol]:
    """A protocol class carrying this instance's limits (uvicorn instantiates it per socket)."""
    return _guarded_protocol(
        "IntakeH11Protocol",
        header_timeout_seconds=float(settings.request_header_timeout_seconds),
        max_connections=settings.max_connections,
    )


def server_config(app: Any, settings: IntakeSettings, *, host: str, port: int) -> Any:
    """uvicorn's configuration for ``app`` with the instance's limits (``listening.serve`` runs
    it on a socket bound beforehand)."""
    return uvicorn_config(
        app,
        host=host,
        port=port,
        protocol=guarded_protocol(settings),
        max_header_bytes=settings.max_request_header_bytes,
        keep_alive_seconds=120,  # slow Tor circuits
    )
