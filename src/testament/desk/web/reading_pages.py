"""The pages that read the casebook: inbox, record lists, one record, its files, the audit log.

Each handler asks ``viewing.shown`` (and through it ``access.visible``) before it reads a
record; what a role may not see is a 404, like what does not exist. A secret record is shown
only in answer to a POSTed form with a reason (and the session's CSRF token), and each such
answer writes one audit row; its files are downloaded the same way. A source's page also lists
the replies sent to it (they are as confidential as the source: shown only where it is) and, for
admins and researchers, the reply form that ``intake_pages`` answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from testament.core.records import AnyRecord, Source
from testament.core.terms import SourceKind
from testament.crypto.items import safe_filename
from testament.desk import inbox as inbox_queries
from testament.desk import viewing
from testament.desk.access import may_edit, may_pull, may_read_audit, may_reply
from testament.desk.contacts import Contacts
from testament.desk.errors import DeskError
from testament.desk.replies import RecordedReply, replies_of
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.render import page_language, render
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.store import Attachment, RecordMeta
from testament.store.schema import RECORD_TABLES


def _page_number(request: Request) -> int:
    value = request.query_params.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 9 else 1


async def home(request: Request) -> Response:
    await require_session(request)
    return RedirectResponse("/inbox", status_code=303)


async def inbox(request: Request) -> Response:
    session = await require_session(request)
    runtime = runtime_of(request)
    query = request.query_params.get("q", "")
    unread_only = request.query_params.get("unread") == "1"
    uncoded_only = request.query_params.get("uncoded") == "1"
    page = await anyio.to_thread.run_sync(
        lambda: inbox_queries.inbox(
            runtime.casebook.engine,
            role=session.user.role,
            user_id=session.user.id,
            page=_page_number(request),
            query=query,
            unread_only=unread_only,
            uncoded_only=uncoded_only,
        )
    )
    return render(
        request,
        "inbox.html",
        session=session,
        inbox=page,
        may_pull=may_pull(session.user.role),
        connected=runtime.settings.intake is not None,
        pull_running=runtime.pulls.running(),
    )


def _record_type(request: Request) -> str:
    record_type = str(request.path_params["record_type"])
    if record_type not in RECORD_TABLES:
        raise HTTPException(404)
    return record_type


async def record_list(request: Request) -> Response:
    session = await require_session(request)
    record_type = _record_type(request)
    listing = await anyio.to_thread.run_sync(
        lambda: viewing.record_list(
            runtime_of(request).casebook.engine,
            session.user.role,
            record_type,
            _page_number(request),
            page_language(request, session),
        )
    )
    return render(
        request, "records.html", session=session, listing=listing, types=list(RECORD_TABLES)
    )


async def shown_record(request: Request, session: Session) -> viewing.Shown:
    found = await anyio.to_thread.run_sync(
        viewing.shown,
        runtime_of(request).casebook.engine,
        session.user.role,
        _record_type(request),
        str(request.path_params["record_id"]),
    )
    if found is None:
        raise HTTPException(404)
    return found


async def record_page(request: Request) -> Response:
    session = await require_session(request)
    found = await shown_record(request, session)
    if found.needs_reason:
        return render(request, "reason.html", session=session, shown=found, problem=False)
    return await render_record(request, session, found, reason=None)


async def record_with_reason(request: Request) -> Response:
    """A secret record, opened with the reason given in the form; the opening is audited."""
    session = await require_session(request)
    form = await form_of(request, session)
    found = await shown_record(request, session)
    if not found.needs_reason:
        return RedirectResponse(request.url.path, status_code=303)
    reason = viewing.clean_reason(form.get("reason"))
    if reason is None:
        return render(
            request, "reason.html", session=session, shown=found, problem=True, status_code=400
        )
    runtime = runtime_of(request)
    viewing.record_opening(
        runtime.casebook.engine,
        session.user,
        found,
        action="view",
        reason=reason,
        now=runtime.now(),
    )
    return await render_record(request, session, found, reason=reason)


#: The longest reply the web form takes (the CLI takes longer ones from a file).
MAX_WEB_REPLY_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class ReplyForm:
    """The reply form of a source's page: what was typed, what went wrong (``problem``, with
    the error's ``detail``), or that the reply was sent; ``token`` makes it act once."""

    text: str = ""
    problem: str = ""
    detail: str = ""
    sent: bool = False
    token: str = ""


@dataclass(frozen=True, slots=True)
class _Replies:
    """A source's replies (as confidential as the source), and whether this reader can answer:
    ``answerable`` when the source has a reply address, ``connected`` when the desk has an
    intake to send through."""

    recorded: list[RecordedReply]
    answerable: bool
    connected: bool


