"""Bad input: a clear message that says what and where, exit status 1, and nothing stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from testament.store import Casebook
from testament.store.engine import make_engine
from testament.store.migrate import head_revision, upgrade
from tests.support.cli import run_cli

SOURCE = {"type": "source", "id": "s1", "kind": "news_article"}
EVENT = {"type": "event", "id": "e1", "title": "Detentions"}


def claim(claim_id: str = "c1", **changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "type": "claim",
        "id": claim_id,
        "source_id": "s1",
        "target_kind": "event",
        "target_id": "e1",
        "stance": "asserts",
        "basis": "first_hand",
    }
    record.update(changes)
    return record


def write_jsonl(path: Path, *records: object) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def assert_nothing_stored(db: str) -> None:
    with Casebook.open(db) as casebook:
        assert sum(casebook.counts().values()) == 0
        assert casebook.audit() == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [SOURCE, EVENT, '{"type": "claim", "id": "c1",'],
            ["line 3", "not valid JSON"],
            id="malformed JSON",
        ),
        pytest.param(
            [SOURCE, EVENT, claim(count_min="many")],
            ["line 3", "count_min", "valid integer"],
            id="wrong type",
        ),
        pytest.param(
            [SOURCE, EVENT, claim(stance="alleges")],
            ["line 3", "stance", "'asserts'", "'alleges'"],
            id="unknown vocabulary term",
        ),
        pytest.param(
            [SOURCE | {"published": {"edtf": "2017-02-30"}}],
            ["line 1", "published.edtf", "2017-02-30"],
            id="impossible EDTF date",
        ),
        pytest.param(
            [SOURCE, claim(target_id="e404")],
            ["line 2", "target_id", "event 'e404', which does not exist"],
            id="dangling reference",
        ),
        pytest.param(
            [SOURCE, EVENT, claim(), claim()],
            ["line 4", "duplicate id 'c1'", "first at", "line 3"],
            id="duplicate id",
        ),
        pytest.param(
            [
                {"type": "source", "id": "a", "kind": "news_article", "derived_from": ["b"]},
                {"type": "source", "id": "b", "kind": "news_article", "derived_from": ["a"]},
            ],
            ["derived_from forms a cycle", "a -> b -> a"],
            id="derived_from cycle",
        ),
        pytest.param(
            [{"id": "x", "kind": "news_article"}],
            ["line 1", 'needs a "type"'],
            id="missing type",
        ),
        pytest.param(
            [SOURCE | {"colour": "red"}],
            ["line 1", "colour", "unknown field"],
            id="unknown field",
        ),
    ],
)
def test_a_bad_jsonl_file_is_refused_whole(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db: str,
    lines: list[object],
    expected: list[str],
) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", *lines)
    result = run_cli(capsys, "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert_nothing_stored(db)


def test_every_problem_is_reported_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    path = write_jsonl(
        tmp_path / "bad.jsonl", SOURCE, claim("c1", stance="x"), claim("c2", basis="y"), "{"
    )
    result = run_cli(capsys, "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert "has 3 problems" in result.stderr
    for where in ("line 2", "line 3", "line 4"):
        assert where in result.stderr


def test_a_file_that_is_not_utf8_names_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        json.dumps(SOURCE).encode()
        + b"\n"
        + '{"type": "event", "title": "Ãœ"}'.encode("latin-1", "replace").replace(b"?", b"\xff")
        + b"\n"
    )
    result = run_cli(capsys, "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr
    assert "line 2" in result.stderr
    assert_nothing_stored(db)


def test_an_empty_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n  \n")
    result = run_cli(capsys, "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert "empty.jsonl is empty" in result.stderr
    assert_nothing_stored(db)


def test_a_database_that_is_not_a_casebook_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("just some notes\n" * 50, encoding="utf-8")
    for path in (other, text_file):
        result = run_cli(capsys, "sources", "--db", str(path))
        assert result.exit_code == 1
        assert "is not a testament casebook" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_casebook_with_an_older_schema_asks_for_a_migration_then_keeps_its_records(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)  # a casebook at schema 0001 with a record in it
    try:
        with engine.begin() as connection:
            upgrade(connection, "0001")
            connection.exec_driver_sql(
                "INSERT INTO source (id, confidentiality, version, created_at, created_by, "
                "updated_at, updated_by, kind) VALUES ('old-1', 'public', 1, '2020-01-01', 'x', "
                "'2020-01-01', 'x', 'ngo_report')"
            )
    finally:
        engine.dispose()
    result = run_cli(capsys, "sources", "--db", str(path))
    assert result.exit_code == 1
    assert "schema 0001" in result.stderr
    assert f"testament migrate --db {path}" in result.stderr

    result = run_cli(capsys, "migrate", "--db", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"from schema 0001 to {head_revision()}" in result.stdout
    with Casebook.open(path) as casebook:
        assert [source.id for source in casebook.records("source")] == ["old-1"]
        assert casebook.attachments("old-1") == {}


def test_upgrade_is_a_no_op_on_a_current_casebook(tmp_path: Path) -> None:
    with Casebook.create(tmp_path / "c.sqlite") as casebook, casebook.engine.begin() as connection:
        upgrade(connection)


def test_usage_errors_exit_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "import").exit_code == 2
    assert run_cli(capsys, "no-such-command").exit_code == 2
