"""Capture tables: what is accepted, and what is refused with a message saying where."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.core.errors import InputError
from testament.estimate.errors import CaptureTableError, EstimateError, TooFewListsError
from testament.estimate.table import from_histories, parse_strata, parse_table
from testament.estimate.warnings import DuplicatePatternWarning, SparseTableWarning


def test_comments_headers_and_missing_patterns_become_a_full_table():
    table = parse_table(
        "# source: test\n# published: none\nA,B,C,count\n1,1,0,3\n0,0,1,4\n1,0,0,2\n"
    )
    assert table.lists == ("A", "B", "C")
    assert table.observed == 9
    histories, counts = table.full()
    assert histories.shape == (7, 3)
    assert counts.sum() == 9
    assert (counts == 0).sum() == 4  # unlisted patterns are zero cells
    assert table.list_totals() == {"A": 5, "B": 3, "C": 4}


def test_repeated_patterns_are_added_up_with_a_warning_naming_the_lines():
    with pytest.warns(DuplicatePatternWarning, match="line 3 repeats line 2"):
        table = parse_table("A,B,count\n1,1,2\n1,1,3\n1,0,1\n")
    assert table.observed == 6
    assert table.counts.tolist() == [1, 5]


def test_the_same_pattern_in_two_strata_is_no_repeat():
    tables = parse_strata("A,B,s,count\n1,1,x,2\n1,1,y,3\n1,0,x,1\n0,1,y,1\n", "s")
    assert {name: table.observed for name, table in tables.items()} == {"x": 3, "y": 4}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("A,B,count\n1,2,3\n", "0 or 1"),
        ("A,B,count\n1,yes,3\n", "0 or 1"),
        ("A,B,count\n1,1,-2\n", "negative"),
        ("A,B,count\n1,1,2.5\n", "whole number"),
        ("A,B,count\n1,1,many\n", "whole number"),
        ("A,B,count\n0,0,4\n1,1,2\n", "all-zero pattern"),
        ("A,B,count\n1,1\n", "fields"),
    ],
)
def test_bad_cells_are_refused_with_their_line_and_column(text, fragment):
    with pytest.raises(CaptureTableError) as caught:
        parse_table(text, source="lists.csv")
    message = str(caught.value)
    assert fragment in message
    assert "lists.csv line 2" in message
    assert isinstance(caught.value, InputError)
    assert isinstance(caught.value, EstimateError)


def test_a_list_that_caught_nobody_is_refused():
    with pytest.raises(CaptureTableError, match="recorded nobody") as caught:
        parse_table("A,B,C,count\n1,1,0,3\n1,0,0,2\n")
    assert caught.value.problems[0].field == "C"


def test_a_single_list_is_refused():
    with pytest.raises(TooFewListsError, match="at least two list columns"):
        parse_table("A,count\n1,5\n")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "A,B,count\n", "A,B,count\n1,1,0\n"])
def test_an_empty_table_is_refused(text):
    with pytest.raises(CaptureTableError, match="empty table"):
        parse_table(text)


def test_missing_count_column_is_named():
    with pytest.raises(CaptureTableError, match="'count'"):
        parse_table("A,B,n\n1,1,2\n")


def test_methods_needing_three_lists_say_so():
    table = parse_table("A,B,count\n1,1,2\n1,0,3\n0,1,4\n")
    with pytest.raises(TooFewListsError, match="needs at least 3 lists"):
        table.require_lists(3, "LCMCR")


def test_strata_split_the_table_and_drop_lists_empty_in_a_stratum():
    text = "region,A,B,C,count\nnorth,1,1,0,3\nnorth,0,0,1,2\nsouth,1,1,0,4\nsouth,1,0,0,1\n"
    with pytest.warns(SparseTableWarning, match="recorded nobody in this stratum"):
        tables = parse_strata(text, "region", source="t.csv")
    assert list(tables) == ["north", "south"]
    assert tables["north"].observed == 5
    assert tables["south"].lists == ("A", "B")


def test_unknown_stratum_column_is_named():
    with pytest.raises(CaptureTableError, match="stratum column 'zone'"):
        parse_strata("A,B,count\n1,1,2\n", "zone")


@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 1), min_size=4, max_size=4), st.integers(0, 50)),
        min_size=1,
        max_size=30,
    )
)
def test_full_table_keeps_every_count_in_its_pattern(rows):
    histories = [bits for bits, _ in rows if any(bits)]
    counts = [count for bits, count in rows if any(bits)]
    if not histories:
        return
    table = from_histories(["A", "B", "C", "D"], histories, counts)
    full_histories, full_counts = table.full()
    assert full_counts.sum() == sum(counts)
    for bits in {tuple(b) for b in histories}:
        expected = sum(c for b, c in zip(histories, counts, strict=True) if tuple(b) == bits)
        row = np.flatnonzero((full_histories == np.array(bits)).all(axis=1))[0]
        assert full_counts[row] == expected
