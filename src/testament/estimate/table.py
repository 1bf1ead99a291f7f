"""Capture tables: how many people each combination of lists recorded.

A capture table has one 0/1 column per list and a ``count`` column, one row per capture
pattern (``1,0,1,...,count``); patterns not written have count 0 and the all-zero pattern (people
no list recorded) is what we estimate, so it may not carry a count. ``#`` lines at the top are
comments (the reference tables say there where they come from). An optional stratum column splits
the table into several (region, period...), each estimated on its own.

``CaptureTable`` keeps only the patterns seen (20 lists have a million possible patterns); the
log-linear models ask for the full table of all 2^t - 1 observable patterns, zeros included.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from testament.core.errors import Problem
from testament.estimate.errors import CaptureTableError, TooFewListsError
from testament.estimate.warnings import DuplicatePatternWarning, SparseTableWarning

COUNT_COLUMN = "count"
MAX_PROBLEMS = 20

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CaptureTable:
    """Counts of people per capture pattern over ``lists`` (patterns with count > 0 only).

    ``histories`` is a (patterns x lists) 0/1 matrix, ``counts`` the matching counts; both are
    sorted by pattern code (list j contributes 2**j) so that equal tables compare equal.
    """

    lists: tuple[str, ...]
    histories: npt.NDArray[np.int8]
    counts: IntArray
    source: str = "table"

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        """How many people at least one list recorded."""
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        """How many people each list recorded."""
        totals = self.histories.T.astype(np.int64) @ self.counts
        return {name: int(total) for name, total in zip(self.lists, totals, strict=True)}

    def require_lists(self, minimum: int, method: str) -> None:
        """Raise ``TooFewListsError`` when ``method`` needs more lists than the table has."""
        if self.n_lists < minimum:
            raise TooFewListsError(
                f"{self.source}: {method} needs at least {minimum} lists, the table has "
                f"{self.n_lists} ({', '.join(self.lists)})"
            )

    def full(self) -> tuple[npt.NDArray[np.int8], IntArray]:
        """All 2^t - 1 observable patterns (code order) and their counts, zeros included."""
        t = self.n_lists
        codes = np.arange(1, 2**t, dtype=np.int64)
        histories = ((codes[:, None] >> np.arange(t)) & 1).astype(np.int8)
        counts = np.zeros(codes.size, dtype=np.int64)
        counts[pattern_codes(self.histories) - 1] = self.counts
        return histories, counts

    def without_empty_lists(self) -> CaptureTable:
        """The same table without lists that recorded nobody (possible inside a stratum)."""
        keep = self.histories.sum(axis=0) > 0
        if keep.all():
            return self
        return from_histories(
            [name for name, kept in zip(self.lists, keep, strict=True) if kept],
            self.histories[:, keep],
            self.counts,
            source=self.source,
        )

    def overlap_count(self) -> int:
        """How many people more than one list recorded (the information MSE works from)."""
        return int(self.counts[self.histories.sum(axis=1) > 1].sum())


def pattern_codes(histories: npt.NDArray[np.int8]) -> IntArray:
    """Code of each pattern: list j contributes 2**j."""
    weights = np.left_shift(np.int64(1), np.arange(histories.shape[1], dtype=np.int64))
    return np.asarray(histories.astype(np.int64) @ weights, dtype=np.int64)


def from_histories(
    lists: Sequence[str],
    histories: npt.ArrayLike,
    counts: npt.ArrayLike,
    *,
    source: str = "table",
) -> CaptureTable:
    """Build a table from patterns and counts: merges repeats, drops zero counts, sorts."""
    matrix = np.asarray(histories, dtype=np.int8).reshape(-1, len(lists))
    values = np.asarray(counts, dtype=np.int64).reshape(-1)
    codes = pattern_codes(matrix)
    unique, inverse = np.unique(codes, return_inverse=True)
    summed = np.zeros(unique.size, dtype=np.int64)
    np.add.at(summed, inverse, values)
    keep = summed > 0
    unique, summed = unique[keep], summed[keep]
    merged = ((unique[:, None] >> np.arange(len(lists))) & 1).astype(np.int8)
    return CaptureTable(tuple(lists), merged, summed, source)


def read_table(path: Path) -> CaptureTable:
    """Read and validate a capture table without strata."""
    tables = _read(path, stratum=None)
    return tables[""]


def read_strata(path: Path, stratum: str) -> dict[str, CaptureTable]:
    """Read a capture table with a stratum column: one table per stratum value, sorted."""
    return _read(path, stratum=stratum)


def parse_table(text: str, *, source: str = "table") -> CaptureTable:
    """Parse CSV text without strata (for callers that hold the text already)."""
    return _parse(text, source, None)[""]


def parse_strata(text: str, stratum: str, *, source: str = "table") -> dict[str, CaptureTable]:
    """Parse CSV text with a stratum column: one table per stratum value."""
    return _parse(text, source, stratum)


def _read(path: Path, stratum: str | None) -> dict[str, CaptureTable]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaptureTableError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaptureTableError(f"{path}: cannot read the table ({error})") from None
    return _parse(text, path.name, stratum)


@dataclass
class _Rows:
    histories: list[list[int]]
    counts: list[int]
    strata: list[str]


def _parse(text: str, source: str, stratum: str | None) -> dict[str, CaptureTable]:
    lines = text.splitlines()
    first = 0
    while first < len(lines) and (
        lines[first].lstrip().startswith("#") or not lines[first].strip()
    ):
        first += 1
    if first == len(lines):
        raise CaptureTableError(f"{source}: empty table (no header and no rows)")
    reader = csv.reader(io.StringIO("\n".join(lines[first:])))
    header = [name.strip() for name in next(reader)]
    header_where = f"{source} line {first + 1}"
    list_names = _check_header(header, header_where, stratum)
    count_at = header.index(COUNT_COLUMN)
    stratum_at = header.index(stratum) if stratum is not None else -1
    list_at = [header.index(name) for name in list_names]

    problems: list[Problem] = []
    rows = _Rows([], [], [])
    first_seen: dict[tuple[str, tuple[int, ...]], int] = {}
    repeated: list[str] = []
    for offset, record in enumerate(reader, start=first + 2):
        if not record or all(not cell.strip() for cell in record):
            continue
        where = f"{source} line {offset}"
        if len(record) != len(header):
            problems.append(
                Problem(where, f"has {len(record)} fields, the header has {len(header)}")
            )
            continue
        pattern = [_binary(record[at], where, header[at], problems) for at in list_at]
        count = _count(record[count_at], where, problems)
        if any(bit is None for bit in pattern) or count is None:
            continue
        bits = [int(bit) for bit in pattern if bit is not None]
        if not any(bits) and count > 0:
            problems.append(
                Problem(
                    where,
                    "the all-zero pattern (recorded by no list) cannot have a count: it is "
                    "the number being estimated; remove this row",
                )
            )
            continue
        stratum_value = record[stratum_at].strip() if stratum_at >= 0 else ""
        key = (stratum_value, tuple(bits))
        if key in first_seen:
            repeated.append(f"line {offset} repeats line {first_seen[key]}")
        else:
            first_seen[key] = offset
        rows.histories.append(bits)
        rows.counts.append(count)
        rows.strata.append(stratum_value)
    if repeated:
        warnings.warn(
            f"{source}: a capture pattern is written more than once; its counts are added up "
            f"({'; '.join(repeated[:5])}{'; ...' if len(repeated) > 5 else ''})",
            DuplicatePatternWarning,
            stacklevel=3,
        )
    if problems:
        raise CaptureTableError(
            f"{source}: the capture table is not valid",
            problems[:MAX_PROBLEMS],
            truncated=len(problems) > MAX_PROBLEMS,
        )
    whole = _validated(list_names, rows.histories, rows.counts, source)
    if stratum is None:
        return {"": whole}
    return _split(list_names, rows, source, stratum)


def _check_header(header: list[str], where: str, stratum: str | None) -> list[str]:
    problems: list[Problem] = []
    if COUNT_COLUMN not in header:
        problems.append(
            Problem(where, f"no {COUNT_COLUMN!r} column (the number of people per row)")
        )
    if stratum is not None and stratum not in header:
        problems.append(Problem(where, f"no stratum column {stratum!r}", field=stratum))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems.extend(Problem(where, "column named twice", field=name) for name in duplicated)
    if any(not name for name in header):
        problems.append(Problem(where, "a column has no name"))
    if problems:
        raise CaptureTableError("the capture table's header is not valid", problems)
    lists = [name for name in header if name not in {COUNT_COLUMN, stratum}]
    if len(lists) < 2:
        raise TooFewListsError(
            f"{where}: a capture table needs at least two list columns besides "
            f"{COUNT_COLUMN!r}, found {len(lists)} ({', '.join(lists) or 'none'}); "
            "estimating the unseen needs overlaps between lists"
        )
    return lists


def _binary(cell: str, where: str, column: str, problems: list[Problem]) -> bool | None:
    value = cell.strip()
    if value in {"0", "1"}:
        return value == "1"
    problems.append(
        Problem(where, f"list columns hold 0 or 1 (recorded or not), found {value!r}", column)
    )
    return None


def _count(cell: str, where: str, problems: list[Problem]) -> int | None:
    value = cell.strip()
    try:
        number = float(value)
    except ValueError:
        problems.append(Problem(where, f"count must be a whole number, found {value!r}", "count"))
        return None
    if not math.isfinite(number) or number != int(number):
        problems.append(Problem(where, f"count must be a whole number, found {value!r}", "count"))
        return None
    if number < 0:
        problems.append(Problem(where, f"count cannot be negative, found {value!r}", "count"))
        return None
    return int(number)


def _validated(
    lists: Sequence[str], histories: list[list[int]], counts: list[int], source: str
) -> CaptureTable:
    if not histories or sum(counts) == 0:
        raise CaptureTableError(f"{source}: empty table (no one is counted on any list)")
    table = from_histories(lists, histories, counts, source=source)
    totals = table.list_totals()
    empty = [name for name, total in totals.items() if total == 0]
    if empty:
        raise CaptureTableError(
            f"{source}: some lists recorded nobody",
            [
                Problem(source, "this list recorded nobody: remove the column", field=name)
                for name in empty
            ],
        )
    return table


def _split(lists: Sequence[str], rows: _Rows, source: str, stratum: str) -> dict[str, CaptureTable]:
    tables: dict[str, CaptureTable] = {}
    for value in sorted(set(rows.strata)):
        chosen = [i for i, name in enumerate(rows.strata) if name == value]
        counts = [rows.counts[i] for i in chosen]
        if sum(counts) == 0:
            continue
        table = from_histories(
            lists,
            [rows.histories[i] for i in chosen],
            counts,
            source=f"{source} [{stratum}={value}]",
        ).without_empty_lists()
        if table.n_lists < len(lists):
            warnings.warn(
                f"{table.source}: lists that recorded nobody in this stratum were left out "
                f"({', '.join(sorted(set(lists) - set(table.lists)))})",
                SparseTableWarning,
                stacklevel=4,
            )
        tables[value] = table
    return tables
