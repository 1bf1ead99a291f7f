"""Coding a source: ``/records/source/{id}/code``, one page, no JavaScript.

GET shows the source's text (the passages already coded marked, each linked to its claim) and
the coding form; POST with ``action=preview`` shows what would be created and every problem next
to its input, the form kept filled; ``action=save`` adds every record in one ``Casebook.add``
(one transaction, audited) and goes to the new claim. The records are made by ``desk.coding``.

Who: ``access.may_edit`` (a viewer gets 403), and the source as ``viewing.shown`` allows it (a
source the role may not see is a 404). A secret source's text is shown only after a POSTed
reason, written to the audit log; the reason rides along in the form like on the edit page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from testament.core.errors import ReferenceIntegrityError
from testament.core.records import AnyRecord, Source
from testament.core.terms import Confidentiality
from testament.core.vocabulary import Language, vocabulary
from testament.desk import coding, editing, regions, viewing
from testament.desk.access import Role, may_edit, may_see, needs_reason, visible
from testament.desk.web import words
from testament.desk.web.editing_pages import (
    ask_reason,
    note_opening,
    opened_reason,
    problem_texts,
)
from testament.desk.web.guards import form_of, require_session
from testament.desk.web.render import page_language, render, translate
from testament.desk.web.runtime import runtime_of
from testament.desk.web.sessions import Session
from testament.store import Casebook
from testament.store.schema import RECORD_TABLES

#: The source's text is not in the form; the excerpt and a summary are (20,000 characters
#: each at most, up to six bytes each urlencoded).
MAX_CODE_FORM_BYTES = 384 * 1024
MAX_CODE_FIELDS = 96
#: How many recent events and acts the target list offers (others by id).
RECENT_TARGETS = 30
MAX_INFORMANTS = 200

#: The selects of the form and the vocabulary their options come from.
SELECTS = {
    "stance": "stance",
    "basis": "basis",
    "act.act_type": "act_type",
    "act.status_at_end": "act_status_at_end",
    "person.sex": "sex",
    "person.age_band": "age_band",
    "place.precision": "place_precision",
    **{f"perp{row}.org_type": "organisation_type" for row in range(1, 4)},
    **{f"perp{row}.degree": "involvement_degree" for row in range(1, 4)},
}


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Planned:
    """A record the form would create, as the preview lists it."""

    record_type: str
    fields: list[tuple[str, str]]


def _path(source_id: str, page: str = "") -> str:
    return f"/records/source/{quote(source_id, safe='')}{page}"


async def _source(request: Request, session: Session) -> viewing.Shown:
    found = await anyio.to_thread.run_sync(
        viewing.shown,
        runtime_of(request).casebook.engine,
        session.user.role,
        "source",
        str(request.path_params["record_id"]),
    )
    if found is None:
        raise HTTPException(404)
    if not may_edit(session.user.role):
        raise HTTPException(403)
    return found


def _allowed_levels(role: Role) -> frozenset[str]:
    """The levels a role may give new records: those it may see (never one it could not open)."""
    return frozenset(level.value for level in Confidentiality if may_see(role, "claim", level))


def _defaults(source: Source) -> dict[str, str]:
    testimony = source.kind in coding.TESTIMONY_KINDS
    return {
        "confidentiality": coding.default_level(source).value,
        "stance": "asserts",
        "basis": "first_hand" if testimony else "documentary",
        "target": "act",
        "act.status_at_end": "unknown",
        "victim": "person",
        "person.sex": "unknown",
        "person.age_band": "unknown",
        "place": "none",
        "place.precision": "settlement",
        **{f"perp{row}.degree": "directly_carried_out" for row in range(1, 4)},
    }


def _marks(casebook: Casebook, role: Role, source: Source) -> list[coding.Segment]:
    """The source's text cut around the passages of the claims this role may see."""
    table = RECORD_TABLES["claim"]
    with casebook.engine.connect() as connection:
        rows = connection.execute(
            select(table.c.id, table.c.span_start, table.c.span_end).where(
                table.c.source_id == source.id,
                table.c.span_start.is_not(None),
                visible(role, "claim", table),
            )
        ).all()
    return coding.marked(source.text or "", [(row[0], row[1], row[2]) for row in rows])


def _targets(casebook: Casebook, role: Role, language: Language) -> list[Choice]:
    """The events and acts most recently added that the role may see, newest first; a secret
    one by its id only (its title is what the reason guards)."""
    choices: list[tuple[Any, Choice]] = []
    with casebook.engine.connect() as connection:
        for kind, label_column in (("event", "title"), ("act", "act_type")):
            table = RECORD_TABLES[kind]
            rows = connection.execute(
                select(
                    table.c.id, table.c.confidentiality, table.c[label_column], table.c.created_at
                )
                .where(visible(role, kind, table))
                .order_by(table.c.created_at.desc(), table.c.id)
                .limit(RECENT_TARGETS)
            ).all()
            for row in rows:
                kind_label = translate(language, words.RECORD_TYPE_LABELS[kind])
                text = f"{kind_label} {row[0]}"
                if not needs_reason(kind, row[1]):
                    label = viewing.value_text(label_column, row[2], language)
                    text += f": {label}"
                choices.append((row[3], Choice(f"{kind}:{row[0]}", text)))
    choices.sort(key=lambda item: item[0], reverse=True)
    return [choice for _, choice in choices[:RECENT_TARGETS]]


