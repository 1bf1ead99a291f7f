"""Disclosure control for published counts: primary and complementary suppression, audited by LP.

A public table saying "2 men from village X detained in May" can identify them. Statistical
offices publish tables only after two kinds of suppression (as sdcTable and tau-Argus do):

- *primary*: every cell counting from 1 to k-1 people is withheld (0 is published: it exposes
  no one);
- *complementary*: withholding a small cell is useless when its value follows from what is
  published — a row total minus the other cells of the row, or one table minus another table over
  the same records. So more cells are withheld until none can be recovered.

"Recovered" is decided the way an attacker would: the published cells are linear equations over
the unknown counts of the finest cells (every combination of the tables' categories); for each
withheld cell a linear program finds the smallest and the largest value it can take. Counts are
never negative, and where the attacker knows more — a report that lists each public act lets
anyone count at least one victim per act listed — ``floors`` gives each finest cell its known
lower bound, and the audit uses it too. A withheld
cell is protected when that range is at least ``k`` wide. While one is not, the smallest
published non-zero cell that shares a row or column with it (or, failing that, overlaps it
in another table) is withheld as well, and the audit runs again.

The result is deterministic: the same counts and settings withhold the same cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy.optimize import linprog

from testament.core.errors import SettingsError

Key = tuple[str, ...]


@dataclass(frozen=True)
class CountTable:
    """One published table: counts over ``dimensions`` (a subset of the data's dimensions).

    ``cells`` maps each combination of categories to its count, or to None when withheld.
    """

    dimensions: tuple[str, ...]
    cells: dict[Key, int | None]

    def published(self) -> dict[Key, int]:
        return {key: value for key, value in self.cells.items() if value is not None}


@dataclass(frozen=True)
class Withheld:
    """A withheld cell and why: ``primary`` (a count from 1 to k-1) or ``complementary``."""

    dimensions: tuple[str, ...]
    key: Key
    reason: str


@dataclass(frozen=True)
class ProtectedTables:
    k: int
    tables: list[CountTable]
    withheld: list[Withheld] = field(default_factory=list)


@dataclass
class _Cell:
    table: int
    key: Key
    value: int
    members: np.ndarray  # indices of the finest cells it sums
    suppressed: str = ""  # "", "primary" or "complementary"


def protect(
    counts: Mapping[Key, int],
    dimensions: Sequence[str],
    tables: Sequence[Sequence[str]],
    *,
    k: int = 5,
    floors: Mapping[Key, int] | None = None,
) -> ProtectedTables:
    """The ``tables`` (each a tuple of dimension names; ``()`` is the grand total) of ``counts``
    (finest-level counts keyed by one category per dimension), with every cell that must be
    withheld set to None. ``floors``: what a reader knows each finest cell holds at least
    (published elsewhere); 0 where not given.
    """
    if k < 2:
        raise SettingsError("k must be at least 2 (a cell of 1 person is always withheld)")
    dims = tuple(dimensions)
    categories = [sorted({key[i] for key in counts}) for i in range(len(dims))]
    finest = list(product(*categories))
    values = np.array([counts.get(key, 0) for key in finest], dtype=np.int64)
    known = np.array([(floors or {}).get(key, 0) for key in finest], dtype=np.float64)
    if np.any(known > values):
        raise ValueError("a floor is above its cell's count: the floors are not of these counts")
    cells: list[_Cell] = []
    for index, table in enumerate(tables):
        positions = [dims.index(name) for name in table]
        groups: dict[Key, list[int]] = {}
        for i, key in enumerate(finest):
            groups.setdefault(tuple(key[p] for p in positions), []).append(i)
        for key in sorted(groups):
            members = np.array(groups[key], dtype=np.int64)
            cells.append(_Cell(index, key, int(values[members].sum()), members))
    for cell in cells:
        if 0 < cell.value < k:
            cell.suppressed = "primary"
    while True:
        exposed = _first_exposed(cells, known, k)
        if exposed is None:
            break
        partner = _complement_for(exposed, cells, tables)
        if partner is None:
            break  # every non-zero cell is withheld: nothing more to hide behind
        partner.suppressed = "complementary"
    out_tables = [
        CountTable(
            tuple(table),
            {c.key: (None if c.suppressed else c.value) for c in cells if c.table == index},
        )
        for index, table in enumerate(tables)
    ]
    withheld = [
        Withheld(tuple(tables[c.table]), c.key, c.suppressed) for c in cells if c.suppressed
    ]
    return ProtectedTables(k, out_tables, withheld)


def _first_exposed(cells: list[_Cell], floors: np.ndarray, k: int) -> _Cell | None:
    """The first withheld cell whose possible range, given what is published and the finest
    cells' known ``floors``, is narrower than ``k`` (None when every withheld cell is
    protected)."""
    n_finest = len(floors)
    published = [c for c in cells if not c.suppressed]
    equalities = np.zeros((len(published), n_finest))
    for row, cell in enumerate(published):
        equalities[row, cell.members] = 1.0
    rhs = np.array([c.value for c in published], dtype=np.float64)
    for cell in cells:
        if not cell.suppressed:
            continue
        objective = np.zeros(n_finest)
        objective[cell.members] = 1.0
        low = _optimum(objective, equalities, rhs, floors)
        high = _optimum(-objective, equalities, rhs, floors)
        if high is None:  # unbounded above: protected
            continue
        if low is None or (-high) - low < k - 1e-6:
            return cell
    return None


def _optimum(
    objective: np.ndarray, equalities: np.ndarray, rhs: np.ndarray, floors: np.ndarray
) -> float | None:
    result = linprog(
        objective,
        A_eq=equalities if len(rhs) else None,
        b_eq=rhs if len(rhs) else None,
        bounds=[(float(low), None) for low in floors],
        method="highs",
    )
    if result.status == 3:  # unbounded
        return None
    if result.status != 0:
        raise RuntimeError(f"the disclosure audit could not be solved: {result.message}")
    return float(result.fun)


def _complement_for(
    exposed: _Cell, cells: list[_Cell], tables: Sequence[Sequence[str]]
) -> _Cell | None:
    """The published non-zero cell to withhold beside ``exposed``: the smallest one of its own
    table that differs from it in one category (its row or column); else the smallest one of any
    table that overlaps it; else the smallest one anywhere."""
    candidates = [c for c in cells if not c.suppressed and c.value > 0]
    if not candidates:
        return None
    same_table = [
        c
        for c in candidates
        if c.table == exposed.table
        and sum(a != b for a, b in zip(c.key, exposed.key, strict=True)) == 1
    ]
    exposed_members = set(exposed.members.tolist())
    overlapping = [c for c in candidates if exposed_members & set(c.members.tolist())]
    for group in (same_table, overlapping, candidates):
        if group:
            return min(group, key=lambda c: (c.value, c.table, c.key))
    return None
