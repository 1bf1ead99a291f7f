"""Editing a record on the desk: its form built from the record's model, the typed values read
back through the model, conflicts between two editors, and a record's history as differences.

No web framework here: the pages in ``desk/web/editing_pages.py`` are a shell over these
functions. The form is derived from the pydantic model itself, so a field added to a record
appears in its form without a template change, and the model (not the page) decides what is
valid: every value the reviewer types goes through ``model_validate``, and its errors come back
keyed by the form input they belong to, so the page shows each next to its input.

Form inputs are named after the model's fields; a date has two (``date.edtf`` and
``date.as_reported``, the words as reported beside the EDTF value), a span two (``span.start``,
``span.end``); lists are typed as text (ids separated by commas, one name or chain link a line).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import ValidationError

from testament.core.records import (
    RECORD_TYPES,
    AnyRecord,
    EventLink,
    ReportedDate,
    ReportedName,
    Span,
)
from testament.core.vocabulary import Language
from testament.desk import viewing
from testament.desk.access import Role, may_read_audit, may_see, needs_reason
from testament.store import AuditEntry, Casebook

#: Free-text fields long enough to need a text area.
LONG_TEXT = frozenset({"text", "summary", "excerpt", "rationale", "description"})
#: Never edited: the id names the record, the type is its table.
NOT_EDITED = frozenset({"type", "id"})
#: Evidence, kept as received: a source's SHA-256 and, when it has one, the text it was taken
#: of (a pulled testimony's own words). A reviewer annotates in other records; rewriting these
#: would break the chain of custody.
EVIDENCE_FIELDS = ("sha256", "text")

Kind = Literal["text", "textarea", "select", "number", "date", "span", "ids", "names", "chain"]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a record's form: its inputs are ``name`` or, for dates and spans,
    ``name.edtf``/``name.as_reported`` and ``name.start``/``name.end``."""

    name: str
    kind: Kind
    options: tuple[Option, ...] = ()
    required: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one input: a pydantic error type, its context, and its own words."""

    kind: str
    message: str
    context: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The record the typed values make, or the problems by input name ("" for the record)."""

    record: AnyRecord | None
    problems: dict[str, list[Problem]]


@dataclass(frozen=True, slots=True)
class Change:
    name: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    seq: int
    entry: AuditEntry
    changes: list[Change]
    reason: str | None = None
    withheld: Literal["", "level", "reason"] = ""


def _plain(annotation: Any) -> Any:
    """``annotation`` without ``Annotated`` metadata and without ``| None``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _plain(members[0])
    return annotation


def _kind(name: str, annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    plain = _plain(annotation)
    if isinstance(plain, type) and issubclass(plain, Enum):
        return "select", tuple(str(member.value) for member in plain)
    if get_origin(plain) is Literal:
        return "select", tuple(str(value) for value in get_args(plain))
    if plain is bool:
        return "select", ("true", "false")
    if plain is ReportedDate:
        return "date", ()
    if plain is Span:
        return "span", ()
    if plain in (int, float):
        return "number", ()
    if get_origin(plain) is tuple:
        item = _plain(get_args(plain)[0])
        return ("chain" if item is EventLink else "names" if item is ReportedName else "ids"), ()
    return ("textarea" if name in LONG_TEXT else "text"), ()


def _label(name: str, value: str, language: Language) -> str:
    return (
        viewing.value_text(name, value, language) if name in viewing.VOCABULARY_OF_FIELD else value
    )


def form_fields(record_type: str, language: Language) -> list[FormField]:
    """The form of a record type, in the model's field order."""
    model = RECORD_TYPES[record_type]
    result = []
    for name, info in model.model_fields.items():
        if name in NOT_EDITED:
            continue
        kind, values = _kind(name, info.annotation)
        options = tuple(Option(value, _label(name, value, language)) for value in values)
        result.append(FormField(name, kind, options, required=info.is_required()))
    return result


def fixed_fields(record_type: str, values: dict[str, str]) -> frozenset[str]:
    """The inputs of a form shown read-only: a source's hash, and its text when it has one."""
    if record_type != "source":
        return frozenset()
    return frozenset(EVIDENCE_FIELDS) if values.get("sha256") else frozenset({"sha256"})


