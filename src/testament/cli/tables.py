"""Listing tables whose ids are never cut: a reviewer copies them into the next command.

Rich fits a table to the terminal by shrinking its widest columns and cutting what no longer
fits with an ellipsis; in a narrow terminal (or a pipe, 80 columns) that cut the ids
(``intake:0123…``) that ``show``, ``audit`` and ``desk reply`` need. Here id columns get a fixed
width: the ids' full length when they fit in two thirds of the terminal, else a fair share of
that, where a longer id folds onto the next line instead of being cut. Every cell is record
text and is shown literally (``display.literal``). ``--wide`` prints the table at its natural
width, however wide the terminal, with nothing wrapped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Column, Table

from testament.cli.display import literal

WIDE = 100_000  # the console width used for --wide: wider than any table
_MIN_ID_WIDTH = 8


def _id_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], ids: Collection[int], width: int
) -> dict[int, int]:
    """The fixed width of each id column: its longest id when all fit in two thirds of the room,
    else a fair share of it (shares a column does not need go to the others)."""
    room = width - (3 * len(headers) + 1)  # a cell's padding and border take three columns
    budget = max(room * 2 // 3, _MIN_ID_WIDTH * len(ids))
    need = {
        index: max([cell_len(headers[index]), *(cell_len(row[index]) for row in rows)])
        for index in ids
    }
    widths: dict[int, int] = {}
    for index in sorted(need, key=need.__getitem__):  # the narrowest first
        share = budget // (len(need) - len(widths))
        widths[index] = min(need[index], share)
        budget -= widths[index]
    return widths


def record_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    ids: Collection[int],
    console: Console,
) -> Table:
    """A table of ``rows`` for ``console``; the columns numbered in ``ids`` hold ids."""
    widths = _id_widths(headers, rows, ids, console.width)
    table = Table(
        *(
            Column(
                header, width=widths.get(index), overflow="fold" if index in widths else "ellipsis"
            )
            for index, header in enumerate(headers)
        ),
        title=literal(title),
    )
    for row in rows:
        table.add_row(*(literal(cell) for cell in row))
    return table
