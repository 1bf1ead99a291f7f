"""Ids in listings are never cut: in a narrow terminal they fold, with --wide they stay whole.

A reviewer copies an id from ``sources`` into ``show`` or ``desk reply``; Rich used to shorten
it to ``intake:0123…`` whenever the terminal (or a pipe's 80 columns) was too narrow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

INTAKE_ID = "intake:" + "0123456789abcdef" * 2  # what `desk pull` stores: 39 characters
LONG_ID = "src-" + "-".join(["novaya-gazeta-2017-04-01-interview"] * 3)  # 106 characters
EVENT_ID = "ev-chechnya-2017-detentions-of-men-presumed-gay"
CLAIM_ID = "cl-" + "first-hand-account-of-detention-in-argun-" * 2
RECORDS = [
    {"type": "source", "id": INTAKE_ID, "kind": "testimony", "title": "What happened in Argun"},
    {"type": "source", "id": LONG_ID, "kind": "news_article", "outlet": "Novaya Gazeta",
     "title": "First report", "derived_from": [INTAKE_ID]},
    {"type": "event", "id": EVENT_ID, "title": "Detentions"},
    {"type": "claim", "id": CLAIM_ID, "source_id": INTAKE_ID, "target_kind": "event",
     "target_id": EVENT_ID, "stance": "asserts", "basis": "first_hand",
     "excerpt": "They took my brother on the third of March"},
]  # fmt: skip
ALL_IDS = (INTAKE_ID, LONG_ID, EVENT_ID, CLAIM_ID)
# the ids each listing shows, and the column (from 0) that holds them
LISTINGS = {
    "sources": {0: (INTAKE_ID, LONG_ID)},
    "claims": {0: (CLAIM_ID,), 1: (INTAKE_ID,), 2: (EVENT_ID,)},
    "events": {0: (EVENT_ID,)},
    "audit": {4: ALL_IDS},
}


@pytest.fixture
def long_ids_db(capsys, tmp_path: Path, db: str) -> str:
    lines = tmp_path / "ids.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    result = run_cli(capsys, "import", str(lines), "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def column_text(table: str, column: int) -> str:
    """The text of one column of a printed table, its lines joined without spaces."""
    cells = [line.split("│")[column + 1] for line in table.splitlines() if line.startswith("│")]
    return "".join(cell.replace(" ", "") for cell in cells)


@pytest.mark.parametrize("command", list(LISTINGS))
@pytest.mark.parametrize("columns", ["60", "80"])
def test_ids_are_whole_in_a_narrow_terminal(capsys, long_ids_db, monkeypatch, command, columns):
    monkeypatch.setenv("COLUMNS", columns)

    result = run_cli(capsys, command, "--db", long_ids_db)

    assert result.exit_code == 0, result.stderr
    assert "…" not in "".join(column_text(result.stdout, c) for c in LISTINGS[command])
    for column, ids in LISTINGS[command].items():
        text = column_text(result.stdout, column)
        for record_id in ids:
            assert record_id in text, f"{record_id} cut in {command} at {columns} columns"
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())


def test_an_intake_id_stays_on_one_line_in_80_columns(capsys, long_ids_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")

    result = run_cli(capsys, "sources", "--db", long_ids_db)

    assert INTAKE_ID in result.stdout  # copyable as it is


@pytest.mark.parametrize("command", list(LISTINGS))
def test_wide_prints_every_id_on_one_line(capsys, long_ids_db, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "60")

    result = run_cli(capsys, command, "--db", long_ids_db, "--wide")

    assert result.exit_code == 0, result.stderr
    for ids in LISTINGS[command].values():
        for record_id in ids:
            assert record_id in result.stdout