def keep_evidence(before: AnyRecord, after: AnyRecord) -> AnyRecord:
    """``after`` with the evidence fields of ``before`` (``fixed_fields``), whatever was posted:
    the form shows them read-only, and a hand-made request cannot change them either."""
    if before.type != "source":
        return after
    fixed = fixed_fields("source", {"sha256": getattr(before, "sha256", None) or ""})
    return after.model_copy(update={name: getattr(before, name) for name in fixed})


def values_of(record: AnyRecord) -> dict[str, str]:
    """A record as the texts its form's inputs hold."""
    data = record.model_dump(mode="json", exclude=set(NOT_EDITED))
    kinds = {f.name: f.kind for f in form_fields(record.type, "en")}
    values: dict[str, str] = {}
    for name, value in data.items():
        kind = kinds[name]
        if kind == "date":
            values[f"{name}.edtf"] = (value or {}).get("edtf") or ""
            values[f"{name}.as_reported"] = (value or {}).get("as_reported") or ""
        elif kind == "span":
            values[f"{name}.start"] = "" if value is None else str(value["start"])
            values[f"{name}.end"] = "" if value is None else str(value["end"])
        elif kind == "ids":
            values[name] = ", ".join(value)
        elif kind == "chain":
            values[name] = "\n".join(f"{link['relation']} {link['event_id']}" for link in value)
        elif kind == "names":
            values[name] = "\n".join(
                " | ".join(
                    [item["name"], item.get("script") or "", item.get("source_id") or ""]
                ).rstrip(" |")
                for item in value
            )
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        else:
            values[name] = "" if value is None else str(value)
    return values


def input_names(record_type: str) -> list[str]:
    """Every input of a record type's form."""
    names = []
    for item in form_fields(record_type, "en"):
        if item.kind == "date":
            names += [f"{item.name}.edtf", f"{item.name}.as_reported"]
        elif item.kind == "span":
            names += [f"{item.name}.start", f"{item.name}.end"]
        else:
            names.append(item.name)
    return names


def typed_values(record_type: str, form: dict[str, str]) -> dict[str, str]:
    """The form's inputs for a record type, as typed (textarea line ends made Unix ones)."""
    return {name: form.get(name, "").replace("\r\n", "\n") for name in input_names(record_type)}


_LINE_PROBLEM = "each line needs a relation and an event id, separated by a space"


def _data(
    record_type: str, typed: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[Problem]]]:
    data: dict[str, Any] = {}
    problems: dict[str, list[Problem]] = {}
    for item in form_fields(record_type, "en"):
        name = item.name
        if item.kind == "date":
            edtf, words = typed[f"{name}.edtf"].strip(), typed[f"{name}.as_reported"].strip()
            if edtf or words:
                data[name] = {"edtf": edtf, "as_reported": words or None}
        elif item.kind == "span":
            start, end = typed[f"{name}.start"].strip(), typed[f"{name}.end"].strip()
            if start or end:
                data[name] = {"start": start, "end": end}
        elif item.kind == "ids":
            data[name] = [part for part in re.split(r"[\s,;]+", typed[name]) if part]
        elif item.kind == "chain":
            links = []
            for line in typed[name].splitlines():
                parts = line.split()
                if not parts:
                    continue
                if len(parts) != 2:
                    problems.setdefault(name, []).append(Problem("chain_line", _LINE_PROBLEM))
                    continue
                links.append({"relation": parts[0], "event_id": parts[1]})
            data[name] = links
        elif item.kind == "names":
            names = []
            for line in typed[name].splitlines():
                parts = [part.strip() for part in line.split("|")]
                if not parts[0]:
                    continue
                entry = {"name": parts[0], "script": parts[1] if len(parts) > 1 else ""}
                entry["source_id"] = parts[2] if len(parts) > 2 else ""
                names.append({k: v for k, v in entry.items() if v})
            data[name] = names
        else:
            value = typed[name] if item.kind == "textarea" else typed[name].strip()
            if value.strip():
                data[name] = value
    return data, problems


def _problem_key(record_type: str, location: tuple[int | str, ...]) -> str:
    if not location:
        return ""
    name = str(location[0])
    kinds = {f.name: f.kind for f in form_fields(record_type, "en")}
    if kinds.get(name) in ("date", "span") and len(location) > 1 and isinstance(location[1], str):
        return f"{name}.{location[1]}"
    return name if name in kinds else ""


