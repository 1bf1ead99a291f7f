"""Reading a records file as people export it, and reporting how it was read.

``load_records`` turns a file into the records table of ``testament.link.records``: it finds the
encoding and the delimiter (``textfile``), maps the file's headers to our columns (``headers``),
checks the table (``records.check_records``) and reads the dates as written into EDTF
(``written_dates``). Every guess is in the ``InputReport`` it returns, so that a person can see
what was assumed — "Windows-1251, ';', Фамилия → family_name, 14.03.1987 → 1987-03-14" — and
override it (``ReadOptions``).

A file that cannot be read raises one ``RecordsError`` naming the file, the line or row, and what
to do; nothing is linked from a file read only in part.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from testament.core.errors import Problem
from testament.link.dates import DateParseError
from testament.link.errors import RecordsError
from testament.link.headers import choose_columns, parse_columns, read_mapping_file
from testament.link.records import (
    KNOWN_COLUMNS,
    MAX_PROBLEMS,
    REQUIRED_COLUMNS,
    check_records,
    row_label,
)
from testament.link.textfile import decode, delimiter_of
from testament.link.written_dates import read_written_date

DATE_COLUMNS = ("birth", "event_date")

__all__ = [
    "DateReading",
    "InputReport",
    "LoadedRecords",
    "ReadOptions",
    "load_records",
    "parse_columns",
    "read_columns_file",
    "read_records",
]


@dataclass(frozen=True)
class ReadOptions:
    """What the user says about a file; ``None`` (and an empty mapping) means "detect it"."""

    encoding: str | None = None
    delimiter: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

    def overridden_by(self, other: ReadOptions) -> ReadOptions:
        """These options with whatever ``other`` sets replacing them (columns are merged)."""
        return ReadOptions(
            encoding=other.encoding or self.encoding,
            delimiter=other.delimiter or self.delimiter,
            columns={**self.columns, **other.columns},
        )


@dataclass(frozen=True, slots=True)
class DateReading:
    """One written date value and the EDTF it was read as, with where it occurs."""

    column: str
    written: str
    edtf: str
    form: str
    rows: int
    first_row: int


@dataclass(frozen=True)
class InputReport:
    """How a file was read: what was detected, mapped and converted.

    Attributes:
        encoding: the codec's name (``utf-8``, ``cp1251``, ``koi8-r`` ...).
        encoding_guessed: detected rather than given.
        delimiter: the delimiter character.
        columns: ``ours → the file's header`` for every column not already named as ours.
        recognised: those of ``columns`` recognised by their Russian header, not mapped by the user.
        ambiguous: columns left unmapped because several headers fit, with those headers.
        dates: every distinct date value that was not EDTF already, and what it was read as.
        skipped_rows: rows left out because every field of theirs was blank.
    """

    encoding: str
    encoding_guessed: bool
    delimiter: str
    columns: dict[str, str]
    recognised: tuple[str, ...]
    ambiguous: dict[str, tuple[str, ...]]
    dates: tuple[DateReading, ...]
    skipped_rows: int = 0

    def date_forms(self) -> dict[str, int]:
        """How many values were read from each written form, e.g. ``{"DD.MM.YYYY": 120}``."""
        counts: dict[str, int] = {}
        for reading in self.dates:
            counts[reading.form] = counts.get(reading.form, 0) + reading.rows
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class LoadedRecords:
    """The records table of a file and how it was read."""

    frame: pd.DataFrame
    report: InputReport


def read_columns_file(path: Path) -> ReadOptions:
    """The options a TOML mapping file gives (see ``testament.link.headers``)."""
    columns, settings = read_mapping_file(path)
    return ReadOptions(
        encoding=settings.get("encoding"), delimiter=settings.get("delimiter"), columns=columns
    )


def _read_bytes(path: Path) -> bytes:
    name = path.name or str(path)
    fix = "give the path of a records CSV"
    try:
        if path.is_dir():
            raise RecordsError(f"{path} is a folder", [Problem(str(path), f"{fix}, not a folder")])
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise RecordsError(
            f"{path} does not exist", [Problem(str(path), f"no such file: {fix}")]
        ) from error
    except OSError as error:
        raise RecordsError(
            f"cannot read {path}", [Problem(str(path), f"{error.strerror or error}: {fix}")]
        ) from error
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    content = next((raw[len(bom) :] for bom in boms if raw.startswith(bom)), raw)
    if not content.strip(b" \t\r\n\x00"):
        raise RecordsError(
            f"{name} is empty",
            [Problem(name, "no header and no records: expected list,record_id,...")],
        )
    return raw


def _csv_error(name: str, line: int, error: csv.Error, delimiter: str) -> RecordsError:
    text = str(error)
    if "unexpected end of data" in text:
        message = (
            "a quote opened on this line is never closed: close it, or remove the stray quote "
            '(a quote inside a quoted value is written twice: "")'
        )
    elif "expected after" in text:
        message = (
            "a quoted value goes on after its closing quote: write a quote inside a quoted value "
            'twice (""), or remove the quotes around the value'
        )
    else:
        message = f"{text}: save the file again as CSV with {delimiter!r} between values"
    return RecordsError(
        f"{name} is not a well-formed CSV file", [Problem(f"{name} line {line}", message)]
    )


def _table(text: str, name: str, delimiter: str) -> tuple[list[str], pd.DataFrame, int]:
    """The header, the rows (index: spreadsheet row - 2) and how many blank rows were left out.

    pandas' C parser reads a well-formed file quickly; a file it refuses is read again, slowly,
    by ``_table_exactly``, which accepts what is harmless (empty fields beyond the header, as
    Excel writes them) and names the line of anything else.
    """
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,  # keeps row numbers those of the spreadsheet
            engine="c",
        )
    except pd.errors.ParserError:
        return _table_exactly(text, name, delimiter)
    except pd.errors.EmptyDataError as error:
        raise RecordsError(
            f"{name} is empty", [Problem(name, "expected list,record_id,...")]
        ) from error
    header = [str(value).strip() for value in raw.iloc[0]]
    raw.columns = header
    frame = raw.iloc[1:].fillna("")
    frame.index = frame.index - 1
    filled = (frame != "").to_numpy().any(axis=1)
    return header, frame[filled], int((~filled).sum())


def _table_exactly(text: str, name: str, delimiter: str) -> tuple[list[str], pd.DataFrame, int]:
    """``_table`` with Python's csv module: slower, but it says which line is wrong and why."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    index: list[int] = []
    header: list[str] | None = None
    problems: list[Problem] = []
    skipped = width = 0
    line = 1
    try:
        for row_number, row in enumerate(reader, start=1):
            if header is None:
                header = [value.strip() for value in row]
                width = len(header)
            elif not "".join(row).strip():
                skipped += 1
            elif len(row) > width and any(value.strip() for value in row[width:]):
                problems.append(
                    Problem(
                        f"{name} line {line}",
                        f"{len(row)} fields where the header has {width}: a {delimiter!r} "
                        "inside a value? put that value in double quotes, or remove the extra "
                        f"{delimiter!r}",
                    )
                )
            else:
                rows.append((row + [""] * width)[:width])
                index.append(row_number - 2)
            line = reader.line_num + 1
    except csv.Error as error:
        raise _csv_error(name, line, error, delimiter) from error
    if problems:
        raise RecordsError(
            f"{name} has {len(problems)} row(s) with more values than headers",
            problems[:MAX_PROBLEMS],
            truncated=len(problems) > MAX_PROBLEMS,
        )
    if header is None:
        raise RecordsError(f"{name} is empty", [Problem(name, "expected list,record_id,...")])
    return header, pd.DataFrame(rows, columns=header, index=index, dtype=object), skipped


