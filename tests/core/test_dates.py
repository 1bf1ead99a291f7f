"""Dates keep the reporter's words and an EDTF value that says exactly that much."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.core.dates import edtf_problem, interpret, is_valid_edtf


@pytest.mark.parametrize(
    ("words", "edtf"),
    [
        ("late 2013", "2013-09~/2013-12~"),
        ("в конце 2013 года", "2013-09~/2013-12~"),
        ("early 2017", "2017-01~/2017-04~"),
        ("spring 2017", "2017-03~/2017-05~"),
        ("весной 2017", "2017-03~/2017-05~"),
        ("April 2017", "2017-04"),
        ("в апреле 2017 года", "2017-04"),
        ("в мае 2017", "2017-05"),
        ("1 April 2017", "2017-04-01"),
        ("April 1, 2017", "2017-04-01"),
        ("01.04.2017", "2017-04-01"),
        ("2017", "2017"),
        ("2013-09~/2013-12~", "2013-09~/2013-12~"),
    ],
)
def test_common_phrasings_become_edtf(words: str, edtf: str) -> None:
    assert interpret(words) == edtf
    assert is_valid_edtf(edtf)


@pytest.mark.parametrize("words", ["some time ago", "31.02.2017", "the day after", ""])
def test_phrases_it_cannot_read_are_left_for_a_person(words: str) -> None:
    assert interpret(words) is None


@pytest.mark.parametrize("value", ["2013-02-30", "2017-13", "late 2013", " 2017", ""])
def test_impossible_or_malformed_edtf_is_explained(value: str) -> None:
    problem = edtf_problem(value)
    assert problem is not None
    assert "EDTF" in problem or "empty" in problem


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
def test_every_real_day_is_valid_edtf_and_reads_back(day: date) -> None:
    assert is_valid_edtf(day.isoformat())
    assert interpret(day.strftime("%d.%m.%Y")) == day.isoformat()


@given(st.integers(1800, 2099), st.integers(1, 12), st.integers(1, 12))
def test_month_intervals_are_valid_edtf(year: int, first: int, last: int) -> None:
    start, end = sorted((first, last))
    assert is_valid_edtf(f"{year}-{start:02d}~/{year}-{end:02d}~")


@given(st.text(max_size=30))
def test_interpret_never_raises_and_only_returns_valid_edtf(words: str) -> None:
    result = interpret(words)
    assert result is None or is_valid_edtf(result)
