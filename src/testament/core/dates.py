"""Dates as EDTF, with the reporter's own words kept beside them.

Testimonies rarely give a day: "late 2013", "that spring", "в конце 2013 года". The casebook stores
an EDTF value (Library of Congress Extended Date/Time Format, level 0-2, parsed by the ``edtf``
package) that says exactly that much and no more, and keeps the words as reported so a reviewer
can always check the coding. ``interpret`` turns the common English and Russian phrasings into EDTF;
anything it does not recognise is left for a person to code.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

_MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Russian month names by stem, so that every case ending matches ("апреле", "апреля", "апрель").
_MONTHS_RU = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}

# Part of a year -> (first month, last month). Approximate on both ends: "late 2013" is not a fact
# about September, it is a reporter's impression, hence the "~" qualifiers in the EDTF value.
_PARTS = {
    "early": (1, 4),
    "beginning of": (1, 3),
    "mid": (5, 8),
    "middle of": (5, 8),
    "late": (9, 12),
    "end of": (10, 12),
    "начал": (1, 4),
    "середин": (5, 8),
    "конц": (9, 12),
    "конец": (9, 12),
}
_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "весн": (3, 5),
    "лет": (6, 8),
    "осен": (9, 11),
}

_YEAR = r"(?P<year>(1[89]|20)\d\d)"


def is_valid_edtf(value: str) -> bool:
    """Whether ``value`` parses as EDTF and names dates that exist (no 30 February)."""
    return edtf_problem(value) is None


_PLAIN_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=65_536)
def edtf_problem(value: str) -> str | None:
    """Why ``value`` is not a valid EDTF date, or None when it is.

    Plain dates (2017, 2017-04, 2017-04-01) are checked with the calendar directly: the full EDTF
    grammar is a parser combinator that costs milliseconds per value, too slow for imports of a
    million records. Results are cached, because casebooks repeat the same dates often.
    """
    plain = _PLAIN_DATE.fullmatch(value)
    if plain is not None and int(plain.group(2) or 1) <= 12:  # 21-41 are EDTF seasons
        year, month, day = plain.groups()
        try:
            date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            return f"{value!r} is not a valid EDTF date: that day does not exist ({error})"
        return None
    if not value or value != value.strip():
        return "an EDTF date may not be empty or padded with spaces"
    try:
        parse_edtf(value)
    except EDTFParseException:
        return (
            f"{value!r} is not a valid EDTF date (examples: 2017, 2017-04, 2017-04-01, "
            "2013-09~/2013-12~, 2017-04-XX, ../2017)"
        )
    except (
        ValueError,
        OverflowError,
    ) as error:  # the parser accepts the shape, calendar rejects it
        return f"{value!r} names a date that does not exist ({error})"
    return None


def interpret(words: str) -> str | None:
    """Turn a reported phrase into an EDTF value, or None when the phrase is not understood.

    >>> interpret("late 2013")
    '2013-09~/2013-12~'
    >>> interpret("в апреле 2017 года")
    '2017-04'
    """
    text = " ".join(words.lower().replace("ё", "е").split())
    if is_valid_edtf(text):
        return text
    iso = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
    if iso:  # day.month.year, as written in Russia and most of Europe
        try:
            return date(int(iso.group(3)), int(iso.group(2)), int(iso.group(1))).isoformat()
        except ValueError:
            return None
    year_match = re.search(_YEAR, text)
    if year_match is None:
        return None
    year = int(year_match.group("year"))
    rest = (text[: year_match.start()] + text[year_match.end() :]).strip()
    rest = re.sub(r"\b(of|in|the|в|во|года?|г\.?)\b", " ", rest)
    rest = " ".join(rest.split())
    if not rest:
        return str(year)
    for stem, (first, last) in (_PARTS | _SEASONS).items():
        if rest.startswith(stem) or rest == stem:
            return f"{year}-{first:02d}~/{year}-{last:02d}~"
    day_month = re.fullmatch(
        r"(?P<day>\d{1,2}) (?P<month>\w+)|(?P<month2>\w+) (?P<day2>\d{1,2}),?", rest
    )
    month_word = rest
    day: int | None = None
    if day_month:
        month_word = day_month.group("month") or day_month.group("month2") or ""
        day = int(day_month.group("day") or day_month.group("day2") or 0) or None
    month = _month_number(month_word)
    if month is None:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    if word in _MONTHS_EN:
        return _MONTHS_EN[word]
    for stem, number in _MONTHS_RU.items():
        # "ма" (May) is a prefix of nothing else among month names, but insist on the whole word.
        if word.startswith(stem) and (stem != "ма" or word in {"май", "мая", "мае"}):
            return number
    return None
