"""The linkage review pages: the queue of uncertain pairs, and one pair side by side.

``GET /review`` lists the undecided pairs of the latest linkage run that the role may see (pages
of 20); ``GET /review/{pair}`` shows both persons with their fields aligned and differences
marked; ``POST /review/{pair}`` (with the session's CSRF token) decides ``same`` or ``different``
or skips to the next pair. Admins, researchers and analysts decide; a viewer only reads. A pair
with a secret person opens only with a reason, written to the audit log for each secret person,
as any secret record does.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.core.records import Person
from testament.desk import review, viewing
from testament.desk.access import may_decide_links, needs_reason
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.render import page_language, render
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.store.link_review import VERDICTS, StoredDecision, decision_of, record_decision

_SKIP = "skip"


def _page_number(request: Request) -> int:
    value = request.query_params.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 9 else 1


async def review_queue(request: Request) -> Response:
    session = await require_session(request)
    engine = runtime_of(request).casebook.engine
    page = await anyio.to_thread.run_sync(
        lambda: review.review_queue(engine, session.user.role, _page_number(request))
    )
    return render(
        request,
        "review.html",
        session=session,
        queue=page,
        may_decide=may_decide_links(session.user.role),
    )


async def _pair(request: Request, session: Session) -> review.QueuedPair:
    pair = str(request.path_params["pair"])
    engine = runtime_of(request).casebook.engine
    found = await anyio.to_thread.run_sync(review.queued_pair, engine, session.user.role, pair)
    if found is None:
        raise HTTPException(404)
    return found


async def review_pair(request: Request) -> Response:
    session = await require_session(request)
    return await _render_pair(request, session, await _pair(request, session), reason=None)


async def decide(request: Request) -> Response:
    """A decision (``verdict`` same/different/skip), or the opening of a pair with a secret
    person (``reason`` and no verdict)."""
    session = await require_session(request)
    form = await form_of(request, session)
    found = await _pair(request, session)
    runtime = runtime_of(request)
    casebook, role = runtime.casebook, session.user.role
    verdict = form.get("verdict")
    if verdict is None:
        reason = viewing.clean_reason(form.get("reason"))
        if reason is None:
            return await _render_pair(request, session, found, reason=None, problem=True)
        return await _render_pair(request, session, found, reason=reason)
    if not may_decide_links(role):
        raise HTTPException(403)
    if verdict not in (*VERDICTS, _SKIP):
        raise HTTPException(400)
    if verdict != _SKIP:
        note = " ".join(form.get("note", "").split())[:500]
        now = runtime.now()
        await anyio.to_thread.run_sync(
            lambda: record_decision(
                casebook,
                found.pair_id,
                found.person_id_l,
                found.person_id_r,
                verdict,
                actor=session.user.actor,
                now=now,
                note=note,
            )
        )
    following = await anyio.to_thread.run_sync(
        review.next_pair, casebook.engine, role, found.pair_id
    )
    return RedirectResponse(f"/review/{following}" if following else "/review", status_code=303)


async def _render_pair(
    request: Request,
    session: Session,
    found: review.QueuedPair,
    *,
    reason: str | None,
    problem: bool = False,
) -> Response:
    runtime = runtime_of(request)
    casebook, role = runtime.casebook, session.user.role
    language = page_language(request, session)
    now = runtime.now()

    def read() -> tuple[Person, Person, list[review.AlignedField], StoredDecision | None]:
        left, right, rows = review.aligned(casebook, role, found, language)
        return left, right, rows, decision_of(casebook, found.pair_id)

    left, right, rows, decision = await anyio.to_thread.run_sync(read)
    secret = [p for p in (left, right) if needs_reason("person", p.confidentiality.value)]
    if secret and reason is None:
        return render(
            request,
            "review_reason.html",
            session=session,
            pair=found,
            problem=problem,
            status_code=400 if problem else 200,
        )
    if secret and reason is not None:  # each secret person opened is audited with the reason
        opened = [viewing.Shown("person", p.id, p.confidentiality.value, True) for p in secret]

        def audit() -> None:
            for shown in opened:
                viewing.record_opening(
                    casebook.engine, session.user, shown, action="view", reason=reason, now=now
                )

        await anyio.to_thread.run_sync(audit)
    return render(
        request,
        "review_pair.html",
        session=session,
        pair=found,
        left=left,
        right=right,
        rows=rows,
        decision=decision,
        may_decide=may_decide_links(role),
    )
