"""Editing a record, and its history: ``/records/{type}/{id}/edit`` and ``.../history``.

Who may edit is ``access.may_edit`` (a viewer may not: 403) and which record ``viewing.shown``
(what a role may not see is a 404, like what does not exist). A secret record is edited, like
it is read, only after a POSTed reason, and each time its stored contents are shown (the form,
a conflict, its history) one audit row says who and why; the reason rides along in the form.

Optimistic locking: the form carries the version it was read at, and the store writes the change
only if the record is still at that version. When a colleague saved first, the answer is a 409
page with their values beside the reviewer's typed ones and the form still filled with the
reviewer's values, now on the new version: nothing is lost, and saving again re-applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.core.errors import RecordNotFoundError, ReferenceIntegrityError, VersionConflictError
from testament.core.records import AnyRecord
from testament.desk import editing, viewing
from testament.desk.access import may_edit
from testament.desk.web import words
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.render import page_language, render, translate
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.store import RecordMeta

#: A record's form may hold a long text (20,000 characters, up to six bytes each urlencoded).
MAX_EDIT_FORM_BYTES = 512 * 1024
MAX_EDIT_FIELDS = 64


def _path(found: viewing.Shown, page: str = "") -> str:
    return f"/records/{found.record_type}/{quote(found.record_id, safe='')}{page}"


async def _found(request: Request, session: Session) -> viewing.Shown:
    record_type = str(request.path_params["record_type"])
    record_id = str(request.path_params["record_id"])
    found = await anyio.to_thread.run_sync(
        viewing.shown,
        runtime_of(request).casebook.engine,
        session.user.role,
        record_type,
        record_id,
    )
    if found is None:
        raise HTTPException(404)
    return found


def ask_reason(
    request: Request, session: Session, found: viewing.Shown, action: str, *, problem: bool
) -> Response:
    return render(
        request,
        "reason.html",
        session=session,
        shown=found,
        action=action,
        problem=problem,
        status_code=400 if problem else 200,
    )


def opened_reason(
    request: Request, session: Session, found: viewing.Shown, form: dict[str, str], action: str
) -> str | Response | None:
    """For a secret record, the reason given in ``form`` (or the page asking for one); None
    for a record that needs none."""
    if not found.needs_reason:
        return None
    reason = viewing.clean_reason(form.get("reason"))
    if reason is None:
        return ask_reason(request, session, found, action, problem="reason" in form)
    return reason


async def note_opening(
    request: Request, session: Session, found: viewing.Shown, reason: str | None
) -> None:
    """One audit row each time a secret record's stored contents are shown, with the reason."""
    if reason is None:
        return
    runtime = runtime_of(request)
    now = runtime.now()
    await anyio.to_thread.run_sync(
        lambda: viewing.record_opening(
            runtime.casebook.engine, session.user, found, action="view", reason=reason, now=now
        )
    )


def problem_texts(
    request: Request, session: Session, problems: dict[str, list[editing.Problem]]
) -> dict[str, list[str]]:
    language = page_language(request, session)
    texts: dict[str, list[str]] = {}
    for name, found in problems.items():
        for problem in found:
            template = words.PROBLEM_LABELS.get(problem.kind)
            if template is None:
                text = problem.message  # the model's own words (an EDTF or ISO 3166-2 problem)
            else:
                try:
                    text = translate(language, template) % problem.context
                except (KeyError, TypeError, ValueError):
                    text = translate(language, template)
            texts.setdefault(name, []).append(text)
    return texts


def _edit_page(
    request: Request,
    session: Session,
    found: viewing.Shown,
    *,
    values: dict[str, str],
    version: int,
    reason: str | None,
    problems: dict[str, list[str]] | None = None,
    conflict: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "edit.html",
        session=session,
        shown=found,
        form_fields=editing.form_fields(found.record_type, page_language(request, session)),
        fixed=editing.fixed_fields(found.record_type, values),
        values=values,
        version=version,
        reason=reason,
        problems=problems or {},
        conflict=conflict,
        action=_path(found, "/edit"),
        record_path=_path(found),
        status_code=status_code,
    )


def _current(request: Request, found: viewing.Shown) -> Callable[[], tuple[AnyRecord, RecordMeta]]:
    casebook = runtime_of(request).casebook

    def read() -> tuple[AnyRecord, RecordMeta]:
        # the version first: content newer than the version the form carries only causes a
        # needless conflict, while the other order could let a save pass over unseen content
        meta = casebook.meta(found.record_type, found.record_id)
        return casebook.get(found.record_type, found.record_id), meta

    return read


async def edit_form(request: Request) -> Response:
    session = await require_session(request)
    found = await _found(request, session)
    if not may_edit(session.user.role):
        raise HTTPException(403)
    if found.needs_reason:
        return ask_reason(request, session, found, _path(found, "/edit"), problem=False)
    record, meta = await anyio.to_thread.run_sync(_current(request, found))
    return _edit_page(
        request, session, found, values=editing.values_of(record), version=meta.version, reason=None
    )