#: The model's own checks (pydantic ``value_error``), by the input they concern.
_VALUE_CHECKS = {"edtf": "edtf", "iso3166_2": "iso3166_2"}


def parse(record_type: str, record_id: str, typed: dict[str, str]) -> Parsed:
    """The record the typed values make, validated by its model, or every problem found."""
    data, problems = _data(record_type, typed)
    try:
        record = RECORD_TYPES[record_type].model_validate(
            {**data, "id": record_id, "type": record_type}
        )
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            key = _problem_key(record_type, tuple(detail["loc"]))
            context = {k: str(v) for k, v in (detail.get("ctx") or {}).items()}
            message = str(detail["msg"]).removeprefix("Value error, ")
            kind = str(detail["type"])
            if kind == "value_error":  # the model's own check: name it, keep its words
                kind = _VALUE_CHECKS.get(key.rsplit(".", 1)[-1], kind)
                context["detail"] = message
            problems.setdefault(key, []).append(Problem(kind, message, context))
        return Parsed(None, problems)
    if problems:
        return Parsed(None, problems)
    return Parsed(record, {})  # type: ignore[arg-type]


def unseen_references(
    casebook: Casebook, role: Role, before: AnyRecord, after: AnyRecord
) -> dict[str, list[str]]:
    """Ids newly referred to that ``role`` may not see (or that do not exist), by field.

    A reviewer may keep a reference they cannot open, but not add one: otherwise the answer
    ("saved" or "does not exist") would tell them which hidden ids exist."""
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    unseen: dict[str, list[str]] = {}
    for name, value in new.items():
        targets = viewing.reference_targets(after, name)
        if not targets or not value:
            continue
        kept = old.get(name) or []
        kept_ids = set(kept if isinstance(kept, list) else [kept])
        for target in value if isinstance(value, list) else [value]:
            if target in kept_ids:
                continue
            if not any(viewing.shown(casebook.engine, role, t, target) for t in targets):
                unseen.setdefault(name, []).append(str(target))
    return unseen


def differing(theirs: dict[str, str], yours: dict[str, str]) -> list[str]:
    """The inputs where a colleague's current values and the reviewer's typed ones differ."""
    return [name for name in yours if theirs.get(name, "") != yours[name]]


def _changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, language: Language
) -> list[Change]:
    old, new = before or {}, after or {}
    changes = []
    for name in [*new, *(key for key in old if key not in new)]:
        if name in NOT_EDITED or old.get(name) == new.get(name):
            continue
        changes.append(
            Change(
                name,
                viewing.value_text(name, old.get(name), language),
                viewing.value_text(name, new.get(name), language),
            )
        )
    return changes


def _withheld(
    role: Role, record_type: str, states: list[dict[str, Any] | None], reason_given: bool
) -> Literal["", "level", "reason"]:
    """Why a past version's contents are not shown ("" when they are): a state at a level the
    role may not see ("level"), or a secret state with no reason given for this page ("reason").
    The record's level today says nothing about what it held when it was secret."""
    for state in states:
        if state is None:
            continue
        level = str(state.get("confidentiality", "restricted"))
        if not may_see(role, record_type, level):
            return "level"
    if reason_given:
        return ""
    for state in states:
        if state is not None and needs_reason(
            record_type, str(state.get("confidentiality", "restricted"))
        ):
            return "reason"
    return ""


def history(
    casebook: Casebook,
    role: Role,
    record_type: str,
    record_id: str,
    language: Language,
    *,
    reason_given: bool = False,
) -> list[HistoryEntry]:
    """A record's audit rows, newest first, each with its changes field by field.

    A version is shown as the confidentiality rule allows for the level it had then (a record
    made public today may hold what it said when it was secret): at a level the role may not
    see, or secret without a reason given, its contents are withheld. Who opened a secret record
    and why (``view``/``download`` rows) is shown only to roles that read the audit log."""
    entries = []
    for entry in casebook.audit(record_id, record_type=record_type):
        if entry.action in ("view", "download"):
            if may_read_audit(role):
                entries.append(HistoryEntry(entry.seq, entry, [], reason=entry.reason))
            continue
        withheld = _withheld(role, record_type, [entry.before, entry.after], reason_given)
        changes = [] if withheld else _changes(entry.before, entry.after, language)
        entries.append(HistoryEntry(entry.seq, entry, changes, withheld=withheld))
    return entries[::-1]