def _dates(frame: pd.DataFrame, where: str) -> tuple[DateReading, ...]:
    """Read every date column as written into EDTF, in place; every problem names its row."""
    readings: list[DateReading] = []
    problems: list[Problem] = []
    for column in (c for c in DATE_COLUMNS if c in frame.columns):
        values = frame[column].astype(str).str.strip()
        written = values[values != ""]
        counts = written.value_counts()
        converted: dict[str, str] = {}
        for label, value in written.drop_duplicates().items():  # each value at its first row
            try:
                reading = read_written_date(value)
            except DateParseError as error:
                if len(problems) < MAX_PROBLEMS:
                    rows = written.index[written == value][: MAX_PROBLEMS - len(problems)]
                    problems.extend(
                        Problem(row_label(where, int(i)), str(error), column) for i in rows
                    )
                else:
                    problems.append(Problem(row_label(where, int(label)), str(error), column))
                continue
            if reading.edtf != value:
                converted[value] = reading.edtf
                rows_count, first_row = int(counts[value]), int(label) + 2
                readings.append(
                    DateReading(column, value, reading.edtf, reading.form, rows_count, first_row)
                )
        frame[column] = values.map(converted).fillna(values) if converted else values
    if problems:
        problems.sort(key=lambda problem: (problem.field or "", len(problem.where), problem.where))
        raise RecordsError(
            f"{where} has date(s) that cannot be read",
            problems[:MAX_PROBLEMS],
            truncated=len(problems) > MAX_PROBLEMS,
        )
    return tuple(sorted(readings, key=lambda r: (r.column, r.first_row)))


