"""Dates as people write them in lists become EDTF, day first, and ambiguity is refused."""

from __future__ import annotations

import pytest

from testament.link.dates import DateParseError, parse_date_interval
from testament.link.written_dates import read_written_date


@pytest.mark.parametrize(
    ("written", "edtf", "form"),
    [
        ("23.12.1994", "1994-12-23", "DD.MM.YYYY"),
        ("23/12/1994", "1994-12-23", "DD/MM/YYYY"),
        ("23-12-1994", "1994-12-23", "DD-MM-YYYY"),
        ("3.4.1994", "1994-04-03", "DD.MM.YYYY"),
        ("03/04/1994", "1994-04-03", "DD/MM/YYYY"),  # day first, as in Russia and Europe
        ("23.12.1994 г.", "1994-12-23", "DD.MM.YYYY"),
        ("23.12.1994 0:00", "1994-12-23", "DD.MM.YYYY"),
        ("1994-12-23 00:00:00", "1994-12-23", "YYYY-MM-DD with a time"),
        ("12.1994", "1994-12", "MM.YYYY"),
        ("12/1994", "1994-12", "MM/YYYY"),
        ("декабрь 1994", "1994-12", "month name and year"),
        ("Декабря 1994 г.", "1994-12", "month name and year"),
        ("дек. 1994", "1994-12", "month name and year"),
        ("December 1994", "1994-12", "month name and year"),
        ("Dec 1994", "1994-12", "month name and year"),
        ("23 декабря 1994", "1994-12-23", "day, month name and year"),
        ("23 December 1994", "1994-12-23", "day, month name and year"),
        ("1994 г.", "1994", "year"),
        ("1994г", "1994", "year"),
    ],
)
def test_written_dates_become_edtf(written, edtf, form):
    reading = read_written_date(written)
    assert (reading.edtf, reading.form) == (edtf, form)
    parse_date_interval(reading.edtf)  # what features will read


@pytest.mark.parametrize("edtf", ["1994", "1994-12", "1994-12-23", "1994~", "199X", "1993/1995"])
def test_edtf_is_kept_as_it_is(edtf):
    reading = read_written_date(edtf)
    assert (reading.edtf, reading.form) == (edtf, "EDTF")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("23.12.94", ["two-digit year", "23.12.1994"]),
        ("12.94", ["two-digit year"]),
        ("12/23/1994", ["month 23", "day first"]),
        ("31.02.1994", ["day 31", "February"]),
        ("yesterday", ["23.12.1994", "1994-12-23"]),
        ("Decembre 1994", ["23.12.1994"]),
    ],
)
def test_dates_that_cannot_be_read_say_how_to_write_them(written, expected):
    with pytest.raises(DateParseError) as raised:
        read_written_date(written)
    for fragment in expected:
        assert fragment in str(raised.value)


@pytest.mark.parametrize(
    ("written", "edtf"), [("00.05.1994", "1994-05"), ("00.00.1994", "1994"), ("0.0.1994", "1994")]
)
def test_zeros_stand_for_an_unknown_day_or_month(written, edtf):
    assert read_written_date(written).edtf == edtf
