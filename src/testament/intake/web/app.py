"""``create_app(settings)``: the intake's Starlette app, built from its settings alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from testament.intake.errors import IntakeError
from testament.intake.logs import get_logger
from testament.intake.settings import IntakeSettings
from testament.intake.web import desk_api, pages
from testament.intake.web.responses import domain_error, generic_server_error, http_exception
from testament.intake.web.runtime import IntakeRuntime
from testament.intake.web.security import SecurityMiddleware

log = get_logger()


def static_folder() -> Path:
    return Path(str(files("testament.intake").joinpath("static")))


def create_app(settings: IntakeSettings) -> Starlette:
    """The intake app for ``settings``. Opening it (start-up) prepares the folder and database,
    deletes what an interrupted upload left, and applies the retention period."""
    runtime = IntakeRuntime.build(settings)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(runtime.store.initialise)
        purged = await anyio.to_thread.run_sync(
            runtime.store.purge_acknowledged, settings.retention_days
        )
        log.info("intake started", purged_submissions=purged)
        yield

    routes = [
        Route("/", pages.index, methods=["GET"]),
        Route("/codename", pages.new_codename, methods=["POST"]),
        Route("/login", pages.login_form, methods=["GET"]),
        Route("/login", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/source", pages.source_page, methods=["GET"]),
        Route("/source/submit", pages.submit, methods=["POST"]),
        Route("/desk/v1/submissions", desk_api.list_submissions, methods=["GET"]),
        Route("/desk/v1/items/{item_id:str}", desk_api.get_item, methods=["GET"]),
        Route(
            "/desk/v1/submissions/{submission_id:str}/ack",
            desk_api.acknowledge,
            methods=["POST"],
        ),
        Route("/desk/v1/sources/{source:str}/replies", desk_api.add_reply, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static_folder()), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityMiddleware,
                max_header_bytes=settings.max_request_header_bytes,
                on_unexpected_error=generic_server_error,
            )
        ],
        exception_handlers={
            HTTPException: http_exception,
            IntakeError: domain_error,
        },
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
