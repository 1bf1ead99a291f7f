"""The source's pages: get a codename, log in, send a testimony, read replies. No JavaScript needed.

Plaintext form fields never go through ``request.form()`` (which spools uploads to temporary
files): the log-in form is read with a small cap, the submission form is streamed and encrypted
by ``testament.intake.upload``.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.crypto.age import decrypt_bytes
from testament.crypto.codenames import generate_codename
from testament.crypto.errors import DecryptionError
from testament.crypto.items import MAGIC, read_item
from testament.intake.errors import LimitExceededError, RateLimitedError
from testament.intake.logs import get_logger
from testament.intake.upload import receive_upload
from testament.intake.web.responses import page_language, render
from testament.intake.web.runtime import IntakeRuntime
from testament.intake.web.security import cookie_header
from testament.intake.web.sessions import SESSION_COOKIE, SourceSession

MAX_SMALL_FORM_BYTES = 4096
log = get_logger()


def runtime_of(request: Request) -> IntakeRuntime:
    runtime: IntakeRuntime = request.app.state.runtime
    return runtime


def current_session(request: Request) -> SourceSession | None:
    return runtime_of(request).sessions.get(request.cookies.get(SESSION_COOKIE))


async def read_small_form(request: Request) -> dict[str, str]:
    """An urlencoded form of at most 4 KiB, read in memory (the log-in and button forms)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_SMALL_FORM_BYTES:
            raise LimitExceededError("form too large")
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=10, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400) from None
    return {name: values[0] for name, values in fields.items()}


def require_csrf(request: Request, token: str | None) -> None:
    if not runtime_of(request).csrf.valid(request.state.csrf_cookie, token):
        log.info("form refused", reason="csrf")
        raise HTTPException(403)


def with_session_cookie(response: Response, token: str, lifetime_seconds: int) -> Response:
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, token, max_age=lifetime_seconds)
    )
    return response


async def index(request: Request) -> Response:
    return render(request, "index.html")


async def new_codename(request: Request) -> Response:
    """Make a codename, derive its keys and log the source in. The codename is on this page only."""
    runtime = runtime_of(request)
    require_csrf(request, (await read_small_form(request)).get("csrf_token"))
    if not runtime.logins_global.allow():
        raise RateLimitedError("codenames")
    codename = generate_codename(page_language(request))
    keys = await anyio.to_thread.run_sync(runtime.derive, codename)
    token = runtime.sessions.open(keys)
    log.info("codename issued")
    response = render(request, "codename.html", codename=codename)
    return with_session_cookie(response, token, runtime.settings.session_minutes * 60)


async def login_form(request: Request) -> Response:
    return render(request, "login.html", failed=False)


async def login(request: Request) -> Response:
    runtime = runtime_of(request)
    form = await read_small_form(request)
    require_csrf(request, form.get("csrf_token"))
    if not runtime.logins_global.allow():
        raise RateLimitedError("log-ins")
    codename = form.get("codename", "")
    keys = await anyio.to_thread.run_sync(runtime.derive, codename)
    known = await anyio.to_thread.run_sync(runtime.store.source_recipient, keys.lookup_id)
    if known is None:
        log.info("log-in failed")
        return render(request, "login.html", status_code=401, failed=True)
    log.info("log-in")
    token = runtime.sessions.open(keys)
    response = RedirectResponse(f"/source?lang={page_language(request)}", status_code=303)
    return with_session_cookie(response, token, runtime.settings.session_minutes * 60)


async def logout(request: Request) -> Response:
    require_csrf(request, (await read_small_form(request)).get("csrf_token"))
    runtime_of(request).sessions.close(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"/?lang={page_language(request)}", status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", max_age=0))
    return response


def _reply_text(plaintext: bytes) -> str:
    """A reply's text. Replies are UTF-8 text, or a testament-item/1 message."""
    if plaintext.startswith(MAGIC):
        _, body = read_item(io.BytesIO(plaintext))
        plaintext = body.read()
    return plaintext.decode("utf-8", "replace")


def _read_replies(runtime: IntakeRuntime, session: SourceSession) -> list[tuple[str, str]]:
    """The source's replies, decrypted in memory for this request only."""
    replies = []
    for reply in runtime.store.replies_for(session.lookup_id):
        try:
            text = _reply_text(decrypt_bytes(reply.path.read_bytes(), [session.identity]))
        except (DecryptionError, OSError):
            continue
        replies.append((reply.created, text))
    return replies


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/login?lang={page_language(request)}", status_code=303)


async def source_page(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return _login_redirect(request)
    runtime = runtime_of(request)
    replies = await anyio.to_thread.run_sync(_read_replies, runtime, session)
    return render(
        request,
        "source.html",
        replies=replies,
        sent=request.query_params.get("sent") == "1",
        empty=request.query_params.get("empty") == "1",
        recipients=" ".join(runtime.settings.recipients),
        max_gib=runtime.settings.max_body_bytes / 1024**3,
    )


async def submit(request: Request) -> Response:
    """Stream, encrypt and store a submission (see ``testament.intake.upload``)."""
    session = current_session(request)
    if session is None:
        return _login_redirect(request)
    runtime = runtime_of(request)
    if not runtime.submissions_global.allow() or not runtime.submissions_per_source.allow(
        session.lookup_id
    ):
        raise RateLimitedError("submissions")
    cookie = request.state.csrf_cookie
    length = request.headers.get("content-length")
    upload = await receive_upload(
        request.stream(),
        request.headers.get("content-type"),
        recipients=runtime.recipients,
        new_path=runtime.store.new_incoming_path,
        check_csrf=lambda token: runtime.csrf.valid(cookie, token),
        limits=runtime.upload_limits,
        declared_length=int(length) if length and length.isdigit() else None,
    )
    if not upload.csrf_valid:
        upload.discard()
        log.info("form refused", reason="csrf")
        raise HTTPException(403)
    language = page_language(request)
    if not upload.items:
        return RedirectResponse(f"/source?lang={language}&empty=1", status_code=303)
    await anyio.to_thread.run_sync(
        runtime.store.commit_submission, session.lookup_id, session.recipient, upload.items
    )
    log.info("submission stored", items=len(upload.items))
    return RedirectResponse(f"/source?lang={language}&sent=1", status_code=303)
