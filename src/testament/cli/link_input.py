"""How ``testament link`` is told to read a records file, and how it says how it read it.

The options (``--encoding``, ``--delimiter``, ``--columns``, ``--columns-file``) are shared by
``link run`` and ``link review`` (which reads the same file to show the records of a pair). What
was detected or mapped is said on stderr, so that stdout keeps the results (and only JSON under
``--json``), and goes into the JSON summary for scripts.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from testament.link.reading import InputReport, ReadOptions

EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of RECORDS (utf-8, cp1251, koi8-r ...); default: detected.",
    ),
]
DelimiterOption = Annotated[
    str | None,
    typer.Option("--delimiter", help="Delimiter of RECORDS: , ; | or tab; default: detected."),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Which header holds which column: list=Список,record_id=№,family_name=Фамилия.",
    ),
]
ColumnsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--columns-file",
        # Rich reads [columns] as markup: the backslash keeps it text.
        help='TOML file: \\[columns] list = "Список" ...; may set encoding and delimiter too.',
    ),
]


def date_rules() -> str:
    """How dates are read (``testament.link.written_dates``), said where a user looks: --help.

    Kept here rather than imported, so that ``testament --help`` loads no pandas.
    """
    return (
        "Dates may be written 23.12.1994, 23/12/1994, 12.1994, 1994, «декабрь 1994», "
        "'December 1994' or in EDTF (1994-12-23, 1994~, 199X): numbers are read day first, as "
        "in Russia and Europe (03/04/1994 is 3 April), 00 stands for an unknown day or month "
        "(00.05.1994 is May 1994), and two-digit years (23.12.94) are refused: write the year "
        "in full."
    )


def reading_options(
    encoding: str | None, delimiter: str | None, columns: str | None, columns_file: Path | None
) -> ReadOptions:
    """The options the user gave: the columns file first, the command line over it."""
    from testament.link.reading import ReadOptions, parse_columns, read_columns_file

    base = read_columns_file(columns_file) if columns_file is not None else ReadOptions()
    given = ReadOptions(
        encoding=encoding,
        delimiter=delimiter,
        columns=parse_columns(columns) if columns else {},
    )
    return base.overridden_by(given)


def report_lines(name: str, report: InputReport, *, show_dates: bool = False) -> list[str]:
    """Sentences saying how ``name`` was read: what a person should check before trusting it."""
    from testament.link.textfile import DELIMITER_NAMES

    detected = " (detected; --encoding to override)" if report.encoding_guessed else ""
    delimiter = DELIMITER_NAMES.get(report.delimiter, repr(report.delimiter))
    lines = [f"Read {name} as {report.encoding}{detected}, delimiter {delimiter}."]
    mapped = [
        (ours, theirs) for ours, theirs in report.columns.items() if ours not in report.recognised
    ]
    recognised = [(ours, report.columns[ours]) for ours in report.recognised]
    if mapped:
        lines.append("Columns mapped: " + ", ".join(f"{t} → {o}" for o, t in mapped) + ".")
    if recognised:
        lines.append(
            "Columns recognised by their Russian headers: "
            + ", ".join(f"{t} → {o}" for o, t in recognised)
            + " (--columns maps them otherwise)."
        )
    lines.extend(
        f"Column {ours} not guessed: {' or '.join(map(repr, headers))} could hold it; "
        f"name one with --columns {ours}=HEADER."
        for ours, headers in report.ambiguous.items()
    )
    if report.dates:
        forms = report.date_forms()
        examples: dict[str, str] = {}
        for reading in report.dates:
            examples.setdefault(reading.form, f"{reading.written} → {reading.edtf}")
        described = "; ".join(
            f"{count} as {form} (e.g. {examples[form]})" for form, count in forms.items()
        )
        hint = "" if show_dates else " --show-dates lists every reading."
        lines.append(f"Dates read into EDTF, day first: {described}.{hint}")
    if report.skipped_rows:
        lines.append(f"{report.skipped_rows} blank row(s) left out.")
    return lines


def date_lines(report: InputReport) -> list[str]:
    """One aligned line per distinct date value read, for ``--show-dates``."""
    cells = [
        (
            r.column,
            r.written,
            f"→ {r.edtf}",
            r.form,
            f"{r.rows} row{'s' if r.rows > 1 else ''}, first row {r.first_row}",
        )
        for r in report.dates
    ]
    widths = [max((len(row[i]) for row in cells), default=0) for i in range(4)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + f"  ({row[4]})"
        for row in cells
    ]


def report_json(path: Path, report: InputReport, *, show_dates: bool) -> dict[str, Any]:
    """The reading as JSON for the summary of ``--json``."""
    summary: dict[str, Any] = {
        "file": str(path),
        "encoding": report.encoding,
        "encoding_guessed": report.encoding_guessed,
        "delimiter": report.delimiter,
        "columns": report.columns,
        "recognised": sorted(report.recognised),
        "ambiguous": {ours: list(headers) for ours, headers in report.ambiguous.items()},
        "dates_read": report.date_forms(),
        "skipped_rows": report.skipped_rows,
    }
    if show_dates:
        summary["dates"] = [asdict(reading) for reading in report.dates]
    return summary
