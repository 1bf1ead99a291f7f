"""Bad input stops a run with what was wrong and where, and never leaves a partial output file."""

from __future__ import annotations

import pytest

from tests.support.cli import run_cli

HEADER = "list,record_id,given_name,family_name,birth\n"
GOOD_ROWS = "a,a1,Магомед,Хасанов,1987\nb,b1,Magomed,Khasanov,1987-03-14\n"


def link(capsys, tmp_path, content: bytes | str):
    source = tmp_path / "RECORDS.csv"
    if isinstance(content, str):
        source.write_text(content, encoding="utf-8")
    else:
        source.write_bytes(content)
    out = tmp_path / "CLUSTERS.csv"
    history = tmp_path / "HISTORY.csv"
    result = run_cli(capsys, "link", str(source), "--out", str(out), "--history", str(history))
    return result, out, history


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("record_id,given_name\nr1,Ruslan\n", "lacks required column(s): list"),
        ("list,given_name\na,Ruslan\n", "lacks required column(s): record_id"),
        (HEADER + "a,r1,Ruslan,Umarov,1980\nb,r1,Ruslan,Umarov,1980\n", "row 3, field 'record_id'"),
        ("list,record_id,birth\na,r1,1980\nb,r2,1980\n", "has no name column"),
        ("", "is empty"),
        (HEADER, "has a header but no records"),
        (HEADER + "a,r1,Ruslan,Umarov,1980\na,r2,Islam,Umarov,1981\n", "one list only"),
        (
            HEADER + "a,r1,Ruslan,Umarov,1980\nb,r2,Islam,Umarov,14.13.1981\n",
            "row 3, field 'birth'",
        ),
    ],
    ids=[
        "no list column",
        "no record_id column",
        "duplicate record_id",
        "no name column",
        "empty file",
        "header only",
        "one list",
        "unparseable date",
    ],
)
def test_bad_input_is_refused_with_where_and_what(capsys, tmp_path, content, expected):
    result, out, history = link(capsys, tmp_path, content)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert not out.exists()
    assert not history.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "RECORDS.csv"]


def test_one_list_only_says_why_two_are_needed(capsys, tmp_path):
    result, _, _ = link(capsys, tmp_path, HEADER + "a,r1,Ruslan,Umarov,1980\n")
    assert "linkage across lists needs at least two lists" in result.stderr


def test_a_file_that_is_not_utf8_names_the_line(capsys, tmp_path):
    content = (HEADER + GOOD_ROWS).encode("utf-8") + "c,c1,Руслан,Умаров,1980\n".encode("cp1251")
    result, out, _ = link(capsys, tmp_path, content)
    assert result.exit_code == 1
    assert "is not UTF-8" in result.stderr
    assert "line 4" in result.stderr
    assert not out.exists()


def test_a_failed_run_leaves_an_earlier_output_untouched(capsys, tmp_path):
    out = tmp_path / "CLUSTERS.csv"
    out.write_text("earlier result\n", encoding="utf-8")
    source = tmp_path / "RECORDS.csv"
    source.write_text(HEADER + "a,r1,Ruslan,Umarov,1980\n", encoding="utf-8")
    result = run_cli(capsys, "link", str(source), "--out", str(out))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "earlier result\n"
