"""What every handler checks first: a live session, a CSRF token on every POST, a small form.

CSRF: a logged-in form carries its session's own token; the log-in and enrolment forms (before
any session) carry the signed double-submit token of ``testament.web.cookies``. Both are compared
in constant time, and a missing or wrong token is a 403 before anything else happens.
"""

from __future__ import annotations

import secrets

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.desk.web.render import ANONYMOUS_CSRF_COOKIE
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.web.cookies import cookie_header, read_cookie, same_secret
from testament.web.forms import read_small_form

SESSION_COOKIE = "testament_desk_session"
MAX_FORM_BYTES = 8 * 1024


class LoginRequiredError(Exception):
    """No live session: the handler for it sends the browser to the log-in page."""


async def current_session(request: Request) -> Session | None:
    """The request's live session (off the event loop: the casebook may be a remote server)."""
    runtime = runtime_of(request)
    token, now = request.cookies.get(SESSION_COOKIE), runtime.now()
    session = await anyio.to_thread.run_sync(lambda: runtime.sessions.get(token, now))
    request.state.session = session
    return session


async def require_session(request: Request) -> Session:
    session = await current_session(request)
    if session is None:
        raise LoginRequiredError
    return session


async def login_required(request: Request, _error: Exception) -> Response:
    response = RedirectResponse("/login", status_code=303)
    if request.cookies.get(SESSION_COOKIE):  # an expired or closed session: forget the cookie
        response.headers.append("set-cookie", session_cookie(request, "", max_age=0))
    return response


def session_cookie(request: Request, token: str, *, max_age: int) -> str:
    secure = runtime_of(request).settings.secure_cookies
    return cookie_header(SESSION_COOKIE, token, max_age=max_age, secure=secure)


async def form_of(
    request: Request,
    session: Session | None,
    *,
    limit: int = MAX_FORM_BYTES,
    max_fields: int = 10,
) -> dict[str, str]:
    """The POSTed form, after its CSRF token is checked against the session (or, before log-in,
    against the anonymous cookie): 403 when it is missing or wrong. A record's form is larger
    than a button's: its page passes its own ``limit`` and ``max_fields``."""
    form = await read_small_form(request, limit, max_fields)
    token = form.get("csrf_token")
    if session is not None:
        valid = same_secret(session.csrf_token, token)
    else:
        cookie = read_cookie(request.scope, ANONYMOUS_CSRF_COOKIE)
        valid = runtime_of(request).csrf.valid(cookie, token)
    if not valid:
        raise HTTPException(403)
    return form


def with_anonymous_csrf(request: Request) -> str | None:
    """A new anonymous CSRF cookie value when the browser has none yet (the log-in form needs
    one); the caller sets it on the response and the page renders with it."""
    existing = read_cookie(request.scope, ANONYMOUS_CSRF_COOKIE)
    if existing and len(existing) == 43:
        return None
    value = secrets.token_urlsafe(32)
    # the page about to render reads the cookie from the request: put the new one there
    request.scope["headers"] = [
        *[(k, v) for k, v in request.scope["headers"] if k != b"cookie"],
        (b"cookie", f"{ANONYMOUS_CSRF_COOKIE}={value}".encode()),
    ]
    return value


def set_anonymous_csrf(request: Request, response: Response, value: str | None) -> Response:
    if value is not None:
        secure = runtime_of(request).settings.secure_cookies
        response.headers.append(
            "set-cookie", cookie_header(ANONYMOUS_CSRF_COOKIE, value, secure=secure)
        )
    return response
