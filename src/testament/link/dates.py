"""Dates as intervals: an EDTF date, a bare year or an age at an event become [earliest, latest].

Lists rarely agree on a date of birth: one has 1987-03-14, another "1987", a third "~30" at a
detention in 2017, a fourth "198X". Turning each into the interval of days it allows lets them be
compared by overlap and distance instead of by string equality. Days are counted from 1970-01-01,
so intervals are plain integers that any SQL engine compares quickly.

Approximate or uncertain EDTF values (``1987~``, ``1987?``) take the EDTF library's fuzzy bounds,
which widen the interval; unspecified digits (``198X``) cover the decade.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_EPOCH = date(1970, 1, 1).toordinal()
_PLAIN_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_AGE = re.compile(r"^\s*(~)?\s*(\d{1,3})\s*(?:[-–—]\s*(\d{1,3}))?\s*(\?)?\s*$")

# An age written as approximate ("~30", "30?") is read as give or take this many years.
APPROXIMATE_AGE_YEARS = 2


class DateParseError(ValueError):
    """A value that is neither EDTF, a year, nor an age; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class DayInterval:
    """Earliest and latest day (days since 1970-01-01), both inclusive."""

    earliest: int
    latest: int

    @property
    def width(self) -> int:
        return self.latest - self.earliest


def _day(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal() - _EPOCH


def _plain(text: str) -> DayInterval | None:
    match = _PLAIN_DATE.match(text)
    if match is None:
        return None
    year = int(match[1])
    if match[2] is None:
        return DayInterval(_day(year, 1, 1), _day(year, 12, 31))
    month = int(match[2])
    if not 1 <= month <= 12:
        raise DateParseError(f"{text!r} has month {month}")
    last = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return DayInterval(_day(year, month, 1), _day(year, month, last))
    day = int(match[3])
    if not 1 <= day <= last:
        raise DateParseError(f"{text!r} has day {day}, which month {month} of {year} lacks")
    return DayInterval(_day(year, month, day), _day(year, month, day))


@lru_cache(maxsize=1 << 18)
def parse_date_interval(text: str) -> DayInterval:
    """The interval of days an EDTF value (or a bare year) allows.

    Raises:
        DateParseError: the text is not EDTF.
    """
    cleaned = text.strip()
    plain = _plain(cleaned)
    if plain is not None:
        return plain
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(cleaned)
        lower = parsed.lower_fuzzy()
        upper = parsed.upper_fuzzy()
    except (EDTFParseException, ValueError, TypeError, AttributeError) as error:
        raise DateParseError(
            f"{text!r} is not a date in EDTF (expected e.g. 1987, 1987-03, 1987-03-14, "
            "1987~, 198X, 1985/1987)"
        ) from error
    try:
        return DayInterval(_day(*lower[:3]), _day(*upper[:3]))
    except (ValueError, TypeError) as error:
        raise DateParseError(f"{text!r} is an open or unbounded EDTF value") from error


@lru_cache(maxsize=1 << 12)
def parse_age(text: str) -> tuple[int, int]:
    """An age as reported ("30", "25-30", "~30") as the range of whole years it allows."""
    match = _AGE.match(text)
    if match is None:
        raise DateParseError(f"{text!r} is not an age (expected e.g. 30, 25-30 or ~30)")
    low = int(match[2])
    high = int(match[3]) if match[3] else low
    if high < low:
        raise DateParseError(f"{text!r} is an age range that ends before it starts")
    if match[1] or match[4]:
        low, high = max(0, low - APPROXIMATE_AGE_YEARS), high + APPROXIMATE_AGE_YEARS
    return low, high
