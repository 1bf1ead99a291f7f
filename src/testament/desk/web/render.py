"""Rendering the desk's pages in the reader's language, and its generic error pages.

The language is the logged-in user's own (switched with the form in every page's header and
kept on the account), else ``?lang=`` or the browser's Accept-Language (the log-in page).
Templates are autoescaped: every record field, testimony and file name is shown as text.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.support import NullTranslations
from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from testament.desk.web import words
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.web.cookies import read_cookie
from testament.web.i18n import (
    Language,
    as_language,
    choose_language,
    jinja_environment,
    load_translations,
)

ANONYMOUS_CSRF_COOKIE = "testament_desk_csrf"


def locale_folder() -> Path:
    return Path(str(files("testament.desk.web").joinpath("locale")))


@cache
def translations(language: Language) -> NullTranslations:
    return load_translations(locale_folder(), language)


@cache
def environment(language: Language) -> Environment:
    env = jinja_environment("testament.desk.web", translations(language))
    env.filters["when"] = lambda moment, lang=language: _when(moment, lang)
    return env


def _when(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    return format_datetime(moment, "yyyy-MM-dd HH:mm", tzinfo=None, locale=language) + " UTC"


def page_language(request: Request, session: Session | None) -> Language:
    if session is not None:
        own = as_language(session.user.language)
        if own is not None:
            return own
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def translate(language: Language, message: str) -> str:
    return translations(language).gettext(message)


def here(request: Request) -> str:
    """The current page's path and query, for the language form to come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request,
    template: str,
    *,
    session: Session | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` for this request, with the helpers every page uses."""
    language = page_language(request, session)
    if session is not None:
        csrf_token = session.csrf_token
    else:
        cookie = read_cookie(request.scope, ANONYMOUS_CSRF_COOKIE) or ""
        csrf_token = runtime_of(request).csrf.token_for(cookie) if cookie else ""
    html = (
        environment(language)
        .get_template(template)
        .render(
            lang=language,
            user=session.user if session else None,
            csrf_token=csrf_token,
            here=here(request),
            path=request.url.path,
            words=words,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def error_page(request: Request, status_code: int) -> Response:
    """A generic page for ``status_code``: it never says more than the status."""
    session = getattr(request.state, "session", None)
    return render(
        request,
        "error.html",
        session=session if isinstance(session, Session) else None,
        status_code=status_code,
        status=status_code,
    )


async def http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return error_page(request, error.status_code)


async def generic_server_error(scope: Scope, receive: Receive, send: Send) -> None:
    await error_page(Request(scope, receive), 500)(scope, receive, send)
