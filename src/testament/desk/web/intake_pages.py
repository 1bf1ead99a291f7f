"""The desk's exchanges with the intake: the inbox's Pull button, and replies to sources.

``POST /inbox/pull`` takes the reviewer identity's passphrase, opens the identity in memory and
starts a pull in the background (``pull_job``); ``GET /inbox/pull`` shows its progress. The
passphrase is used for that one opening: it is never stored, logged, put in a session or sent
back in a page, and a wrong one is answered only after a delay.

``POST /records/source/{id}/reply`` sends a reply (encrypted to the source's own key; the intake
never sees the text) and records it in the casebook (``desk.replies``) for colleagues; the
source's page lists the replies to whoever may see the source.

Both are for admins and researchers (``access.may_pull``, ``access.may_reply``), and both say,
rather than fail, when the desk was started without ``--intake``.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
from pyrage import x25519
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.desk import viewing
from testament.desk.access import may_pull, may_reply
from testament.desk.contacts import Contacts
from testament.desk.errors import (
    DeskError,
    IdentityError,
    IntakeAuthError,
    IntakeConnectionError,
    WrongPassphraseError,
)
from testament.desk.keygen import load_identity
from testament.desk.replies import send_and_record
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.reading_pages import (
    MAX_WEB_REPLY_CHARS,
    ReplyForm,
    render_record,
    shown_record,
)
from testament.desk.web.render import render
from testament.desk.web.runtime import runtime_of

#: A reply form's bytes: every character percent-encoded from 4 UTF-8 bytes, and the rest.
_REPLY_FORM_BYTES = 12 * MAX_WEB_REPLY_CHARS + 4096
_PASSPHRASE_FORM_BYTES = 4096


async def pull_page(request: Request) -> Response:
    """The running pull's progress, or the last one's result, or the form to start one."""
    session = await require_session(request)
    if not may_pull(session.user.role):
        raise HTTPException(403)
    runtime = runtime_of(request)
    return render(
        request,
        "pull.html",
        session=session,
        connected=runtime.settings.intake is not None,
        job=runtime.pulls.view(),
        problem=None,
        detail="",
    )


async def pull_start(request: Request) -> Response:
    """Open the identity with the passphrase given and start a pull (one at a time)."""
    session = await require_session(request)
    form = await form_of(request, session, limit=_PASSPHRASE_FORM_BYTES, max_fields=4)
    if not may_pull(session.user.role):
        raise HTTPException(403)
    runtime = runtime_of(request)
    connection = runtime.settings.intake
    if connection is None:
        return render(
            request, "pull.html", session=session, connected=False, job=None, problem=None,
            detail="", status_code=409,
        )  # fmt: skip
    if runtime.pulls.running():  # a second press shows the running pull, whatever was typed
        return RedirectResponse("/inbox/pull", status_code=303)
    passphrase = form.pop("passphrase", "")
    del form
    locked_until = runtime.passphrase_guesses.locked_until(runtime.now())
    if locked_until is not None:  # not even tried: a guess now tells nothing
        del passphrase
        return render(
            request,
            "pull.html",
            session=session,
            connected=True,
            job=runtime.pulls.view(),
            problem="locked",
            detail="",
            locked_until=locked_until,
            status_code=429,
        )

    def open_identity(secret: str) -> x25519.Identity | IdentityError:
        try:
            return load_identity(connection.identity, secret)
        except IdentityError as error:  # its message names the file, never the passphrase
            return error

    opened = await anyio.to_thread.run_sync(open_identity, passphrase)
    del passphrase
    if isinstance(opened, IdentityError):
        wrong = isinstance(opened, WrongPassphraseError)
        if wrong:  # scrypt already makes each guess take about a second; the delay adds to it
            runtime.passphrase_guesses.failed(runtime.now())
            await anyio.sleep(connection.wrong_passphrase_delay_seconds)
        return render(
            request,
            "pull.html",
            session=session,
            connected=True,
            job=runtime.pulls.view(),
            problem="passphrase" if wrong else "identity",
            detail="" if wrong else str(opened),
            status_code=400,
        )
    identity = opened
    runtime.passphrase_guesses.succeeded()
    runtime.pulls.start(connection, runtime.casebook, identity, user_name=session.user.name)
    del identity
    return RedirectResponse("/inbox/pull", status_code=303)


async def reply(request: Request) -> Response:
    """Send the reply typed in the source's page, record it, and show the page again."""
    session = await require_session(request)
    form = await form_of(request, session, limit=_REPLY_FORM_BYTES, max_fields=6)
    if request.path_params["record_type"] != "source":
        raise HTTPException(404)
    found = await shown_record(request, session)
    if not may_reply(session.user.role):
        raise HTTPException(403)
    runtime = runtime_of(request)
    reason: str | None = None
    if found.needs_reason:
        reason = viewing.clean_reason(form.get("reason"))
        if reason is None:
            return render(
                request, "reason.html", session=session, shown=found, problem=True, status_code=400
            )
    connection = runtime.settings.intake
    text = form.get("text", "")
    token = form.get("once", "")

    async def show(state: ReplyForm, status: int = 200) -> Response:
        """The source's page again; shown with a reason, it is another audited opening."""
        if reason is not None:
            await anyio.to_thread.run_sync(
                lambda: viewing.record_opening(
                    runtime.casebook.engine,
                    session.user,
                    found,
                    action="view",
                    reason=reason,
                    now=runtime.now(),
                )
            )
        return await render_record(
            request, session, found, reason=reason, reply=state, status_code=status
        )

    async def again(problem: str, detail: str = "", status: int = 400) -> Response:
        """The page again, the text kept, with what went wrong (nothing was sent)."""
        runtime.reply_forms.forget(token)
        return await show(ReplyForm(text=text, problem=problem, detail=detail, token=token), status)

    if connection is None:
        return await again("not connected", status=409)
    try:
        contacts = await anyio.to_thread.run_sync(Contacts, connection.contacts)
    except DeskError as error:  # a damaged sidecar: say so, send nothing
        return await again("refused", str(error), status=503)
    if found.record_id not in contacts:
        raise HTTPException(404)  # no reply address: nothing to send to (the form is not shown)
    if not text.strip():
        return await again("empty")
    if len(text.strip()) > MAX_WEB_REPLY_CHARS:
        return await again("too long")
    if not runtime.reply_forms.use(token):
        return await show(ReplyForm(problem="already sent", token=runtime.reply_forms.new()))

    def send() -> None:
        send_and_record(
            connection.client(),
            runtime.casebook,
            contacts,
            found.record_id,
            text,
            author=session.user.name,
            now=runtime.now(),
        )

    try:
        await anyio.to_thread.run_sync(send)
    except IntakeAuthError as error:
        return await again("token", str(error), status=503)
    except IntakeConnectionError as error:
        return await again("unreachable", str(error), status=503)
    except DeskError as error:
        return await again("refused", str(error))
    return await show(ReplyForm(sent=True, token=runtime.reply_forms.new()))
