"""The source's pages: get a codename, log in, send a testimony, read replies. No JavaScript needed.

Plaintext form fields never go through ``request.form()`` (which spools uploads to temporary
files): the log-in form is read with a small cap, the submission form is streamed and encrypted
by ``testament.intake.upload``.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs

import anyio.to_thread
from babel.units import format_unit
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.crypto.age import decrypt_bytes
from testament.crypto.codenames import generate_codename
from testament.crypto.errors import CryptoError
from testament.crypto.items import MAGICS, read_item
from testament.intake.errors import LimitExceededError, RateLimitedError
from testament.intake.logs import get_logger
from testament.intake.upload import receive_upload
from testament.intake.web.kept_text import MAX_KEPT_MESSAGE_BYTES, read_kept_fields
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


async def read_small_form(request: Request, limit: int = MAX_SMALL_FORM_BYTES) -> dict[str, str]:
    """An urlencoded form of at most ``limit`` bytes, read in memory (log-in and button forms)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
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


def count_login(request: Request) -> None:
    """Count a log-in or new codename against this browser (its anonymous CSRF cookie).

    Called after the CSRF check, so a forged post counts against nobody. A client that drops
    its cookie gets a new one with the next page, and then waits in the bounded argon2id queue
    like everyone else (``IntakeRuntime.derive``): it cannot lock anyone out.
    """
    if not runtime_of(request).logins_per_browser.allow(request.state.csrf_cookie):
        raise RateLimitedError("log-ins from this browser")


async def new_codename(request: Request) -> Response:
    """Make a codename, derive its keys and log the source in. The codename is on this page only."""
    runtime = runtime_of(request)
    require_csrf(request, (await read_small_form(request)).get("csrf_token"))
    count_login(request)
    codename = generate_codename(page_language(request))
    keys = await anyio.to_thread.run_sync(runtime.derive, codename)
    await anyio.to_thread.run_sync(runtime.store.register_source, keys.lookup_id, keys.recipient)
    token = runtime.sessions.open(keys)
    log.info("codename issued")
    response = render(request, "codename.html", codename=codename)
    return with_session_cookie(response, token, runtime.settings.session_minutes * 60)


async def login_form(request: Request) -> Response:
    return render(request, "login.html", failed=False)


async def login(request: Request) -> Response:
    runtime = runtime_of(request)
    # a testimony given back after its session ran out travels with the log-in (kept_text.py);
    # url-encoding makes UTF-8 text up to three times longer
    form = await read_small_form(request, MAX_SMALL_FORM_BYTES + 3 * MAX_KEPT_MESSAGE_BYTES)
    require_csrf(request, form.get("csrf_token"))
    count_login(request)
    codename = form.get("codename", "")
    kept = form.get("message", "")
    keys = await anyio.to_thread.run_sync(runtime.derive, codename)
    known = await anyio.to_thread.run_sync(runtime.store.source_recipient, keys.lookup_id)
    if known is None:
        log.info("log-in failed")
        return render(
            request, "login.html", status_code=401, failed=True, expired=bool(kept), kept=kept
        )
    log.info("log-in")
    token = runtime.sessions.open(keys)
    lifetime = runtime.settings.session_minutes * 60
    session = runtime.sessions.get(token)
    if kept and session is not None:
        # the form again, with the text in it: a redirect could not carry the text
        page = await render_source_page(request, session, kept_message=kept)
        return with_session_cookie(page, token, lifetime)
    response = RedirectResponse(f"/source?lang={page_language(request)}", status_code=303)
    return with_session_cookie(response, token, lifetime)


async def logout(request: Request) -> Response:
    require_csrf(request, (await read_small_form(request)).get("csrf_token"))
    runtime_of(request).sessions.close(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"/?lang={page_language(request)}", status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", max_age=0))
    return response


def _reply_text(plaintext: bytes) -> str:
    """A reply's text: a testament item's message (padded, as the desk writes them), or plain
    UTF-8 text (what other clients of the desk API may send)."""
    if plaintext.startswith(MAGICS):
        _, body = read_item(io.BytesIO(plaintext))
        plaintext = body.read()
    return plaintext.decode("utf-8", "replace")


def _read_replies(
    runtime: IntakeRuntime, session: SourceSession
) -> tuple[list[tuple[str, str]], int]:
    """The source's replies, decrypted in memory for this request only, and how many could not
    be read (a damaged or malformed reply must not make the page fail for good)."""
    replies = []
    unreadable = 0
    for reply in runtime.store.replies_for(session.lookup_id):
        try:
            text = _reply_text(decrypt_bytes(reply.path.read_bytes(), [session.identity]))
        except (CryptoError, OSError):
            unreadable += 1
            continue
        replies.append((reply.created, text))
    return replies, unreadable


def size_limit_text(limit_bytes: int, language: str) -> str:
    """The upload limit in words a source reads ("2 GB", "512 МБ"), rounded down, never "0"."""
    gib, mib = limit_bytes // 1024**3, limit_bytes // 1024**2
    if gib >= 1:
        return format_unit(gib, "digital-gigabyte", length="short", locale=language)
    return format_unit(max(mib, 1), "digital-megabyte", length="short", locale=language)


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/login?lang={page_language(request)}", status_code=303)


async def source_page(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return _login_redirect(request)
    return await render_source_page(request, session)


async def render_source_page(
    request: Request, session: SourceSession, *, kept_message: str = "", status_code: int = 200
) -> Response:
    runtime = runtime_of(request)
    replies, unreadable = await anyio.to_thread.run_sync(_read_replies, runtime, session)
    return render(
        request,
        "source.html",
        status_code=status_code,
        replies=replies,
        unreadable_replies=unreadable,
        kept_message=kept_message,
        sent=request.query_params.get("sent") == "1",
        empty=request.query_params.get("empty") == "1",
        recipients=" ".join(runtime.settings.recipients),
        max_size=size_limit_text(runtime.settings.max_body_bytes, page_language(request)),
    )


async def submit(request: Request) -> Response:
    """Stream, encrypt and store a submission (see ``testament.intake.upload``)."""
    session = current_session(request)
    if session is None:
        # The session ran out while the source was writing: give the text back (kept_text.py).
        message, token = await read_kept_fields(request)
        require_csrf(request, token)
        if not message.strip():
            return _login_redirect(request)
        log.info("session expired before a submission: text given back")
        return render(
            request, "login.html", status_code=401, failed=False, expired=True, kept=message
        )
    runtime = runtime_of(request)
    if not runtime.submissions_per_source.allow(session.lookup_id):
        raise RateLimitedError("submissions of this source")
    cookie = request.state.csrf_cookie
    length = request.headers.get("content-length")
    runtime.uploads.enter(session.lookup_id)
    try:
        upload = await receive_upload(
            request.stream(),
            request.headers.get("content-type"),
            recipients=runtime.recipients,
            new_path=runtime.store.new_incoming_path,
            check_csrf=lambda token: runtime.csrf.valid(cookie, token),
            limits=runtime.upload_limits,
            declared_length=int(length) if length and length.isdigit() else None,
            threads=runtime.uploads.threads,
        )
    finally:
        runtime.uploads.leave(session.lookup_id)
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
