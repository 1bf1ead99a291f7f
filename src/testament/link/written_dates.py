"""Dates as people write them in their lists, turned into the EDTF that linkage compares.

Lists kept in spreadsheets write dates the way their authors do: ``23.12.1994``, ``23/12/1994``,
``12.1994``, ``декабрь 1994``, ``1994 г.``, or as Excel exports them, ``1994-12-23 00:00:00``.
Each such value is read once, into EDTF (``1994-12-23``, ``1994-12``, ``1994``), so that the
rest of linkage sees one notation and the user can check what every value was read as.

The rules (``testament link run --help`` states them for users):

* ``00`` for the day or the month means unknown (``00.05.1994`` is May 1994).
* Numbers are read **day first** (``03/04/1994`` is 3 April), as in Russia and most of Europe;
  a month above 12 is refused rather than swapped, because a list written month first would
  then be read half one way and half the other.
* **Two-digit years are refused** (``23.12.94``): a year of birth may fall in either century,
  and a guessed century would link people who are not the same person.
* EDTF values (``1994``, ``1994-12``, ``1994~``, ``199X``, ``1993/1995``) are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from testament.link.dates import DateParseError, parse_date_interval

_EXAMPLES = (
    "write it as 23.12.1994 (day first), 12.1994, 1994, «декабрь 1994», or in EDTF "
    "(1994-12-23, 1994-12, 1994~, 199X)"
)

_MONTHS = {
    "январь": 1, "января": 1, "янв": 1, "january": 1, "jan": 1,
    "февраль": 2, "февраля": 2, "фев": 2, "февр": 2, "february": 2, "feb": 2,
    "март": 3, "марта": 3, "мар": 3, "march": 3, "mar": 3,
    "апрель": 4, "апреля": 4, "апр": 4, "april": 4, "apr": 4,
    "май": 5, "мая": 5, "may": 5,
    "июнь": 6, "июня": 6, "июн": 6, "june": 6, "jun": 6,
    "июль": 7, "июля": 7, "июл": 7, "july": 7, "jul": 7,
    "август": 8, "августа": 8, "авг": 8, "august": 8, "aug": 8,
    "сентябрь": 9, "сентября": 9, "сен": 9, "сент": 9, "september": 9, "sep": 9, "sept": 9,
    "октябрь": 10, "октября": 10, "окт": 10, "october": 10, "oct": 10,
    "ноябрь": 11, "ноября": 11, "ноя": 11, "нояб": 11, "november": 11, "nov": 11,
    "декабрь": 12, "декабря": 12, "дек": 12, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip

# "г.", "г", "год", "года" after a year; a time of day after a date (Excel writes "0:00").
_YEAR_WORD = re.compile(r"\s*(?:г\.?|года?)\s*$", re.IGNORECASE)
_TIME = re.compile(r"^(?P<date>\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d+)$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})([./-])(\d+)$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAMED = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d+)$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """How one written value was read: the EDTF it became and the form it was written in."""

    edtf: str
    form: str


def _checked(text: str, edtf: str, form: str) -> WrittenDate:
    """The reading, once the EDTF it names is a real calendar day, month or year."""
    try:
        parse_date_interval(edtf)
    except DateParseError as error:
        raise DateParseError(f"{text!r}: {error}; {_EXAMPLES}") from error
    return WrittenDate(edtf, form)


def _full_year(text: str, year: str) -> int:
    if len(year) == 2:
        raise DateParseError(
            f"{text!r} has a two-digit year, which could be 19{year} or 20{year}: write the "
            "year in full (e.g. 23.12.1994)"
        )
    if len(year) != 4:
        raise DateParseError(f"{text!r} has the year {year}: write it with four digits")
    return int(year)


def _month_year(text: str, match: re.Match[str]) -> WrittenDate:
    first, separator, year = match.groups()
    full, month = _full_year(text, year), int(first)
    if not 1 <= month <= 12:
        raise DateParseError(f"{text!r} has month {month}; {_EXAMPLES}")
    return _checked(text, f"{full:04d}-{month:02d}", f"MM{separator}YYYY")


def _numeric(text: str, match: re.Match[str]) -> WrittenDate:
    first, separator, second, year = match.groups()
    full = _full_year(text, year)
    day, month = int(first), int(second)
    form = f"DD{separator}MM{separator}YYYY"
    if day == 0:  # 00.05.1994 and 00.00.1994: lists write zeros for an unknown day or month
        if month == 0:
            return WrittenDate(f"{full:04d}", f"{form}, day and month 00")
        if month <= 12:
            return WrittenDate(f"{full:04d}-{month:02d}", f"{form}, day 00")
    if month > 12 and 1 <= day <= 12:
        raise DateParseError(
            f"{text!r} would have month {month}: dates are read day first ({form}, as in "
            f"Russia and Europe); write {second}{separator}{first}{separator}{year} if {second} "
            "is the day"
        )
    if not 1 <= month <= 12:
        raise DateParseError(f"{text!r} has month {month}; {_EXAMPLES}")
    edtf = f"{full:04d}-{month:02d}-{day:02d}"
    try:
        parse_date_interval(edtf)
    except DateParseError as error:
        raise DateParseError(
            f"{text!r} has day {day}, which {_MONTH_NAMES[month - 1]} {full} does not have"
        ) from error
    return WrittenDate(edtf, form)


def _named(text: str, match: re.Match[str]) -> WrittenDate:
    day, name, year = match.groups()
    month = _MONTHS[name.lower()]
    full = _full_year(text, year)
    if day is None:
        return _checked(text, f"{full:04d}-{month:02d}", "month name and year")
    return _checked(text, f"{full:04d}-{month:02d}-{int(day):02d}", "day, month name and year")


def read_written_date(text: str) -> WrittenDate:
    """The EDTF a date written in a list stands for, and the form it was written in.

    Raises:
        DateParseError: the value is no date, has a two-digit year, or has a month above 12 when
            read day first; the message says how to write it.
    """
    cleaned = " ".join(text.split())
    timed = _TIME.match(cleaned)
    if timed is not None:
        date = timed["date"]
        if _ISO_DAY.match(date):
            return _checked(text, date, "YYYY-MM-DD with a time")
        cleaned = date
    bare = _YEAR_WORD.sub("", cleaned)
    if bare != cleaned and _YEAR.match(bare):
        return _checked(text, bare, "year")
    numeric = _NUMERIC.match(bare)
    if numeric is not None:
        return _numeric(text, numeric)
    month_year = _MONTH_YEAR.match(bare)
    if month_year is not None:
        return _month_year(text, month_year)
    named = _NAMED.match(bare)
    if named is not None and named[2].lower() in _MONTHS:
        return _named(text, named)
    try:  # last, since EDTF's parser is slow: the written forms above are never EDTF
        parse_date_interval(cleaned)
    except DateParseError:
        raise DateParseError(f"{text!r} is not a date linkage can read; {_EXAMPLES}") from None
    return WrittenDate(cleaned, "EDTF")
