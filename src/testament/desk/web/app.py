"""``create_app(settings)``: the desk's Starlette app, built from its settings alone.

Routes are grouped by what a reviewer does, so the parts still to come fit beside them:
``/inbox`` and ``/inbox/pull`` (the Pull button), ``/records/{type}`` and
``/records/{type}/{id}`` (with ``.../edit``, optimistic locking on the version, and
``.../history``; ``/records/source/{id}/reply`` to answer a source;
``/records/source/{id}/code`` for coding a source), ``/corroboration/{type}/{id}``,
``/review`` for linkage pairs, and ``/audit``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from testament.desk.web import (
    auth_pages,
    coding_pages,
    corroboration_pages,
    editing_pages,
    intake_pages,
    reading_pages,
    review_pages,
)
from testament.desk.web.guards import LoginRequiredError, login_required
from testament.desk.web.middleware import DeskSecurityMiddleware
from testament.desk.web.render import generic_server_error, http_exception
from testament.desk.web.runtime import Clock, DeskRuntime, utc_now
from testament.desk.web.settings import DeskWebSettings


def static_folder() -> Path:
    return Path(str(files("testament.desk.web").joinpath("static")))


def create_app(settings: DeskWebSettings, *, clock: Clock = utc_now) -> Starlette:
    """The desk app for ``settings``. It opens the casebook now (a wrong ``--db`` fails before
    the server starts) and closes it when the app shuts down. ``clock`` gives the time for
    sessions, TOTP codes and lockouts (tests move it forward)."""
    runtime = DeskRuntime.open(settings, clock)
    corroboration_cache = corroboration_pages.new_cache()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # the statuses of a large casebook take tens of seconds: weigh them before anyone asks
        corroboration_cache.start(runtime.casebook)
        try:
            yield
        finally:
            runtime.pulls.wait(timeout=60)  # a pull half-way is resumed by the next one
            runtime.casebook.close()

    record = "/records/{record_type:str}/{record_id:str}"
    corroboration = "/corroboration/{record_type:str}/{record_id:str}"
    routes = [
        Route("/", reading_pages.home, methods=["GET"]),
        Route("/login", auth_pages.login_form, methods=["GET"]),
        Route("/login", auth_pages.login, methods=["POST"]),
        Route("/logout", auth_pages.logout, methods=["POST"]),
        Route("/language", auth_pages.switch_language, methods=["POST"]),
        Route("/enrol/{token:str}", auth_pages.enrol_page, methods=["GET"]),
        Route("/enrol/{token:str}", auth_pages.enrol_confirm, methods=["POST"]),
        Route("/inbox", reading_pages.inbox, methods=["GET"]),
        Route("/inbox/pull", intake_pages.pull_page, methods=["GET"]),
        Route("/inbox/pull", intake_pages.pull_start, methods=["POST"]),
        Route("/records/{record_type:str}", reading_pages.record_list, methods=["GET"]),
        Route(record, reading_pages.record_page, methods=["GET"]),
        Route(record, reading_pages.record_with_reason, methods=["POST"]),
        Route(
            record + "/files/{attachment_id:str}/{which:str}",
            reading_pages.download,
            methods=["POST"],
        ),
        Route(record + "/reply", intake_pages.reply, methods=["POST"]),
        Route(record + "/edit", editing_pages.edit_form, methods=["GET"]),
        Route(record + "/edit", editing_pages.edit_submit, methods=["POST"]),
        Route(record + "/history", editing_pages.history_page, methods=["GET"]),
        Route(record + "/history", editing_pages.history_with_reason, methods=["POST"]),
        Route("/records/source/{record_id:str}/code", coding_pages.code_form, methods=["GET"]),
        Route("/records/source/{record_id:str}/code", coding_pages.code_submit, methods=["POST"]),
        Route("/audit", reading_pages.audit, methods=["GET"]),
        Route(corroboration, corroboration_pages.corroboration_page, methods=["GET"]),
        Route(corroboration, corroboration_pages.corroboration_with_reason, methods=["POST"]),
        Route("/review", review_pages.review_queue, methods=["GET"]),
        Route("/review/{pair:str}", review_pages.review_pair, methods=["GET"]),
        Route("/review/{pair:str}", review_pages.decide, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static_folder()), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                DeskSecurityMiddleware,
                max_header_bytes=settings.max_request_header_bytes,
                on_unexpected_error=generic_server_error,
            ),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)),
        ],
        exception_handlers={
            HTTPException: http_exception,
            LoginRequiredError: login_required,
        },
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.corroboration_cache = corroboration_cache
    return app