def _require_columns(frame: pd.DataFrame, header: list[str], name: str) -> None:
    """Refuse a file without ``list`` or ``record_id``, showing its headers and how to map one."""
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        shown = ", ".join(repr(h) for h in header if h) or "none"
        raise RecordsError(
            f"{name} lacks required column(s): {', '.join(missing)}",
            [
                Problem(
                    f"{name} row 1",
                    f"required column is missing; the file's headers are {shown}: if one of "
                    f"them holds it, name it with --columns {column}=HEADER",
                    column,
                )
                for column in missing
            ],
        )


def load_records(path: Path, options: ReadOptions | None = None) -> LoadedRecords:
    """Read a records file, detecting what ``options`` leave open, and report how it was read.

    Raises:
        RecordsError: the file is missing, a folder, empty, binary or a workbook, not text in
            its encoding, not well-formed CSV, lacks what linkage needs, or holds dates that
            cannot be read — one error, naming the file, the line or row, and what to do.
    """
    options = options or ReadOptions()
    raw = _read_bytes(path)
    name = path.name
    decoded = decode(raw, name, options.encoding)
    delimiter = delimiter_of(decoded.text, name, options.delimiter)
    header, frame, skipped = _table(decoded.text, name, delimiter)
    choice = choose_columns(header, options.columns, name)
    renamed = {theirs: ours for ours, theirs in choice.columns.items()}
    frame = frame.rename(columns=renamed).loc[:, lambda f: f.columns != ""].copy()
    names = list(frame.columns)
    doubled = sorted({c for c in names if c in KNOWN_COLUMNS and names.count(c) > 1})
    if doubled:
        raise RecordsError(
            f"{name} has the column(s) {', '.join(map(repr, doubled))} more than once",
            [Problem(f"{name} row 1", "keep one column of each name, or rename the others")],
        )
    _require_columns(frame, header, name)
    check_records(frame, where=name)
    dates = _dates(frame, name)
    report = InputReport(
        encoding=decoded.encoding,
        encoding_guessed=decoded.guessed,
        delimiter=delimiter,
        columns={ours: theirs for ours, theirs in choice.columns.items() if ours != theirs},
        recognised=choice.recognised,
        ambiguous=choice.ambiguous,
        dates=dates,
        skipped_rows=skipped,
    )
    return LoadedRecords(frame, report)


def read_records(path: Path, options: ReadOptions | None = None) -> pd.DataFrame:
    """The records table of a file (``load_records`` without the report)."""
    return load_records(path, options).frame
