"""Converting records to table rows and back.

Rows are flat: a ``ReportedDate`` field ``published`` becomes ``published_edtf`` and
``published_as_reported``; a span becomes ``span_start``/``span_end``; a person's names are one
JSON column. Lists of references (``derived_from``, an event's chain) live in side tables and are
handled by the casebook, not here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from enum import Enum
from functools import partial
from operator import attrgetter
from typing import Any, get_args

from pydantic import BaseModel

from testament.core.records import (
    RECORD_TYPES,
    AnyRecord,
    EventLink,
    ReportedDate,
    ReportedName,
    Span,
)

_DATE_FIELDS = {"published", "birth", "date"}
SIDE_TABLE_FIELDS = {"derived_from", "chain"}


def to_row(record: AnyRecord) -> dict[str, Any]:
    """The table row for ``record`` (without audit columns and side-table lists)."""
    data = record.model_dump(mode="json", exclude={"type", *SIDE_TABLE_FIELDS})
    for name in _DATE_FIELDS & data.keys():
        value = data.pop(name)
        data[f"{name}_edtf"] = value["edtf"] if value else None
        data[f"{name}_as_reported"] = value["as_reported"] if value else None
    if "span" in data:
        span = data.pop("span")
        data["span_start"] = span["start"] if span else None
        data["span_end"] = span["end"] if span else None
    if "names" in data:
        data["names"] = json.dumps(data["names"], ensure_ascii=False, separators=(",", ":"))
    return data


def from_row(
    record_type: str,
    row: dict[str, Any],
    derived_from: tuple[str, ...] = (),
    chain: tuple[EventLink, ...] = (),
) -> AnyRecord:
    """The record a row stores (``row`` may contain the audit columns; they are ignored)."""
    model = RECORD_TYPES[record_type]
    values: dict[str, Any] = {}
    for name in model.model_fields:
        if name == "type":
            continue
        if name in _DATE_FIELDS:
            edtf = row.get(f"{name}_edtf")
            values[name] = (
                ReportedDate(edtf=edtf, as_reported=row.get(f"{name}_as_reported"))
                if edtf
                else None
            )
        elif name == "span":
            start, end = row.get("span_start"), row.get("span_end")
            values[name] = Span(start=start, end=end) if start is not None else None
        elif name == "names":
            values[name] = tuple(ReportedName(**item) for item in json.loads(row["names"]))
        elif name == "derived_from":
            values[name] = derived_from
        elif name == "chain":
            values[name] = chain
        else:
            values[name] = row.get(name)
    values = {key: value for key, value in values.items() if value is not None}
    return model.model_validate(values)  # type: ignore[return-value]


RowTuple = Callable[[AnyRecord], tuple[Any, ...]]


def tuple_builder(record_type: str, columns: Sequence[str]) -> tuple[list[str], RowTuple]:
    """The columns in insert order, and a fast function from a record to their values.

    ``to_row`` goes through pydantic's serializer; a million-record import needs something
    lighter. Plain and enum fields are read by one ``attrgetter`` (a single call in C); the few
    columns that need a decision (a date that may be missing, a span, names as JSON) follow.
    """
    model = RECORD_TYPES[record_type]
    direct = [c for c in columns if c in model.model_fields and c != "names"]
    special = [c for c in columns if c not in direct]
    paths = [f"{c}._value_" if _is_enum(model, c) else c for c in direct]
    fetch = attrgetter(*paths) if len(paths) > 1 else _as_tuple(attrgetter(paths[0]))
    getters = [_getter(model, column) for column in special]
    if not getters:
        return direct, fetch

    def build(record: AnyRecord) -> tuple[Any, ...]:
        return fetch(record) + tuple([getter(record) for getter in getters])

    return [*direct, *special], build


def _as_tuple(getter: Callable[[AnyRecord], Any]) -> RowTuple:
    return lambda record: (getter(record),)


def _is_enum(model: type[BaseModel], column: str) -> bool:
    annotation = model.model_fields[column].annotation
    candidates = get_args(annotation) or (annotation,)
    return any(isinstance(c, type) and issubclass(c, Enum) for c in candidates)


def _getter(model: type[BaseModel], column: str) -> Callable[[AnyRecord], Any]:
    # Enum fields are never None (each has a value or a default), so "field._value_" is safe.
    for field in _DATE_FIELDS:
        for part in ("edtf", "as_reported"):
            if column == f"{field}_{part}":
                return partial(_nested_part, field=field, part=part)
    if column in ("span_start", "span_end"):
        return partial(_nested_part, field="span", part=column.removeprefix("span_"))
    if column == "names":
        return lambda record: json.dumps(
            [name.model_dump(mode="json") for name in record.names],  # type: ignore[union-attr]
            ensure_ascii=False,
            separators=(",", ":"),
        )

    return attrgetter(column)


def _nested_part(record: AnyRecord, *, field: str, part: str) -> Any:
    value = getattr(record, field)
    return getattr(value, part) if value is not None else None
