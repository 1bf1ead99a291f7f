"""Coding a passage of a source: the records one claim needs, built from one form.

A researcher reads a testimony or an article, selects the words that say something happened,
and codes them as a claim about an event or an act, creating the event, the act, its victim, its
perpetrators and its place if the casebook has none yet. This module turns the typed form into
those records, or into the problems that keep it from doing so, by input name, so the page shows
each next to its input. It does no I/O: whether an id the researcher typed names a record they
may see is a question it asks ``seen``; ids of new records come from ``new_id``. The page saves
the records in one ``Casebook.add`` call (one transaction): all of them or none.

Form inputs: ``excerpt``, ``occurrence``, ``span.start``/``span.end`` (the passage);
``stance``, ``basis``, ``informant_id``, ``count_min``, ``count_max``, ``confidentiality``
(the claim); ``target`` (``existing``, ``event`` or ``act``) with ``target_pick`` (a listed
event or act, ``kind:id``) or ``target_kind``/``target_id``; ``event.*`` and ``act.*`` for a
new event and act; ``victim`` (``none``, ``existing``, ``person``, ``group``) with ``victim.id``,
``person.*``, ``group.*``; ``perp1.*`` to ``perp3.*``; ``place`` (``none``, ``existing``,
``new``) with ``place.*``; ``date.as_reported`` and ``date.edtf`` (the date of the new event
and of the new act).
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from testament.core.dates import edtf_problem, interpret
from testament.core.records import (
    Act,
    AnyRecord,
    Claim,
    Event,
    Group,
    Involvement,
    Organisation,
    Person,
    Place,
    ReportedDate,
    Source,
    is_record_id,
)
from testament.core.terms import Confidentiality, SourceKind
from testament.desk import regions
from testament.desk.editing import Problem

#: Kinds of source whose words come from a person at risk: their claims default to at least
#: ``restricted``, even when the source itself was marked public.
TESTIMONY_KINDS = frozenset({SourceKind.TESTIMONY, SourceKind.INTERMEDIARY_INTERVIEW})
#: Rows of perpetrators a new act may be given in one form.
PERPETRATOR_ROWS = 3
#: Characters of context either side of each occurrence the preview lists.
CONTEXT_CHARS = 60

#: Prefixes of the ids of new records, by record type (the rest is random: two researchers
#: coding at once never choose the same id, and an id says nothing about its record).
ID_PREFIXES = {
    "claim": "cl",
    "event": "ev",
    "act": "act",
    "person": "p",
    "group": "g",
    "organisation": "org",
    "involvement": "inv",
    "place": "pl",
}

_M = TypeVar("_M", bound=BaseModel)

_ORDER = ("place", "organisation", "person", "group", "event", "act", "involvement", "claim")


def random_id(record_type: str) -> str:
    """A new record id: the type's prefix and 48 random bits (``ev-3f9a0c12d4e5``)."""
    return f"{ID_PREFIXES[record_type]}-{secrets.token_hex(6)}"


def _perpetrator_inputs() -> list[str]:
    return [
        f"perp{row}.{name}"
        for row in range(1, PERPETRATOR_ROWS + 1)
        for name in ("id", "name", "org_type", "degree")
    ]


#: Every input of the form (what the page keeps filled when it shows the form again).
INPUTS = (
    "excerpt",
    "occurrence",
    "span.start",
    "span.end",
    "stance",
    "basis",
    "informant_id",
    "count_min",
    "count_max",
    "confidentiality",
    "target",
    "target_pick",
    "target_kind",
    "target_id",
    "event.title",
    "event.summary",
    "act.event_id",
    "act.act_type",
    "act.status_at_end",
    "victim",
    "victim.id",
    "person.pseudonym",
    "person.sex",
    "person.age_band",
    "group.pseudonym",
    "group.size_min",
    "group.size_max",
    *_perpetrator_inputs(),
    "place",
    "place.id",
    "place.name",
    "place.country",
    "place.region",
    "place.precision",
    "date.as_reported",
    "date.edtf",
)


# -- the passage ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where typed words occur in the source's text, with some text either side."""

    start: int
    end: int
    before: str
    excerpt: str
    after: str


def find_excerpt(text: str, words: str) -> list[tuple[int, int]]:
    """The spans [start, end) of ``text`` where ``words`` occur, whatever whitespace separates
    them in either (a selection pasted from a browser loses line breaks and doubles spaces)."""
    tokens = words.split()
    if not tokens:
        return []
    pattern = re.compile(r"\s+".join(re.escape(token) for token in tokens))
    return [(found.start(), found.end()) for found in pattern.finditer(text)]