async def edit_submit(request: Request) -> Response:
    """The reason for opening a secret record's form, or a change to save."""
    session = await require_session(request)
    form = await form_of(request, session, limit=MAX_EDIT_FORM_BYTES, max_fields=MAX_EDIT_FIELDS)
    found = await _found(request, session)
    if not may_edit(session.user.role):
        raise HTTPException(403)
    opened = opened_reason(request, session, found, form, _path(found, "/edit"))
    if isinstance(opened, Response):
        return opened
    if "version" not in form:  # the reason form: show the record's form
        await note_opening(request, session, found, opened)
        record, meta = await anyio.to_thread.run_sync(_current(request, found))
        return _edit_page(
            request,
            session,
            found,
            values=editing.values_of(record),
            version=meta.version,
            reason=opened,
        )
    version_text = form["version"]
    if not version_text.isdigit() or len(version_text) > 9:
        raise HTTPException(400)
    return await _save(request, session, found, form, version=int(version_text), reason=opened)


async def _save(
    request: Request,
    session: Session,
    found: viewing.Shown,
    form: dict[str, str],
    *,
    version: int,
    reason: str | None,
) -> Response:
    runtime = runtime_of(request)
    casebook = runtime.casebook
    typed = editing.typed_values(found.record_type, form)

    def invalid(problems: dict[str, list[editing.Problem]]) -> Response:
        return _edit_page(
            request,
            session,
            found,
            values=typed,
            version=version,
            reason=reason,
            problems=problem_texts(request, session, problems),
            status_code=400,
        )

    parsed = editing.parse(found.record_type, found.record_id, typed)
    if parsed.record is None:
        return invalid(parsed.problems)
    before, meta = await anyio.to_thread.run_sync(_current(request, found))
    record = editing.keep_evidence(before, parsed.record)
    unseen = await anyio.to_thread.run_sync(
        lambda: editing.unseen_references(casebook, session.user.role, before, record)
    )
    if unseen:
        return invalid(
            {
                name: [editing.Problem("unseen_reference", "", {"ids": ", ".join(ids)})]
                for name, ids in unseen.items()
            }
        )
    try:
        if record != before:
            await anyio.to_thread.run_sync(
                lambda: casebook.update(record, actor=session.user.actor, expected_version=version)
            )
        elif meta.version != version:
            raise VersionConflictError(
                found.record_type, found.record_id, current_version=meta.version
            )
    except VersionConflictError:
        return await _conflict(request, session, found, typed, reason)
    except ReferenceIntegrityError as error:
        # in the desk's words only: the store's would name every id on a cycle, hidden or not
        return invalid(
            {
                (problem.field or ""): [editing.Problem("reference", "")]
                for problem in error.problems
            }
        )
    except RecordNotFoundError:
        raise HTTPException(404) from None
    return RedirectResponse(_path(found), status_code=303)


async def _conflict(
    request: Request,
    session: Session,
    found: viewing.Shown,
    typed: dict[str, str],
    reason: str | None,
) -> Response:
    """409: a colleague saved first. Their values beside the reviewer's, the form still the
    reviewer's, on the colleague's version (saving re-applies the reviewer's values)."""
    # the colleague may have changed the record's level: ask the rule again before showing it
    now_found = await _found(request, session)
    if now_found.needs_reason and reason is None:
        return ask_reason(request, session, now_found, _path(now_found, "/edit"), problem=False)
    try:
        current, meta = await anyio.to_thread.run_sync(_current(request, found))
    except RecordNotFoundError:
        raise HTTPException(404) from None
    await note_opening(request, session, now_found, reason)
    theirs = editing.values_of(current)
    return _edit_page(
        request,
        session,
        found,
        values=typed,
        version=meta.version,
        reason=reason,
        conflict={"theirs": theirs, "differing": editing.differing(theirs, typed), "meta": meta},
        status_code=409,
    )


async def history_page(request: Request) -> Response:
    session = await require_session(request)
    found = await _found(request, session)
    if found.needs_reason:
        return ask_reason(request, session, found, _path(found, "/history"), problem=False)
    return await _history(request, session, found, None)


async def history_with_reason(request: Request) -> Response:
    session = await require_session(request)
    form = await form_of(request, session)
    found = await _found(request, session)
    opened = opened_reason(request, session, found, form, _path(found, "/history"))
    if isinstance(opened, Response):
        return opened
    if opened is None:  # a record not secret today, opened with a reason for its secret past
        opened = viewing.clean_reason(form.get("reason"))
        if opened is None or not await _secret_past(request, session, found):
            return await _history(request, session, found, None, problem="reason" in form)
    await note_opening(request, session, found, opened)
    return await _history(request, session, found, opened)


async def _secret_past(request: Request, session: Session, found: viewing.Shown) -> bool:
    """Whether the record had secret versions this reviewer could see with a reason (only then
    does a reason given for its history open anything, and get written to the audit log)."""
    casebook = runtime_of(request).casebook
    entries = await anyio.to_thread.run_sync(
        lambda: editing.history(
            casebook, session.user.role, found.record_type, found.record_id, "en"
        )
    )
    return any(entry.withheld == "reason" for entry in entries)


async def _history(
    request: Request,
    session: Session,
    found: viewing.Shown,
    reason: str | None,
    *,
    problem: bool = False,
) -> Response:
    casebook = runtime_of(request).casebook
    language = page_language(request, session)
    entries = await anyio.to_thread.run_sync(
        lambda: editing.history(
            casebook,
            session.user.role,
            found.record_type,
            found.record_id,
            language,
            reason_given=reason is not None,
        )
    )
    return render(
        request,
        "history.html",
        session=session,
        shown=found,
        entries=entries,
        reason=reason,
        record_path=_path(found),
        asks_reason=any(entry.withheld == "reason" for entry in entries),
        problem=problem,
        status_code=400 if problem else 200,
    )
