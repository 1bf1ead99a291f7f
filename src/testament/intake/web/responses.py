"""Rendering pages and generic errors; mapping domain errors to HTTP without saying too much."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send

from testament.intake.errors import (
    BusyError,
    LimitExceededError,
    RateLimitedError,
    SubmissionRejectedError,
    UnknownRecordError,
)
from testament.intake.logs import get_logger
from testament.intake.web.i18n import Language, choose_language, environment

log = get_logger()


def page_language(request: Request) -> Language:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


#: The pages a language link may point back to. Links are built from this list, never from the
#: request's path: a path such as ``//evil.example/x`` would otherwise become a link to another
#: site on the 404 page (an open redirect for phishing).
PAGES_WITH_LANGUAGE_LINKS = frozenset({"/", "/login", "/source"})


def _here(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if request.method == "GET" and path in PAGES_WITH_LANGUAGE_LINKS:
        return str(path)
    return "/"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` in the request's language, with the helpers every page uses."""
    language = page_language(request)
    here = _here(request)
    html = (
        environment(language)
        .get_template(template)
        .render(
            lang=language,
            url=lambda path: f"{path}?lang={language}",
            switch_url=lambda other: f"{here}?lang={other}",
            csrf_token=request.app.state.runtime.csrf.token_for(request.state.csrf_cookie),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


_STATUS_OF = {
    LimitExceededError: 413,
    SubmissionRejectedError: 400,
    RateLimitedError: 429,
    BusyError: 503,
    UnknownRecordError: 404,
}


def error_response(request: Request, status_code: int) -> Response:
    """The generic error for ``status_code``: JSON on the desk API, a page everywhere else."""
    if request.url.path.startswith("/desk/"):
        return JSONResponse({"error": _DESK_ERRORS.get(status_code, "error")}, status_code)
    return render(request, "error.html", status_code=status_code, status=status_code)


_DESK_ERRORS = {
    400: "bad request",
    401: "unauthorized",
    404: "not found",
    405: "method not allowed",
    413: "too large",
    429: "too many requests",
    503: "busy",
}


async def http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    response = error_response(request, error.status_code)
    if error.status_code == 401:
        response.headers["www-authenticate"] = "Bearer"
    return response


async def domain_error(request: Request, error: Exception) -> Response:
    status = next((s for kind, s in _STATUS_OF.items() if isinstance(error, kind)), 500)
    # The error's class says what kind of problem it was; its text may quote input, so it is
    # not logged.
    log.info("request refused", reason=type(error).__name__, status=status)
    return error_response(request, status)


async def generic_server_error(scope: Scope, receive: Receive, send: Send) -> None:
    """The generic 500 page (or JSON on the desk API), as an ASGI app for the last-net catch."""
    await error_response(Request(scope, receive), 500)(scope, receive, send)
