"""The records table linkage reads: its columns, and the checks that stop a run before it starts.

One row per record of one organisation's list. Required: ``list`` (which list) and ``record_id``
(unique across the whole file). Optional, blank when unknown: ``given_name``, ``family_name``,
``patronymic``, ``names_as_reported`` (free text in any script), ``sex``, ``birth`` (EDTF or a
year), ``event_date`` (EDTF), ``place`` (as reported), ``age`` (a number or a range like 25-30),
``address`` (street and house as reported, in any script) and ``document`` (the number of an
identity document — passport, ID card, social security — as reported).

Rows are named the way a spreadsheet shows them: the header is row 1, the first record row 2.
Files as people export them (other encodings, delimiters and headers, dates written
``23.12.1994``) are read into this table by ``testament.link.reading``.
"""

from __future__ import annotations

import pandas as pd

from testament.core.errors import Problem
from testament.link.errors import RecordsError

REQUIRED_COLUMNS = ("list", "record_id")
NAME_COLUMNS = ("given_name", "family_name", "patronymic", "names_as_reported")
OPTIONAL_COLUMNS = (
    *NAME_COLUMNS,
    "sex",
    "birth",
    "event_date",
    "place",
    "age",
    "address",
    "document",
)
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)

MAX_PROBLEMS = 20


def row_label(where: str, index: int) -> str:
    """How a problem names a row: the header is row 1, so the record at position 0 is row 2."""
    return f"{where} row {index + 2}"


def check_records(frame: pd.DataFrame, *, where: str = "records") -> None:
    """Raise ``RecordsError`` listing what makes ``frame`` unusable for linkage.

    Checked here: the required columns, at least one name column, unique non-blank record ids,
    at least one record and at least two lists. Dates and ages are checked when they are read
    (``testament.link.features``), where their rows are named too.
    """
    columns = set(frame.columns)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise RecordsError(
            f"{where} lacks required column(s): {', '.join(missing)}",
            [
                Problem(where=f"{where} row 1", field=column, message="required column is missing")
                for column in missing
            ],
        )
    if not columns.intersection(NAME_COLUMNS):
        raise RecordsError(
            f"{where} has no name column",
            [
                Problem(
                    where=f"{where} row 1",
                    message="linkage compares names: add at least one of "
                    + ", ".join(NAME_COLUMNS),
                )
            ],
        )
    if frame.empty:
        raise RecordsError(
            f"{where} has a header but no records",
            [Problem(where=where, message="add at least one record per list")],
        )
    problems: list[Problem] = []
    ids = frame["record_id"].astype(str).str.strip()
    for index in ids.index[ids == ""][:MAX_PROBLEMS]:
        problems.append(Problem(row_label(where, int(index)), "record_id is blank", "record_id"))
    duplicated = ids[(ids != "") & ids.duplicated(keep="first")]
    for index, value in duplicated.head(MAX_PROBLEMS).items():
        first = int(ids.index[ids == value][0])
        problems.append(
            Problem(
                row_label(where, int(index)),
                f"record_id {value!r} is used again (first at row {first + 2}); ids must be unique "
                "across all lists (if each list numbers its records from 1, prefix the list)",
                "record_id",
            )
        )
    lists = frame["list"].astype(str).str.strip()
    for index in lists.index[lists == ""][:MAX_PROBLEMS]:
        problems.append(Problem(row_label(where, int(index)), "list is blank", "list"))
    if problems:
        raise RecordsError(
            f"{where} has {len(problems)} problem(s) with its ids",
            problems[:MAX_PROBLEMS],
            truncated=len(problems) > MAX_PROBLEMS,
        )
    distinct = sorted(set(lists))
    if len(distinct) < 2:
        raise RecordsError(
            f"{where} holds one list only ({distinct[0]!r})",
            [
                Problem(
                    where=where,
                    field="list",
                    message="linkage across lists needs at least two lists: the overlaps between "
                    "lists are what show who was counted twice and what estimation of the unseen "
                    "rests on; add the other organisations' lists to the same file",
                )
            ],
        )