def occurrence(text: str, span: tuple[int, int], width: int = CONTEXT_CHARS) -> Occurrence:
    start, end = span
    return Occurrence(
        start,
        end,
        text[max(0, start - width) : start],
        text[start:end],
        text[end : end + width],
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a source's text and the claims whose excerpts cover it (none: not coded)."""

    text: str
    claim_ids: tuple[str, ...] = ()


def marked(text: str, spans: list[tuple[str, int, int]]) -> list[Segment]:
    """``text`` cut where coded passages (claim id, start, end) begin and end, each piece with
    the claims covering it; spans outside the text are ignored (a claim coded on an older text)."""
    usable = [(claim, start, end) for claim, start, end in spans if 0 <= start < end <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in usable), *(e for _, _, e in usable)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(sorted(claim for claim, s, e in usable if s <= start and end <= e))
        segments.append(Segment(text[start:end], covering))
    return segments


# -- dates and places -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateCoding:
    date: ReportedDate | None
    edtf: str
    problem: Problem | None = None


def code_date(words: str, edtf: str) -> DateCoding:
    """The date for the words as reported and the EDTF typed; an empty EDTF is read from the
    words (``interpret``), and the value it got is returned so the preview can show it."""
    words, edtf = " ".join(words.split())[:500], edtf.strip()
    if not words and not edtf:
        return DateCoding(None, "")
    if not edtf:
        found = interpret(words)
        if found is None:
            return DateCoding(None, "", Problem("date_words", "", {"words": words}))
        edtf = found
    problem = edtf_problem(edtf)
    if problem is not None:
        return DateCoding(None, edtf, Problem("edtf", problem, {"detail": problem}))
    return DateCoding(ReportedDate(edtf=edtf, as_reported=words or None), edtf)


def region_problem(region: str, country: str) -> Problem | None:
    """Why ``region`` is not a region of ``country`` to store, or None when it may be."""
    if not region:
        return None
    if not regions.is_region(region):
        detail = f"{region!r} is not an ISO 3166-2 subdivision code"
        return Problem("iso3166_2", detail, {"detail": detail})
    if country and regions.country_of(region) != country:
        return Problem("region_country", "", {"region": region, "country": country})
    return None


# -- the records ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the form makes: the records to add (in an order where references come first),
    the new claim's id, every problem by input name, and what the server worked out for the
    researcher to check (the occurrences of an ambiguous excerpt, an EDTF read from words)."""

    records: list[AnyRecord] = field(default_factory=list)
    claim_id: str | None = None
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    filled: dict[str, str] = field(default_factory=dict)

    def problem(self, name: str, kind: str, **context: str) -> None:
        self.problems.setdefault(name, []).append(Problem(kind, "", dict(context)))

    @property
    def ok(self) -> bool:
        return not self.problems and self.claim_id is not None


Seen = Callable[[tuple[str, ...], str], bool]
"""Whether the researcher may see a record of one of these types with this id."""


def default_level(source: Source) -> Confidentiality:
    """A claim's level unless the researcher chooses another: its source's, and at least
    ``restricted`` for a testimony (a person at risk said it)."""
    if source.kind in TESTIMONY_KINDS and source.confidentiality is Confidentiality.PUBLIC:
        return Confidentiality.RESTRICTED
    return source.confidentiality


_STRICTNESS = (Confidentiality.PUBLIC, Confidentiality.RESTRICTED, Confidentiality.SECRET)


def claim_level(chosen: str, source: Source) -> str:
    """The new claim's level: the one chosen for the new records, but never below
    ``default_level(source)``. The claim carries the source's own words (its excerpt) and
    names the source: a public event may be coded from a secret testimony, but the passage
    quoted from it stays as confidential as the testimony."""
    floor = default_level(source)
    try:
        chosen_level = Confidentiality(chosen)
    except ValueError:
        return chosen  # refused with its own problem ("level_not_allowed")
    return max(chosen_level, floor, key=_STRICTNESS.index).value


@dataclass(frozen=True, slots=True)
class _Coding:
    """What every part of the form is read with: the plan growing, the form, the level of the
    new records, and the two questions asked outside (visibility, new ids)."""

    plan: Plan
    form: Mapping[str, str]
    level: str
    seen: Seen
    new_id: Callable[[str], str]

    def text(self, name: str) -> str:
        return _text(self.form, name)

    def reference(self, name: str, types: tuple[str, ...], value: str) -> str:
        return _reference(self.plan, self.seen, name, types, value)


def _text(form: Mapping[str, str], name: str) -> str:
    return form.get(name, "").replace("\r\n", "\n").strip()


def _set(data: dict[str, Any], name: str, value: str) -> None:
    if value:
        data[name] = value


def _validated(
    plan: Plan, model: type[_M], data: dict[str, Any], inputs: Mapping[str, str], fallback: str
) -> _M | None:
    """``model`` made of ``data``, or None with its problems under the inputs they concern."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = detail["loc"]
            name = inputs.get(str(location[0]), fallback) if location else fallback
            context = {k: str(v) for k, v in (detail.get("ctx") or {}).items()}
            message = str(detail["msg"]).removeprefix("Value error, ")
            kind = str(detail["type"])
            if kind == "value_error":  # the model's own check: keep its words
                context["detail"] = message
                kind = "iso3166_2" if name == "place.region" else kind
            plan.problems.setdefault(name, []).append(Problem(kind, message, context))
        return None


def _reference(plan: Plan, seen: Seen, name: str, types: tuple[str, ...], value: str) -> str:
    """``value`` as the id of a record of ``types`` the researcher may see, else a problem on
    ``name`` that says only "unknown" (never whether a hidden record has this id)."""
    if not is_record_id(value) or not seen(types, value):
        plan.problem(name, "unseen_reference", ids=value[:128])
    return value


def _passage(plan: Plan, form: Mapping[str, str], text: str) -> tuple[str, int, int] | None:
    start_text, end_text = _text(form, "span.start"), _text(form, "span.end")
    if start_text or end_text:
        if not (start_text.isdigit() and end_text.isdigit()) or len(start_text + end_text) > 18:
            plan.problem("span.start", "span_range", length=str(len(text)))
            return None
        start, end = int(start_text), int(end_text)
        if not start < end <= len(text):
            plan.problem("span.start", "span_range", length=str(len(text)))
            return None
        return text[start:end], start, end
    words = _text(form, "excerpt")
    if not words:
        plan.problem("excerpt", "missing")
        return None
    found = find_excerpt(text, words)
    if not found:
        plan.problem("excerpt", "excerpt_not_found")
        return None
    if len(found) > 1:
        chosen = _text(form, "occurrence")
        plan.occurrences = [occurrence(text, span) for span in found]
        if not chosen.isdigit() or not 1 <= int(chosen) <= len(found):
            plan.problem("occurrence", "excerpt_ambiguous", count=str(len(found)))
            return None
        found = [found[int(chosen) - 1]]
    start, end = found[0]
    return text[start:end], start, end


def _level(plan: Plan, form: Mapping[str, str], allowed: frozenset[str]) -> str:
    level = _text(form, "confidentiality")
    if level not in allowed:
        plan.problem("confidentiality", "level_not_allowed")
    return level


def _place(c: _Coding) -> str | None:
    mode = c.text("place")
    if mode == "existing":
        return c.reference("place.id", ("place",), c.text("place.id"))
    if mode != "new":
        return None
    region, country = c.text("place.region"), c.text("place.country")
    problem = region_problem(region, country)
    if problem is not None:
        c.plan.problems.setdefault("place.region", []).append(problem)
        region = ""
    data: dict[str, Any] = {"id": c.new_id("place"), "confidentiality": c.level}
    _set(data, "name", c.text("place.name"))
    _set(data, "iso3166_2", region)
    _set(data, "precision", c.text("place.precision"))
    inputs = {"name": "place.name", "iso3166_2": "place.region", "precision": "place.precision"}
    place = _validated(c.plan, Place, data, inputs, "place.name")
    if place is None:
        return None
    c.plan.records.append(place)
    return place.id


def _event(c: _Coding, date: ReportedDate | None, place_id: str | None) -> str | None:
    data: dict[str, Any] = {
        "id": c.new_id("event"),
        "confidentiality": c.level,
        "place_id": place_id,
    }
    _set(data, "title", c.text("event.title"))
    _set(data, "summary", c.text("event.summary"))
    if date is not None:
        data["date"] = date
    inputs = {"title": "event.title", "summary": "event.summary"}
    event = _validated(c.plan, Event, data, inputs, "event.title")
    if event is None:
        return None
    c.plan.records.append(event)
    return event.id


def _victim(c: _Coding) -> str | None:
    mode = c.text("victim")
    if mode == "existing":
        return c.reference("victim.id", ("person", "group"), c.text("victim.id"))
    if mode not in ("person", "group"):
        return None
    data: dict[str, Any] = {"id": c.new_id(mode), "confidentiality": c.level}
    names = (
        ("pseudonym", "sex", "age_band")
        if mode == "person"
        else ("pseudonym", "size_min", "size_max")
    )
    for name in names:
        _set(data, name, c.text(f"{mode}.{name}"))
    inputs = {name: f"{mode}.{name}" for name in names}
    model: type[Person] | type[Group] = Person if mode == "person" else Group
    fallback = "group.size_max" if mode == "group" else "person.pseudonym"
    victim = _validated(c.plan, model, data, inputs, fallback)
    if victim is None:
        return None
    c.plan.records.append(victim)
    return victim.id


def _perpetrators(c: _Coding, act_id: str) -> None:
    for row in range(1, PERPETRATOR_ROWS + 1):
        prefix = f"perp{row}."
        existing, name = c.text(prefix + "id"), c.text(prefix + "name")
        if not existing and not name:
            continue
        perpetrator: str | None
        if existing:
            perpetrator = c.reference(prefix + "id", ("organisation", "person"), existing)
        else:
            data: dict[str, Any] = {"id": c.new_id("organisation"), "confidentiality": c.level}
            _set(data, "name", name)
            _set(data, "org_type", c.text(prefix + "org_type"))
            inputs = {"name": prefix + "name", "org_type": prefix + "org_type"}
            organisation = _validated(c.plan, Organisation, data, inputs, prefix + "name")
            perpetrator = None if organisation is None else organisation.id
            if organisation is not None:
                c.plan.records.append(organisation)
        data = {
            "id": c.new_id("involvement"),
            "confidentiality": c.level,
            "act_id": act_id,
            "perpetrator_id": perpetrator or "pending",
        }
        _set(data, "degree", c.text(prefix + "degree"))
        inputs = {"degree": prefix + "degree"}
        involvement = _validated(c.plan, Involvement, data, inputs, prefix + "degree")
        if involvement is not None:
            c.plan.records.append(involvement)


def _act(c: _Coding, date: ReportedDate | None, place_id: str | None) -> str | None:
    event_ref = c.text("act.event_id")
    if event_ref:
        event_id: str | None = c.reference("act.event_id", ("event",), event_ref)
    else:
        event_id = _event(c, date, place_id)
    data: dict[str, Any] = {
        "id": c.new_id("act"),
        "confidentiality": c.level,
        "event_id": event_id or "pending",
        "victim_id": _victim(c),
        "place_id": place_id,
    }
    if date is not None:
        data["date"] = date
    _set(data, "act_type", c.text("act.act_type"))
    _set(data, "status_at_end", c.text("act.status_at_end"))
    inputs = {"act_type": "act.act_type", "status_at_end": "act.status_at_end"}
    act = _validated(c.plan, Act, data, inputs, "act.act_type")
    if act is None:
        return None
    c.plan.records.append(act)
    _perpetrators(c, act.id)
    return act.id


def _target(c: _Coding) -> tuple[str, str | None]:
    mode = c.text("target")
    if mode not in ("event", "act"):
        kind, target_id = c.text("target_kind"), c.text("target_id")
        if not target_id:
            kind, _, target_id = c.text("target_pick").partition(":")
        if not target_id:
            c.plan.problem("target_id", "missing")
            return "event", None
        if kind not in ("event", "act"):
            c.plan.problem("target_kind", "literal_error")
            return "event", None
        return kind, c.reference("target_id", (kind,), target_id)
    dated = code_date(c.text("date.as_reported"), c.text("date.edtf"))
    if dated.problem is not None:
        c.plan.problems.setdefault("date.edtf", []).append(dated.problem)
    elif dated.edtf and not c.text("date.edtf"):
        c.plan.filled["date.edtf"] = dated.edtf
    place_id = _place(c)
    if mode == "event":
        return "event", _event(c, dated.date, place_id)
    return "act", _act(c, dated.date, place_id)


def plan(
    form: Mapping[str, str],
    source: Source,
    *,
    allowed_levels: frozenset[str],
    seen: Seen,
    new_id: Callable[[str], str] = random_id,
) -> Plan:
    """The records that coding ``form`` on ``source`` creates, or every problem found.

    ``allowed_levels``: the confidentiality levels the researcher may give (those they may see:
    nobody creates a record they could not open). A record the form refers to by id must be one
    ``seen`` says they may see; otherwise it is "unknown", exactly like an id that exists nowhere.
    """
    result = Plan()
    text = source.text or ""
    if not text:
        result.problem("excerpt", "no_text")
        return result
    passage = _passage(result, form, text)
    level = _level(result, form, allowed_levels)
    informant = _text(form, "informant_id")
    if informant:
        _reference(result, seen, "informant_id", ("informant",), informant)
    target_kind, target_id = _target(_Coding(result, form, level, seen, new_id))
    data: dict[str, Any] = {
        "id": new_id("claim"),
        "confidentiality": claim_level(level, source),
        "source_id": source.id,
        "target_kind": target_kind,
        "target_id": target_id or "pending",
        "informant_id": informant or None,
    }
    if passage is not None:
        data["excerpt"], start, end = passage
        data["span"] = {"start": start, "end": end}
    for name in ("stance", "basis", "count_min", "count_max"):
        _set(data, name, _text(form, name))
    inputs = {name: name for name in ("stance", "basis", "count_min", "count_max", "excerpt")}
    inputs["confidentiality"] = "confidentiality"
    claim = _validated(result, Claim, data, inputs, "count_max")
    if claim is not None and not result.problems:
        result.records.append(claim)
        result.claim_id = claim.id
    result.records.sort(key=lambda record: _ORDER.index(record.type))
    return result