def _replies(request: Request, session: Session, record: AnyRecord) -> _Replies | None:
    if not isinstance(record, Source):
        return None
    runtime = runtime_of(request)
    connection = runtime.settings.intake
    recorded = replies_of(runtime.casebook.engine, record.id)
    if not may_reply(session.user.role):
        return _Replies(recorded, answerable=False, connected=connection is not None)
    if connection is None:  # without the sidecar's place, pulled testimonies stand for it
        answerable = record.kind is SourceKind.TESTIMONY and record.id.startswith("intake:")
    else:
        try:
            answerable = record.id in Contacts(connection.contacts)
        except DeskError:  # a damaged sidecar: the page still shows; `desk reply` says why
            answerable = False
    return _Replies(recorded, answerable=answerable, connected=connection is not None)


async def render_record(
    request: Request,
    session: Session,
    found: viewing.Shown,
    *,
    reason: str | None,
    reply: ReplyForm | None = None,
    status_code: int = 200,
) -> Response:
    """A record's page (the caller has checked it may be shown, and audited a secret opening);
    a source's page lists its replies and, for those who may send one, the reply form."""
    runtime = runtime_of(request)
    casebook = runtime.casebook
    language = page_language(request, session)
    now = runtime.now()

    def read() -> tuple[
        AnyRecord, list[viewing.Field], list[Attachment], RecordMeta, _Replies | None
    ]:
        record = casebook.get(found.record_type, found.record_id)
        shown_fields = viewing.fields(casebook, session.user.role, record, language)
        attachments: list[Attachment] = []
        if isinstance(record, Source):
            attachments = list(casebook.attachments(record.id).values())
            if record.kind is SourceKind.TESTIMONY:
                viewing.mark_read(casebook.engine, session.user.id, record.id, now)
        meta = casebook.meta(found.record_type, found.record_id)
        return record, shown_fields, attachments, meta, _replies(request, session, record)

    record, shown_fields, attachments, meta, replies = await anyio.to_thread.run_sync(read)
    return render(
        request,
        "record.html",
        session=session,
        status_code=status_code,
        replies=replies,
        reply=reply or ReplyForm(token=runtime.reply_forms.new()),
        max_reply_chars=MAX_WEB_REPLY_CHARS,
        shown=found,
        record=record,
        fields=[f for f in shown_fields if f.name != "text"],
        text=record.text if isinstance(record, Source) else None,
        attachments=attachments,
        meta=meta,
        reason=reason,
        may_edit=may_edit(session.user.role),
        coded=request.method == "GET" and request.query_params.get("coded") == "1",
    )


async def download(request: Request) -> Response:
    """An attachment of a source: the original (evidence, with its hash) or the working copy.

    Always ``application/octet-stream`` and an attachment: a hostile file is never rendered
    by the browser inside the desk's origin."""
    session = await require_session(request)
    form = await form_of(request, session)
    if request.path_params["record_type"] != "source":
        raise HTTPException(404)
    found = await shown_record(request, session)
    runtime = runtime_of(request)
    casebook = runtime.casebook
    which = request.path_params["which"]
    held = await anyio.to_thread.run_sync(casebook.attachments, found.record_id)
    item = held.get(str(request.path_params["attachment_id"]))
    if item is None or which not in ("original", "working"):
        raise HTTPException(404)
    if found.needs_reason:
        reason = viewing.clean_reason(form.get("reason"))
        if reason is None:
            return render(
                request, "reason.html", session=session, shown=found, problem=True, status_code=400
            )
        now, detail = runtime.now(), f"{item.id} {which}"
        await anyio.to_thread.run_sync(
            lambda: viewing.record_opening(
                casebook.engine,
                session.user,
                found,
                action="download",
                reason=reason,
                now=now,
                detail=detail,
            )
        )
    sha256 = item.sha256 if which == "original" else item.working_sha256
    name = safe_filename(item.filename or item.id.replace(":", "-"))
    if which == "working":
        name = f"working-copy-{name}"
    response = FileResponse(
        casebook.evidence.path(sha256), filename=name, media_type="application/octet-stream"
    )
    response.headers["x-sha256"] = sha256
    return response


async def audit(request: Request) -> Response:
    session = await require_session(request)
    if not may_read_audit(session.user.role):
        raise HTTPException(404)
    page = await anyio.to_thread.run_sync(
        lambda: viewing.audit_page(runtime_of(request).casebook.engine, _page_number(request))
    )
    return render(request, "audit.html", session=session, audit=page)