def _informants(casebook: Casebook, role: Role) -> list[str]:
    """Ids of the informants the role may see (by id only: a pseudonym is secret)."""
    table = RECORD_TABLES["informant"]
    with casebook.engine.connect() as connection:
        rows = connection.execute(
            select(table.c.id)
            .where(visible(role, "informant", table))
            .order_by(table.c.id)
            .limit(MAX_INFORMANTS)
        ).all()
    return [row[0] for row in rows]


def _options(language: Language, role: Role) -> dict[str, list[Choice]]:
    options = {
        name: [Choice(term.code, term.label(language)) for term in vocabulary(name_of).terms]
        for name, name_of in SELECTS.items()
    }
    levels = _allowed_levels(role)
    options["confidentiality"] = [
        Choice(term.code, term.label(language))
        for term in vocabulary("confidentiality").terms
        if term.code in levels
    ]
    return options


def _planned(records: list[AnyRecord], language: Language) -> list[Planned]:
    """The records as the preview lists them: a reference to another new record says so."""
    new = {record.id: record.type for record in records}
    listed = []
    for record in records:
        shown: list[tuple[str, str]] = []
        for name, value in record.model_dump(mode="json", exclude={"id", "type"}).items():
            if value is None or value in ((), []):
                continue
            if isinstance(value, str) and value in new and name.endswith("_id"):
                kind = translate(language, words.RECORD_TYPE_LABELS[new[value]])
                text = translate(language, words.NEW_RECORD_LABEL) % {"kind": kind}
            else:
                text = viewing.value_text(name, value, language)
            shown.append((name, text))
        listed.append(Planned(record.type, shown))
    return listed


async def _page(
    request: Request,
    session: Session,
    found: viewing.Shown,
    *,
    values: dict[str, str] | None,
    reason: str | None,
    plan: coding.Plan | None = None,
    status_code: int = 200,
) -> Response:
    casebook = runtime_of(request).casebook
    role = session.user.role
    language = page_language(request, session)

    def read() -> tuple[Source, list[coding.Segment], list[Choice], list[str]]:
        source = casebook.get("source", found.record_id)
        assert isinstance(source, Source)
        return (
            source,
            _marks(casebook, role, source),
            _targets(casebook, role, language),
            _informants(casebook, role),
        )

    source, segments, targets, informants = await anyio.to_thread.run_sync(read)
    shown_values = dict(values) if values is not None else _defaults(source)
    if plan is not None:
        shown_values |= plan.filled
    country = shown_values.get("place.country", "")
    if not country and regions.is_region(shown_values.get("place.region", "")):
        country = regions.country_of(shown_values["place.region"])
        shown_values["place.country"] = country
    problems = problem_texts(request, session, plan.problems) if plan else {}
    return render(
        request,
        "code.html",
        session=session,
        shown=found,
        source=source,
        segments=segments,
        values=shown_values,
        reason=reason,
        problems=problems,
        occurrences=plan.occurrences if plan else [],
        planned=_planned(plan.records, language) if plan and plan.ok else None,
        options=_options(language, role),
        targets=targets,
        informants=informants,
        countries=regions.countries(language),
        regions=regions.regions(country, language) if country else (),
        perpetrator_rows=range(1, coding.PERPETRATOR_ROWS + 1),
        action=_path(found.record_id, "/code"),
        record_path=_path(found.record_id),
        status_code=status_code,
    )


async def code_form(request: Request) -> Response:
    session = await require_session(request)
    found = await _source(request, session)
    if found.needs_reason:
        return ask_reason(request, session, found, _path(found.record_id, "/code"), problem=False)
    return await _page(request, session, found, values=None, reason=None)


async def code_submit(request: Request) -> Response:
    """The reason for opening a secret source's coding page, a preview, or a save."""
    session = await require_session(request)
    form = await form_of(request, session, limit=MAX_CODE_FORM_BYTES, max_fields=MAX_CODE_FIELDS)
    found = await _source(request, session)
    opened = opened_reason(request, session, found, form, _path(found.record_id, "/code"))
    if isinstance(opened, Response):
        return opened
    action = form.get("action")
    if action is None:  # the reason form: show the source and an empty form
        await note_opening(request, session, found, opened)
        return await _page(request, session, found, values=None, reason=opened)
    if action not in ("preview", "save"):
        raise HTTPException(400)
    runtime = runtime_of(request)
    casebook, role = runtime.casebook, session.user.role
    typed = {name: form.get(name, "").replace("\r\n", "\n") for name in coding.INPUTS}

    def seen(types: tuple[str, ...], record_id: str) -> bool:
        return any(viewing.shown(casebook.engine, role, kind, record_id) for kind in types)

    def make() -> coding.Plan:
        source = casebook.get("source", found.record_id)
        assert isinstance(source, Source)
        return coding.plan(
            typed,
            source,
            allowed_levels=_allowed_levels(role),
            seen=seen,
            new_id=coding.random_id,
        )

    plan = await anyio.to_thread.run_sync(make)
    if not plan.ok:
        return await _page(
            request, session, found, values=typed, reason=opened, plan=plan, status_code=400
        )
    if action == "preview":
        return await _page(request, session, found, values=typed, reason=opened, plan=plan)
    try:
        await anyio.to_thread.run_sync(lambda: casebook.add(plan.records, actor=session.user.actor))
    except ReferenceIntegrityError:
        # in the desk's words only: the store's would name ids the researcher may not see
        plan.problems[""] = [editing.Problem("reference", "")]
        return await _page(
            request, session, found, values=typed, reason=opened, plan=plan, status_code=400
        )
    assert plan.claim_id is not None
    return RedirectResponse(f"/records/claim/{quote(plan.claim_id, safe='')}?coded=1", 303)
