"""`testament link` reads files as people export them and says how it read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

# Russian Excel's "CSV (разделители — точки с запятой)": Windows-1251, semicolons, CRLF.
EXCEL_LINES = [
    "Список;№;Фамилия;Имя;Отчество;Дата рождения;Пол;Место",
    "Мемориал;1;Хасанов;Магомед;Юсупович;14.03.1987;м;Грозный",
    "Мемориал;2;Умаров;Руслан;Ибрагимович;02/01/1980;м;Урус-Мартан",
    "Мемориал;3;Даудов;Адлан;Магомедович;1961;м;Аргун",
    "Комитет;4;Хасанов;Магомед;;03.1987;м;г. Грозный",
    "Комитет;5;Умаров;Руслан;Ибрагимович;1980;м;Урус-Мартан",
    "Комитет;6;Товлемаев;Шамиль;Тагирович;январь 1993;м;Шали",
]


def excel_file(tmp_path: Path, encoding: str = "cp1251") -> Path:
    path = tmp_path / "списки.csv"
    text = "\r\n".join(EXCEL_LINES) + "\r\n"
    if encoding == "koi8_r":  # KOI8-R has no №
        text = text.replace("№", "Номер")
    path.write_bytes(text.encode(encoding))
    return path


def test_a_russian_excel_file_is_linked_and_the_reading_reported_in_json(capsys, tmp_path):
    out = tmp_path / "clusters.csv"
    result = run_cli(
        capsys, "link", str(excel_file(tmp_path)), "--out", str(out), "--json", "--show-dates"
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)  # --json: nothing but the JSON on stdout
    assert summary["records"] == 6
    reading = summary["input"]
    assert (reading["encoding"], reading["encoding_guessed"]) == ("cp1251", True)
    assert reading["delimiter"] == ";"
    assert reading["columns"]["family_name"] == "Фамилия"
    assert reading["recognised"] == sorted(reading["columns"])
    assert reading["dates_read"] == {
        "DD.MM.YYYY": 1,
        "DD/MM/YYYY": 1,
        "MM.YYYY": 1,
        "month name and year": 1,
    }
    assert {
        "column": "birth",
        "written": "02/01/1980",
        "edtf": "1980-01-02",
        "form": "DD/MM/YYYY",
        "rows": 1,
        "first_row": 3,
    } in reading["dates"]
    assert out.read_text(encoding="utf-8").startswith("record_id,cluster_id")


def test_text_output_says_how_the_file_was_read(capsys, tmp_path):
    result = run_cli(
        capsys, "link", str(excel_file(tmp_path, "koi8_r")), "--out", str(tmp_path / "c.csv")
    )
    assert result.exit_code == 0, result.stderr
    assert "koi8-r" in result.stderr
    assert "';'" in result.stderr
    assert "Фамилия → family_name" in result.stderr
    assert "day first" in result.stderr
    assert "Linked 6 records" in result.stdout


def test_options_and_a_columns_file_read_a_file_no_guess_would(capsys, tmp_path):
    source = tmp_path / "export.txt"
    lines = [line.replace("Список", "Org").replace("№", "Nr") for line in EXCEL_LINES]
    source.write_bytes(
        ("\n".join(line.replace(";", ":") for line in lines) + "\n").encode("cp1251")
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\nlist = "Org"\n', encoding="utf-8")
    result = run_cli(
        capsys,
        "link",
        str(source),
        "--out",
        str(tmp_path / "c.csv"),
        "--columns-file",
        str(mapping),
        "--columns",
        "record_id=Nr",
        "--delimiter",
        ":",
        "--encoding",
        "windows-1251",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    reading = json.loads(result.stdout)["input"]
    assert reading["columns"]["list"] == "Org"
    assert reading["columns"]["record_id"] == "Nr"
    assert (reading["encoding"], reading["encoding_guessed"]) == ("cp1251", False)


def test_help_states_how_dates_are_read(capsys):
    result = run_cli(capsys, "link", "run", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "day first" in text
    assert "two-digit" in text


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda p: p.mkdir(), ["is a folder", "give the path of a records CSV"], id="folder"
        ),
        pytest.param(lambda p: None, ["does not exist"], id="missing"),
        pytest.param(lambda p: p.write_bytes(b""), ["is empty"], id="empty"),
        pytest.param(
            lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 50), ["not a text file"], id="binary"
        ),
        pytest.param(
            lambda p: p.write_text("list,record_id,given_name\n", encoding="utf-8"),
            ["header but no records"],
            id="header only",
        ),
        pytest.param(
            lambda p: p.write_text("list,record_id,given_name\na,1,X\nb,2,Y,Z\n", encoding="utf-8"),
            ["line 3", "header has 3", "quote"],
            id="ragged row",
        ),
        pytest.param(
            lambda p: p.write_text("list,record_id,given_name\na,1,X\nb,1,Y\n", encoding="utf-8"),
            ["row 3", "used again"],
            id="duplicate ids",
        ),
    ],
)
def test_a_malformed_file_is_one_clear_error(capsys, tmp_path, make, expected):
    source = tmp_path / "records.csv"
    make(source)
    out = tmp_path / "out" / "clusters.csv"
    result = run_cli(capsys, "link", str(source), "--out", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "records.csv" in result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert not out.parent.exists()


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--encoding", "no-such-codec", "no-such-codec"),
        ("--delimiter", "::", "delimiter"),
        ("--columns", "surname=Фамилия", "surname"),
    ],
)
def test_a_bad_reading_option_is_refused(capsys, tmp_path, option, value, expected):
    result = run_cli(
        capsys, "link", str(excel_file(tmp_path)), "--out", str(tmp_path / "c.csv"), option, value
    )
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_path_that_is_a_folder_is_one_clear_error(capsys, tmp_path):
    out = tmp_path / "clusters"
    out.mkdir()
    source = excel_file(tmp_path)
    result = run_cli(capsys, "link", str(source), "--out", str(out))
    assert result.exit_code == 1
    assert f"cannot write {out}" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clusters", source.name]


def test_review_reads_the_records_file_with_the_same_options(capsys, tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes("Org;Nr;Фамилия\nМемориал;m1;Хасанов\nКомитет;k1;Хасанов\n".encode("cp1251"))
    (tmp_path / "export.review.csv").write_text(
        "pair_id,record_id_l,record_id_r,list_l,list_r,match_probability\n"
        "p1,m1,k1,Мемориал,Комитет,0.5\n",
        encoding="utf-8",
    )
    unmapped = run_cli(capsys, "link", "review", str(source), "--list")
    assert unmapped.exit_code == 1
    assert "lacks required column(s): list, record_id" in unmapped.stderr
    listed = run_cli(
        capsys, "link", "review", str(source), "--list", "--columns", "list=Org,record_id=Nr"
    )
    assert listed.exit_code == 0, listed.stderr
    assert "m1: list=Мемориал; family_name=Хасанов" in listed.stdout
