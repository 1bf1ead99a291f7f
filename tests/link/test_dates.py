"""Dates as intervals: EDTF, bare years and ages compare by overlap, not by their text."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.link.dates import DateParseError, parse_age, parse_date_interval
from testament.link.features import build_features


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal() - date(1970, 1, 1).toordinal()


def test_a_full_date_is_one_day():
    interval = parse_date_interval("1987-03-14")
    assert interval.earliest == interval.latest == day("1987-03-14")


def test_a_year_covers_the_whole_year():
    interval = parse_date_interval("1987")
    assert (interval.earliest, interval.latest) == (day("1987-01-01"), day("1987-12-31"))


def test_an_approximate_year_is_wider_than_the_year():
    plain, approximate = parse_date_interval("1987"), parse_date_interval("1987~")
    assert approximate.earliest < plain.earliest
    assert approximate.latest > plain.latest


def test_unspecified_digits_cover_the_decade_and_intervals_their_span():
    assert parse_date_interval("198X").earliest == day("1980-01-01")
    assert parse_date_interval("198X").latest == day("1989-12-31")
    assert parse_date_interval("1985/1987").latest == day("1987-12-31")


@pytest.mark.parametrize("text", ["yesterday", "1987-13-01", "1987-02-30", "14.03.1987"])
def test_text_that_is_not_edtf_is_refused(text):
    with pytest.raises(DateParseError):
        parse_date_interval(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("30", (30, 30)), ("25-30", (25, 30)), ("~30", (28, 32))]
)
def test_ages_are_ranges_of_years(text, expected):
    assert parse_age(text) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_every_calendar_day_parses_to_itself(value):
    interval = parse_date_interval(value.isoformat())
    assert interval.earliest == interval.latest == day(value.isoformat())


def records(**columns: list[str]) -> pd.DataFrame:
    size = len(next(iter(columns.values())))
    base = {
        "list": ["a", "b"][:size] + ["a"] * (size - 2),
        "record_id": [f"r{i}" for i in range(size)],
    }
    return pd.DataFrame({**base, "given_name": ["Ruslan"] * size, **columns})


def test_an_age_at_an_event_becomes_a_birth_interval_that_contains_the_true_birth():
    frame = records(age=["30", "25-30"], event_date=["2017-06-01", "2017-06"])
    features = build_features(frame)
    born = day("1987-01-15")  # aged 30 on 2017-06-01
    assert features["birth_lo"][0] <= born <= features["birth_hi"][0]
    assert features["birth_lo"][1] <= day("1986-07-01") <= features["birth_hi"][1]
    assert features["birth_hi"][0] - features["birth_lo"][0] <= 366


def test_an_age_without_an_event_date_leaves_birth_unknown():
    features = build_features(records(age=["30", ""]))
    assert features["birth_lo"].isna().all()
