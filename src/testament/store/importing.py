"""Reading records from JSON Lines and CSV files, all-or-nothing.

A file is decoded, parsed and validated completely before anything is written. Every problem is
collected (up to a limit) with its line, field and what was expected, so one run shows all that
is wrong. Only a file without problems reaches ``Casebook.add``, which checks references and
writes everything in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from testament.core.errors import InputError, Problem, SchemaError
from testament.core.records import RECORD_TYPES, AnyRecord, Record
from testament.store.files import garbage_collection_paused
from testament.store.integrity import Located
from testament.store.tabular import from_csv_row

Format = Literal["jsonl", "csv"]
PROBLEM_LIMIT = 50
_RECORD = TypeAdapter(Record)
_TYPES = ", ".join(RECORD_TYPES)


def decode_utf8(data: bytes, name: str) -> str:
    """The text of a file, or an error naming the line and byte that are not UTF-8."""
    if not data.strip():
        raise InputError(f"{name} is empty: there is nothing to import")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"{name} is not UTF-8 text",
            [
                Problem(
                    f"{name} line {line}",
                    f"byte 0x{data[error.start]:02x} at offset {error.start} is not valid UTF-8; "
                    "save the file as UTF-8 and import it again",
                )
            ],
        ) from None
    return text.removeprefix("\ufeff")


def describe_validation_error(error: ValidationError, where: str) -> list[Problem]:
    """Pydantic's errors as Problems a person can act on."""
    problems = []
    for item in error.errors(include_url=False):
        location = [str(part) for part in item["loc"]]
        if location and location[0] in RECORD_TYPES:
            location = location[1:]
        field = ".".join(location) or None
        kind = item["type"]
        if kind == "json_invalid":
            message = f"not valid JSON ({item['ctx'].get('error', item['msg'])})"
            field = None
        elif kind in ("union_tag_not_found", "model_attributes_type"):
            message = f'each record needs a "type": one of {_TYPES}'
        elif kind == "union_tag_invalid":
            message = f"unknown record type {item['input']!r}: expected one of {_TYPES}"
            field = "type"
        elif kind == "extra_forbidden":
            message = "unknown field (check the spelling against `testament schema`)"
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = item["msg"].removeprefix("Value error, ")
            if "input" in item and kind != "value_error" and not isinstance(item["input"], dict):
                message += f" (got {item['input']!r})"
        problems.append(Problem(where, message, field))
    return problems


def read_jsonl(
    data: bytes, name: str, *, progress: Callable[[int], None] | None = None
) -> list[Located]:
    """Validate every line of a JSON Lines file; raise SchemaError listing every problem."""
    text = decode_utf8(data, name)
    with garbage_collection_paused():
        return _read_jsonl_lines(text, name, progress)


def _read_jsonl_lines(
    text: str, name: str, progress: Callable[[int], None] | None
) -> list[Located]:
    records: list[Located] = []
    problems: list[Problem] = []
    total_problems = 0
    # Split on "\n" only: str.splitlines() would also split inside JSON strings that hold
    # U+2028, U+0085 and other characters JSON does not escape.
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if progress is not None and number % 10_000 == 0:
            progress(10_000)
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            records.append(Located(_RECORD.validate_json(line), where))
        except ValidationError as error:
            found = describe_validation_error(error, where)
            total_problems += len(found)
            problems.extend(found[: max(0, PROBLEM_LIMIT - len(problems))])
    if problems:
        raise SchemaError(
            f"nothing was imported: {name} has {total_problems} problem"
            f"{'s' if total_problems != 1 else ''}",
            problems,
            truncated=total_problems > len(problems),
        )
    if not records:
        raise InputError(f"{name} holds no records: there is nothing to import")
    return records


def read_csv(data: bytes, name: str, record_type: str) -> list[Located]:
    """Validate a CSV file of one record type (its header names the fields)."""
    if record_type not in RECORD_TYPES:
        raise InputError(f"unknown record type {record_type!r}: expected one of {_TYPES}")
    text = decode_utf8(data, name)
    model = RECORD_TYPES[record_type]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records: list[Located] = []
    problems: list[Problem] = []
    for row in reader:
        where = f"{name} line {reader.line_num}"
        if None in row:
            problems.append(Problem(where, "more cells than the header has columns"))
            continue
        try:
            record = cast("AnyRecord", model.model_validate(from_csv_row(model, row)))
            records.append(Located(record, where))
        except ValidationError as error:
            problems.extend(describe_validation_error(error, where))
        except ValueError as error:
            problems.append(Problem(where, str(error)))
    if problems:
        raise SchemaError(
            f"nothing was imported: {name} has {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}",
            problems[:PROBLEM_LIMIT],
            truncated=len(problems) > PROBLEM_LIMIT,
        )
    if not records:
        raise InputError(f"{name} holds a header but no records: there is nothing to import")
    return records


def guess_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"cannot tell the format of {path.name}: name it .jsonl or .csv, or pass --format"
    )


def iter_json_lines(records: Iterator[BaseModel]) -> Iterator[str]:
    for record in records:
        yield record.model_dump_json(exclude_defaults=False) + "\n"


def schema_document() -> dict[str, Any]:
    """The published JSON Schema of one line of a casebook JSON Lines file."""
    schema = _RECORD.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://testament.invalid/schema/casebook-record.json"
    schema["title"] = "testament casebook record (one line of a JSON Lines file)"
    return schema


def dumps_schema() -> str:
    return json.dumps(schema_document(), indent=2, ensure_ascii=False)
