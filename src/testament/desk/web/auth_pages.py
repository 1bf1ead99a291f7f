"""Log-in (password and TOTP code in one form), log-out, the one-time enrolment page, language.

One form asks for name, password and code together, and a refusal never says which was wrong:
a two-step form would tell whoever holds a stolen password that it is right.
"""

from __future__ import annotations

import math

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.desk import accounts
from testament.desk.accounts import Refusal
from testament.desk.web.guards import (
    SESSION_COOKIE,
    current_session,
    form_of,
    require_session,
    session_cookie,
    set_anonymous_csrf,
    with_anonymous_csrf,
)
from testament.desk.web.render import render
from testament.desk.web.runtime import runtime_of
from testament.web.i18n import as_language


async def login_form(request: Request) -> Response:
    if await current_session(request) is not None:
        return RedirectResponse("/inbox", status_code=303)
    new_cookie = with_anonymous_csrf(request)
    return set_anonymous_csrf(request, render(request, "login.html", session=None), new_cookie)


async def login(request: Request) -> Response:
    runtime = runtime_of(request)
    form = await form_of(request, None)
    now = runtime.now()
    outcome = await anyio.to_thread.run_sync(
        lambda: accounts.authenticate(
            runtime.casebook.engine,
            form.get("name", "").strip(),
            form.get("password", ""),
            form.get("code", ""),
            now=now,
            policy=runtime.settings.lockout,
        )
    )
    if isinstance(outcome, Refusal):
        minutes = None
        if outcome.kind == "locked" and outcome.retry_at is not None:
            minutes = max(1, math.ceil((outcome.retry_at - now).total_seconds() / 60))
        return render(
            request,
            "login.html",
            session=None,
            status_code=429 if outcome.kind == "locked" else 401,
            failed=outcome.kind,
            minutes=minutes,
            name=form.get("name", "")[:100],
        )
    old_token = request.cookies.get(SESSION_COOKIE)

    def new_session() -> str:
        runtime.sessions.close(old_token)  # never two sessions in one browser
        return runtime.sessions.open(outcome, now)

    token = await anyio.to_thread.run_sync(new_session)
    response = RedirectResponse("/inbox", status_code=303)
    lifetime = runtime.settings.session_absolute_hours * 3600
    response.headers.append("set-cookie", session_cookie(request, token, max_age=lifetime))
    return response


async def logout(request: Request) -> Response:
    session = await require_session(request)
    await form_of(request, session)
    token = request.cookies.get(SESSION_COOKIE)
    await anyio.to_thread.run_sync(runtime_of(request).sessions.close, token)
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", session_cookie(request, "", max_age=0))
    return response


async def switch_language(request: Request) -> Response:
    session = await require_session(request)
    form = await form_of(request, session)
    language = as_language(form.get("lang"))
    if language is None:
        raise HTTPException(400)
    engine = runtime_of(request).casebook.engine
    await anyio.to_thread.run_sync(accounts.set_language, engine, session.user.id, language)
    back = form.get("next", "/inbox")
    # only a path of this site: "//elsewhere" or "/\\elsewhere" would leave it
    if not back.startswith("/") or back.startswith(("//", "/\\")) or len(back) > 2000:
        back = "/inbox"
    return RedirectResponse(back, status_code=303)


async def enrol_page(request: Request) -> Response:
    runtime = runtime_of(request)
    found = await anyio.to_thread.run_sync(
        accounts.enrolment, runtime.casebook.engine, request.path_params["token"], runtime.now()
    )
    if found is None:
        raise HTTPException(404)
    new_cookie = with_anonymous_csrf(request)
    page = render(
        request, "enrol.html", session=None, enrolment=found, qr_svg=found.svg_qr(), failed=False
    )
    return set_anonymous_csrf(request, page, new_cookie)


async def enrol_confirm(request: Request) -> Response:
    runtime = runtime_of(request)
    form = await form_of(request, None)
    token = request.path_params["token"]
    now = runtime.now()
    engine = runtime.casebook.engine
    found = await anyio.to_thread.run_sync(accounts.enrolment, engine, token, now)
    if found is None:
        raise HTTPException(404)
    code = form.get("code", "")
    if await anyio.to_thread.run_sync(accounts.confirm_enrolment, engine, token, code, now):
        return RedirectResponse("/login?enrolled=1", status_code=303)
    return render(
        request,
        "enrol.html",
        session=None,
        status_code=400,
        enrolment=found,
        qr_svg=found.svg_qr(),
        failed=True,
    )
