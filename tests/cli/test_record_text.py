"""Record text is shown as text: never read as Rich markup, never obeyed by the terminal.

A testimony may hold ``[inaudible]`` or ``[name redacted]``; a hostile source may send ``[/]``
(which made Rich raise and broke ``sources`` for every reviewer) or terminal escapes that would
rewrite the reviewer's screen. Every command that prints records must print them literally, with
control characters shown as visible escapes (``\\x1b``) instead of emitted raw.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import run_cli

MARKUP = ("[/]", "[bold red]x[/]", "[link=http://evil]y[/link]", "[sic]", ":fire:")
# ESC-based CSI and OSC sequences, BEL, backspace, carriage return, NUL, DEL and the C1 CSI.
CONTROLS = "\x1b[31m\x1b]0;pwned\x07\x08\r\x00\x7f\x9b2J"
PAYLOAD = "".join(MARKUP) + CONTROLS + "end"  # 79 characters: fits the 80 of an excerpt
SHOWN_CONTROLS = r"\x1b[31m\x1b]0;pwned\x07\x08\x0d\x00\x7f\x9b2J"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline and tab are fine

DATE = {"edtf": "2017-04", "as_reported": PAYLOAD}
RECORDS = [
    {"type": "place", "id": "pl-1", "name": PAYLOAD},
    {"type": "organisation", "id": "org-1", "name": PAYLOAD, "org_type": "police"},
    {"type": "informant", "id": "inf-1", "pseudonym": PAYLOAD, "connection": "witness",
     "identity_ref": PAYLOAD},
    {"type": "source", "id": "src-1", "kind": "testimony", "title": PAYLOAD, "outlet": PAYLOAD,
     "author": PAYLOAD, "published": DATE, "text": PAYLOAD},
    {"type": "person", "id": "per-1", "pseudonym": PAYLOAD, "names": [{"name": PAYLOAD}],
     "birth": DATE},
    {"type": "group", "id": "grp-1", "pseudonym": PAYLOAD, "description": PAYLOAD},
    {"type": "event", "id": "ev-1", "title": PAYLOAD, "summary": PAYLOAD, "date": DATE,
     "place_id": "pl-1"},
    {"type": "act", "id": "act-1", "event_id": "ev-1", "act_type": "arbitrary_detention",
     "date": DATE, "victim_id": "per-1"},
    {"type": "claim", "id": "cl-1", "source_id": "src-1", "informant_id": "inf-1",
     "target_kind": "act", "target_id": "act-1", "stance": "asserts", "basis": "first_hand",
     "excerpt": PAYLOAD},
]  # fmt: skip


@pytest.fixture
def hostile_db(capsys, tmp_path: Path, db: str, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", "1000")  # wide enough that no cell wraps inside the payload
    lines = tmp_path / "hostile.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    result = run_cli(capsys, "import", str(lines), "--db", db, "--actor", PAYLOAD)
    assert result.exit_code == 0, result.stderr
    return db


def assert_literal(output: str) -> None:
    assert not RAW_CONTROL.findall(output), "a control character reached the terminal"
    for markup in MARKUP:
        assert markup in output
    assert SHOWN_CONTROLS + "end" in output


@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["claims"],
        ["events"],
        ["audit"],
        ["corroborate"],
        *(["show", str(record["id"])] for record in RECORDS),
    ],
    ids="-".join,
)
def test_every_command_prints_record_text_literally(capsys, hostile_db, command):
    result = run_cli(capsys, *command, "--db", hostile_db)

    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert_literal(result.stdout)


@pytest.mark.parametrize("command", [["sources"], ["claims"], ["events"], ["show", "src-1"]])
def test_json_output_carries_no_raw_control_characters(capsys, hostile_db, command):
    result = run_cli(capsys, *command, "--db", hostile_db, "--json")

    assert result.exit_code == 0, result.stderr
    assert not RAW_CONTROL.findall(result.stdout)
    assert PAYLOAD in strings(json.loads(result.stdout))  # the same text, escaped as JSON


def strings(value: object) -> set[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(strings(item) for item in value))
    return set()


def test_json_output_still_reads_back_as_the_stored_text(capsys, hostile_db):
    result = run_cli(capsys, "show", "src-1", "--db", hostile_db, "--json")

    assert json.loads(result.stdout)["record"]["title"] == PAYLOAD


def test_an_error_quoting_a_value_neutralises_it(capsys, tmp_path):
    missing = tmp_path / ("[/]" + CONTROLS.replace("\x00", "") + ".sqlite")

    result = run_cli(capsys, "sources", "--db", str(missing))

    assert result.exit_code == 1
    assert "[/]" in result.stderr
    assert not RAW_CONTROL.findall(result.stderr)
    assert r"\x1b[31m" in result.stderr


def test_paths_in_messages_are_printed_literally(capsys, tmp_path):
    path = tmp_path / "[bold]cases[/bold] :fire:.sqlite"

    result = run_cli(capsys, "init", "--db", str(path))

    assert result.exit_code == 0, result.stderr
    assert str(path) in result.stdout


def test_bidirectional_overrides_are_shown_not_obeyed(capsys, tmp_path, db, monkeypatch):
    """``photo\\u202egpj.exe`` would show as ``photoexe.jpg``: the override is shown escaped."""
    monkeypatch.setenv("COLUMNS", "1000")
    spoof = "photo\u202egpj.exe \u2067isolated\u2069 \u200fmark"
    lines = tmp_path / "spoof.jsonl"
    record = {"type": "source", "id": "src-1", "kind": "testimony", "title": spoof, "text": spoof}
    lines.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert run_cli(capsys, "import", str(lines), "--db", db).exit_code == 0

    for command in (["sources"], ["show", "src-1"]):
        output = run_cli(capsys, *command, "--db", db).stdout
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", output)
        assert r"photo\u202egpj.exe \u2067isolated\u2069" in output
        assert "\u200fmark" in output  # a right-to-left mark only nudges neutrals: kept
