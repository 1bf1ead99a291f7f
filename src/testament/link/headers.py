"""Which column of a file is which of ours: the user's mapping, or Russian headers we recognise.

Organisations keep their lists with their own headers ("Фамилия", "Surname", "ФИО"). A mapping
names, for each of our columns (``testament.link.records.KNOWN_COLUMNS``), the file's header that
holds it: given on the command line (``list=Список,record_id=№``) or in a TOML file::

    encoding = "cp1251"      # optional: how to read the file (see testament.link.textfile)
    delimiter = ";"          # optional
    [columns]
    list = "Список"
    record_id = "№"

Columns the mapping leaves out are recognised by their usual Russian headers (``RUSSIAN``) when
exactly one header of the file fits and the file has no column of our name already; what was
recognised, and what was not because two headers fit, is reported so the user can check it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from testament.core.errors import Problem
from testament.link.errors import RecordsError
from testament.link.records import KNOWN_COLUMNS

# Usual headers of Russian victim lists, compared without case, spaces and final dots.
RUSSIAN: dict[str, tuple[str, ...]] = {
    "list": ("список", "источник"),
    "record_id": ("№", "номер", "id"),
    "family_name": ("фамилия",),
    "given_name": ("имя",),
    "patronymic": ("отчество",),
    "names_as_reported": ("фио", "ф.и.о", "фамилия имя отчество", "фамилия, имя, отчество"),
    "sex": ("пол",),
    "birth": ("дата рождения", "год рождения", "дата рожд", "д.р", "г.р"),
    "event_date": ("дата задержания", "дата события", "дата похищения"),
    "place": ("место", "место задержания", "населенный пункт", "населённый пункт"),
    "age": ("возраст",),
    "address": ("адрес",),
    "document": ("паспорт", "документ"),
}

MAPPING_EXAMPLE = "list=Список,record_id=№,family_name=Фамилия"


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Which header holds each of our columns (``ours → theirs``), and how that was decided."""

    columns: dict[str, str]
    recognised: tuple[str, ...]
    ambiguous: dict[str, tuple[str, ...]]


def _unknown(ours: str, where: str) -> Problem:
    return Problem(
        where=where,
        message=f"{ours!r} is not a column linkage reads; use one of {', '.join(KNOWN_COLUMNS)}",
    )


def parse_columns(text: str, *, where: str = "--columns") -> dict[str, str]:
    """``list=Список,record_id=№`` as ``{"list": "Список", "record_id": "№"}``.

    Raises:
        RecordsError: a pair without ``=``, a column we do not read, or one named twice.
    """
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for pair in (part.strip() for part in text.split(",")):
        if not pair:
            continue
        ours, equals, theirs = (part.strip() for part in pair.partition("="))
        if not equals or not ours or not theirs:
            problems.append(Problem(where, f"{pair!r} is not OURS=HEADER (e.g. {MAPPING_EXAMPLE})"))
        elif ours not in KNOWN_COLUMNS:
            problems.append(_unknown(ours, where))
        elif ours in mapping:
            problems.append(Problem(where, f"{ours!r} is mapped twice: keep one header for it"))
        else:
            mapping[ours] = theirs
    if problems:
        raise RecordsError("the column mapping cannot be used", problems)
    return mapping


def read_mapping_file(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The ``[columns]`` of a TOML mapping file and its reading settings (encoding, delimiter).

    Raises:
        RecordsError: the file is missing, not TOML, or names columns we do not read.
    """
    where = path.name
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordsError(
            f"cannot read the column mapping {path}",
            [Problem(where, f"{error.strerror or error}: give the path of a TOML file")],
        ) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RecordsError(
            f"{where} is not TOML", [Problem(where, f'{error}; e.g. [columns] list = "Список"')]
        ) from error
    columns = document.get("columns", {})
    problems: list[Problem] = []
    if not isinstance(columns, dict):
        problems.append(Problem(where, 'columns must be a table: [columns] then list = "..."'))
        columns = {}
    mapping: dict[str, str] = {}
    for ours, theirs in columns.items():
        if ours not in KNOWN_COLUMNS:
            problems.append(_unknown(ours, f"{where} [columns]"))
        elif not isinstance(theirs, str) or not theirs.strip():
            problems.append(Problem(f"{where} [columns]", "must name a header", ours))
        else:
            mapping[ours] = theirs.strip()
    settings: dict[str, str] = {}
    for key in ("encoding", "delimiter"):
        value = document.get(key)
        if isinstance(value, str):
            settings[key] = value
        elif value is not None:
            problems.append(Problem(where, 'must be text, e.g. "cp1251" or ";"', key))
    unknown = set(document) - {"columns", "encoding", "delimiter"}
    problems.extend(
        Problem(where, "unknown setting: only encoding, delimiter and [columns]", key)
        for key in sorted(unknown)
    )
    if problems:
        raise RecordsError(f"the column mapping {where} cannot be used", problems)
    return mapping, settings


def _folded(header: str) -> str:
    return " ".join(header.lower().replace("ё", "е").split()).rstrip(".:")


def choose_columns(headers: Sequence[str], mapping: Mapping[str, str], where: str) -> ColumnChoice:
    """Which of ``headers`` holds each of our columns: ``mapping`` first, then Russian headers.

    Raises:
        RecordsError: a mapped header the file lacks, or one that collides with another column.
    """
    present = set(headers)
    problems: list[Problem] = []
    shown = ", ".join(headers)
    for ours, theirs in mapping.items():
        if theirs not in present:
            problems.append(
                Problem(f"{where} row 1", f"no header {theirs!r} (for {ours}); it has: {shown}")
            )
        elif ours in present and ours != theirs:
            problems.append(
                Problem(
                    f"{where} row 1",
                    f"the file has a column {ours!r} already and the mapping takes {ours} "
                    f"from {theirs!r}: drop one of them",
                )
            )
    taken = list(mapping.values())
    for theirs in {header for header in taken if taken.count(header) > 1}:
        problems.append(Problem(where, f"header {theirs!r} is mapped to two columns"))
    if problems:
        raise RecordsError(f"the column mapping does not fit {where}", problems)
    columns = dict(mapping)
    recognised: list[str] = []
    ambiguous: dict[str, tuple[str, ...]] = {}
    used = set(mapping.values()) | set(KNOWN_COLUMNS)
    for ours, usual in RUSSIAN.items():
        if ours in columns or ours in present:
            continue
        fitting = tuple(h for h in headers if h not in used and _folded(h) in usual)
        if len(fitting) == 1:
            columns[ours] = fitting[0]
            recognised.append(ours)
            used.add(fitting[0])
        elif fitting:
            ambiguous[ours] = fitting
    return ColumnChoice(columns, tuple(recognised), ambiguous)
