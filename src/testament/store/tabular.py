"""Records as flat CSV rows and back, losslessly.

Nested values get dotted columns (``published.edtf``, ``published.as_reported``, ``span.start``);
lists of ids are joined with ``;`` (ids never contain one); lists of objects (a person's names, an
event's chain) are JSON in their cell. An empty cell means "not given": the data model allows no
empty strings, so nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from testament.core.records import EventLink, ReportedDate, ReportedName, Span

_NESTED: dict[str, type[BaseModel]] = {
    "published": ReportedDate,
    "birth": ReportedDate,
    "date": ReportedDate,
    "span": Span,
}
_ID_LISTS = {"derived_from"}
_OBJECT_LISTS: dict[str, type[BaseModel]] = {"names": ReportedName, "chain": EventLink}


def csv_columns(model: type[BaseModel]) -> list[str]:
    columns: list[str] = []
    for name in model.model_fields:
        if name == "type":
            continue
        if name in _NESTED:
            columns.extend(f"{name}.{part}" for part in _NESTED[name].model_fields)
        else:
            columns.append(name)
    return columns


def to_csv_row(record: BaseModel) -> dict[str, str]:
    data = record.model_dump(mode="json", exclude={"type"})
    row: dict[str, str] = {}
    for name, value in data.items():
        if name in _NESTED:
            for part in _NESTED[name].model_fields:
                row[f"{name}.{part}"] = _cell(value[part] if value else None)
        elif name in _ID_LISTS:
            row[name] = ";".join(value)
        elif name in _OBJECT_LISTS:
            row[name] = (
                json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
            )
        else:
            row[name] = _cell(value)
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_csv_row(model: type[BaseModel], row: dict[str, str]) -> dict[str, Any]:
    """The field values of one CSV row, for ``model.model_validate``."""
    values: dict[str, Any] = {}
    nested: dict[str, dict[str, str]] = {}
    for column, cell in row.items():
        if column is None or cell == "":
            continue
        if "." in column:
            head, part = column.split(".", 1)
            nested.setdefault(head, {})[part] = cell
        elif column in _ID_LISTS:
            values[column] = tuple(part for part in cell.split(";") if part)
        elif column in _OBJECT_LISTS:
            try:
                values[column] = json.loads(cell)
            except json.JSONDecodeError as error:
                raise ValueError(f"column {column!r}: not valid JSON ({error.msg})") from None
        else:
            values[column] = cell
    values.update(nested)
    if "type" in model.model_fields:
        values.pop("type", None)
    return values
