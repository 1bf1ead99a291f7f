"""Published counts expose no one: no small cell, and no withheld cell an attacker can recover.

The attacker here is written independently of ``testament.report.disclosure``: from the
published tables alone it sets up the linear equations the cells satisfy and asks, for each
withheld cell, the smallest and largest value it can take.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from testament.core.errors import SettingsError
from testament.report import protect

DIMS = ("period", "region", "act")


def attacker_ranges(result, dims, categories, floors=None) -> dict[tuple, tuple[float, float]]:
    """For every withheld cell: the range an LP attacker can narrow it to (knowing ``floors``:
    lower bounds of finest cells, when the report tells them)."""
    finest = list(product(*categories))
    rows, rhs, hidden = [], [], []
    for table in result.tables:
        positions = [dims.index(name) for name in table.dimensions]
        for key, value in table.cells.items():
            member = np.array(
                [all(f[p] == k for p, k in zip(positions, key, strict=True)) for f in finest],
                dtype=float,
            )
            if value is None:
                hidden.append(((table.dimensions, key), member))
            else:
                rows.append(member)
                rhs.append(value)
    ranges = {}
    for name, member in hidden:
        bounds = []
        for sign in (1, -1):
            outcome = linprog(
                sign * member,
                A_eq=np.array(rows) if rows else None,
                b_eq=np.array(rhs) if rhs else None,
                bounds=[((floors or {}).get(f, 0), None) for f in finest],
                method="highs",
            )
            assert outcome.status in (0, 3)  # solved, or unbounded (only a maximum can be)
            bounds.append(sign * outcome.fun if outcome.status == 0 else np.inf)
        ranges[name] = (bounds[0], bounds[1])
    return ranges


def assert_safe(result, dims, categories, k, floors=None):
    for table in result.tables:
        for value in table.cells.values():
            assert value is None or value == 0 or value >= k
    for name, (low, high) in attacker_ranges(result, dims, categories, floors).items():
        assert high - low >= k - 1e-6, f"{name} can be narrowed to [{low}, {high}]"


def test_a_small_cell_in_a_table_with_margins_is_not_recoverable_from_them():
    counts = {
        ("2017", "Grozny", "detention"): 12,
        ("2017", "Argun", "detention"): 2,  # two men from a small town: must not be shown
        ("2018", "Grozny", "detention"): 9,
        ("2018", "Argun", "detention"): 7,
    }
    tables = [("period", "region"), ("period",), ("region",), ()]
    result = protect(counts, DIMS, tables, k=5)
    grid = result.tables[0].cells
    assert grid[("2017", "Argun")] is None
    # the row and column totals are published, so partners are withheld with it
    assert sum(value is None for value in grid.values()) >= 4
    assert {w.reason for w in result.withheld} == {"primary", "complementary"}
    categories = [sorted({key[i] for key in counts}) for i in range(3)]
    assert_safe(result, DIMS, categories, 5)


def test_the_difference_between_two_published_tables_reveals_nothing():
    # Deaths by region and all acts by region, both published: their difference would show the
    # non-lethal acts in each region.
    counts = {
        ("2017", "Grozny", "killing"): 6,
        ("2017", "Grozny", "detention"): 30,
        ("2017", "Argun", "killing"): 8,
        ("2017", "Argun", "detention"): 1,
        ("2017", "Gudermes", "killing"): 7,
        ("2017", "Gudermes", "detention"): 11,
    }
    tables = [("region",), ("region", "act"), ("act",)]
    result = protect(counts, DIMS, tables, k=5)
    categories = [sorted({key[i] for key in counts}) for i in range(3)]
    assert_safe(result, DIMS, categories, 5)


def test_what_a_reader_knows_elsewhere_is_taken_into_account():
    # Each public act is listed in the report, so a reader knows 2 acts (>= 2 victims) in 2016
    # and 5 in 2017. Withholding 2016 and 2017 alone would leave 2016 between 2 and 3.
    counts = {("2016", "r", "a"): 2, ("2017", "r", "a"): 6, ("2018", "r", "a"): 20}
    floors = {("2016", "r", "a"): 2, ("2017", "r", "a"): 5, ("2018", "r", "a"): 1}
    tables = [("period",), ()]
    categories = [sorted({key[i] for key in counts}) for i in range(3)]
    blind = protect(counts, DIMS, tables, k=5)
    assert_safe(blind, DIMS, categories, 5)  # safe against a reader who knows nothing more
    with pytest.raises(AssertionError):
        assert_safe(blind, DIMS, categories, 5, floors)  # not against one who knows the floors
    informed = protect(counts, DIMS, tables, k=5, floors=floors)
    assert_safe(informed, DIMS, categories, 5, floors)


def test_zeros_and_large_cells_are_published_as_they_are():
    counts = {("2017", "Grozny", "detention"): 40, ("2017", "Argun", "detention"): 0}
    result = protect(counts, DIMS, [("region",)], k=5)
    assert result.tables[0].cells == {("Argun",): 0, ("Grozny",): 40}
    assert result.withheld == []


def test_the_same_counts_withhold_the_same_cells():
    counts = {("p", f"r{i}", "a"): n for i, n in enumerate([1, 7, 3, 12, 2, 9])}
    tables = [("region",), ()]
    assert protect(counts, DIMS, tables) == protect(counts, DIMS, tables)


def test_k_below_two_is_refused():
    with pytest.raises(SettingsError):
        protect({("p", "r", "a"): 3}, DIMS, [("region",)], k=1)


cells = st.dictionaries(
    st.tuples(
        st.sampled_from(["p1", "p2"]),
        st.sampled_from(["r1", "r2", "r3"]),
        st.sampled_from(["a", "b"]),
    ),
    st.integers(0, 12),
    min_size=1,
)


@settings(max_examples=40, deadline=None)
@given(cells, st.sampled_from([3, 5]))
def test_an_lp_attacker_never_narrows_a_withheld_cell_below_k(counts, k):
    tables = [("period", "region"), ("region", "act"), ("period",), ("region",), ("act",), ()]
    result = protect(counts, DIMS, tables, k=k)
    categories = [sorted({key[i] for key in counts}) for i in range(3)]
    assert_safe(result, DIMS, categories, k)
