"""The corroboration page of an event or act: status, flags, lines, denials, rationale, graph.

The target itself is checked like any record (``viewing.shown``): one the role may not see is a
404, a secret one opens with a reason written to the audit log. What the page says of the
sources is ``desk.corroboration_view``'s: a source the role may not see is counted, never named.
The graph is the SVG of ``corroborate.picture``, drawn here on the server and put inline (it
escapes every label itself; it has no scripts and no external references).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.casework.corroboration import corroborate_casebook
from testament.core.vocabulary import Language, vocabulary
from testament.desk import viewing
from testament.desk.corroboration_view import (
    CorroborationCache,
    CorroborationShown,
    Reason,
    shown_corroboration,
)
from testament.desk.web import words
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.render import page_language, render, translate
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session

if TYPE_CHECKING:
    from testament.corroborate.picture import GraphWords
    from testament.corroborate.rules import Assessment

TARGET_TYPES = ("event", "act")


def new_cache() -> CorroborationCache:
    """The app's one cache of the casebook's corroboration (``create_app`` makes it, and starts
    its first computation when the desk starts)."""
    return CorroborationCache(corroborate_casebook)


def _cache(request: Request) -> CorroborationCache:
    cache = request.app.state.corroboration_cache
    assert isinstance(cache, CorroborationCache)
    return cache


async def _target(request: Request, session: Session) -> viewing.Shown:
    record_type = str(request.path_params["record_type"])
    if record_type not in TARGET_TYPES:
        raise HTTPException(404)
    found = await anyio.to_thread.run_sync(
        viewing.shown,
        runtime_of(request).casebook.engine,
        session.user.role,
        record_type,
        str(request.path_params["record_id"]),
    )
    if found is None:
        raise HTTPException(404)
    return found


async def corroboration_page(request: Request) -> Response:
    session = await require_session(request)
    found = await _target(request, session)
    if found.needs_reason:
        return render(
            request,
            "reason.html",
            session=session,
            shown=found,
            problem=False,
            action=request.url.path,
        )
    return await _render(request, session, found, reason=None)


async def corroboration_with_reason(request: Request) -> Response:
    """A secret event or act, opened with the reason given in the form; the opening is audited."""
    session = await require_session(request)
    form = await form_of(request, session)
    found = await _target(request, session)
    if not found.needs_reason:
        return RedirectResponse(request.url.path, status_code=303)
    reason = viewing.clean_reason(form.get("reason"))
    if reason is None:
        return render(
            request,
            "reason.html",
            session=session,
            shown=found,
            problem=True,
            action=request.url.path,
            status_code=400,
        )
    runtime = runtime_of(request)
    now = runtime.now()
    await anyio.to_thread.run_sync(
        lambda: viewing.record_opening(
            runtime.casebook.engine, session.user, found, action="view", reason=reason, now=now
        )
    )
    return await _render(request, session, found, reason=reason)


async def _render(
    request: Request, session: Session, found: viewing.Shown, *, reason: str | None
) -> Response:
    casebook = runtime_of(request).casebook
    language = page_language(request, session)
    hidden = translate(language, words.HIDDEN_SOURCE_LABEL)
    cache = _cache(request)

    def read() -> tuple[CorroborationShown | None, bool] | None:
        cached = cache.get(casebook)
        if cached is None:
            return None
        return shown_corroboration(
            casebook,
            cached.result,
            session.user.role,
            found.record_type,
            found.record_id,
            hidden_label=lambda n: hidden % {"n": n},
            graph_words=_graph_words(language, found.record_type),
            reason_label=lambda reason: _reason_label(reason, language),
            act_type_label=lambda code: _vocabulary_label("act_type", code, language),
        ), cached.current

    answer = await anyio.to_thread.run_sync(read)
    # None: the first computation of a large casebook is still running
    shown, current = answer if answer is not None else (None, False)
    return render(
        request,
        "corroboration.html",
        session=session,
        target=found,
        view=shown,
        current=current,
        computing=answer is None,
        reason=reason,
        source_kind=lambda code: _vocabulary_label("source_kind", code, language),
    )


def _graph_words(language: Language, record_type: str) -> GraphWords:
    """The graph's texts in the reader's language."""
    # imported here: the analysis (numpy) loads when a page needs it, not with the app
    from testament.corroborate.picture import GraphWords

    def say(key: str) -> str:
        return translate(language, words.GRAPH_LABELS[key])

    def summary(assessment: Assessment) -> str:
        status = translate(language, words.label(words.STATUS_LABELS, assessment.status.value))
        return say("summary") % {
            "status": status,
            "lines": len(assessment.lines),
            "supporting": len(assessment.supporting),
            "denials": len(assessment.denials),
        }

    kind = translate(language, words.label(words.RECORD_TYPE_LABELS, record_type))
    return GraphWords(
        target_kind=kind,
        summary=summary,
        independent_line=say("independent_line"),
        denial=say("denial"),
        dependent=say("dependent"),
        legend=tuple(
            say(key)
            for key in ("legend_lines", "legend_dependent", "legend_denials", "legend_dashed")
        ),
    )


def _reason_label(reason: Reason, language: Language) -> str:
    """Why two sources share an origin, in the reader's language (for the graph's lines)."""
    key = reason.kind
    if key in ("outlet", "informant") and not reason.a:
        key += "_unnamed"
    text = words.DEPENDENCY_REASON_LABELS.get(key, words.DEPENDENCY_REASON_LABELS["shared"])
    return translate(language, text) % {"a": reason.a, "b": reason.b}


def _vocabulary_label(name: str, code: str, language: Language) -> str:
    try:
        return vocabulary(name).label(code, language)
    except KeyError:
        return code
