"""Records files as people export them: Russian Excel's encodings and delimiters, own headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from testament.link import RecordsError
from testament.link.reading import ReadOptions, load_records, parse_columns, read_columns_file

# What Russian Excel writes with "Save as CSV": Windows-1251, semicolons, CRLF, Russian headers.
RUSSIAN_HEADER = "Список;№;Фамилия;Имя;Отчество;Дата рождения;Пол;Место"
RUSSIAN_ROWS = [
    "Мемориал;1;Хасанов;Магомед;Юсупович;14.03.1987;м;г. Грозный",
    "Мемориал;2;Умаров;Руслан;Ибрагимович;1980;м;Урус-Мартан",
    "Комитет «Против пыток»;3;ХАСАНОВ;МАГОМЕД;;03.1987;м;Грозный",
    "Комитет «Против пыток»;4;Щукина;Ёлка;Фёдоровна;декабрь 1994;ж;Шали",
]
ALL_CAPS_ROWS = [
    "МЕМОРИАЛ;1;ЦЕЧОЕВ;ЗЕЛИМХАН;АХМЕДОВИЧ;1990;М;ГРОЗНЫЙ",
    "МЕМОРИАЛ;2;ДАУДОВ;АДЛАН;МАГОМЕДОВИЧ;1961;М;АРГУН",
    "КОМИТЕТ;3;ТОВЛЕМАЕВ;ШАМИЛЬ;ТАГИРОВИЧ;1993;М;УРУС-МАРТАН",
]


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "lists.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def russian_file(tmp_path: Path, encoding: str, rows: list[str] = RUSSIAN_ROWS) -> Path:
    text = "\r\n".join([RUSSIAN_HEADER, *rows]) + "\r\n"
    if encoding == "koi8_r":  # KOI8-R has no № and no «»
        text = text.replace("№", "Номер").replace("«", '"').replace("»", '"')
    return write(tmp_path, text, encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-8", "utf-8-sig", "utf-16"])
def test_russian_excel_files_are_read_in_their_encoding(tmp_path, encoding):
    loaded = load_records(russian_file(tmp_path, encoding))
    frame = loaded.frame
    assert frame["family_name"].tolist() == ["Хасанов", "Умаров", "ХАСАНОВ", "Щукина"]
    assert frame["given_name"][3] == "Ёлка"
    assert frame["list"][2].startswith("Комитет")
    assert loaded.report.delimiter == ";"
    expected = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)
    assert loaded.report.encoding.replace("-", "_") == expected.replace("-", "_")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_names_in_capitals_are_read_in_their_encoding_too(tmp_path, encoding):
    loaded = load_records(russian_file(tmp_path, encoding, ALL_CAPS_ROWS))
    assert loaded.frame["family_name"].tolist() == ["ЦЕЧОЕВ", "ДАУДОВ", "ТОВЛЕМАЕВ"]
    assert loaded.report.encoding_guessed


def test_russian_headers_are_recognised_and_reported(tmp_path):
    loaded = load_records(russian_file(tmp_path, "cp1251"))
    assert loaded.report.columns == {
        "list": "Список",
        "record_id": "№",
        "family_name": "Фамилия",
        "given_name": "Имя",
        "patronymic": "Отчество",
        "birth": "Дата рождения",
        "sex": "Пол",
        "place": "Место",
    }
    assert set(loaded.report.recognised) == set(loaded.report.columns)
    assert loaded.report.encoding == "cp1251"
    assert loaded.report.encoding_guessed


def test_written_dates_become_edtf_and_each_reading_is_reported(tmp_path):
    loaded = load_records(russian_file(tmp_path, "cp1251"))
    assert loaded.frame["birth"].tolist() == ["1987-03-14", "1980", "1987-03", "1994-12"]
    readings = {(r.column, r.written): (r.edtf, r.rows, r.first_row) for r in loaded.report.dates}
    assert readings == {
        ("birth", "14.03.1987"): ("1987-03-14", 1, 2),
        ("birth", "03.1987"): ("1987-03", 1, 4),
        ("birth", "декабрь 1994"): ("1994-12", 1, 5),
    }


@pytest.mark.parametrize(("delimiter", "name"), [("\t", "tab"), ("|", "|"), (",", ",")])
def test_the_delimiter_is_detected(tmp_path, delimiter, name):
    rows = [["list", "record_id", "given_name"], ["a", "1", "Ruslan"], ["b", "2", "Руслан"]]
    path = write(tmp_path, "\n".join(delimiter.join(row) for row in rows) + "\n")
    loaded = load_records(path)
    assert loaded.report.delimiter == delimiter
    assert loaded.frame["given_name"].tolist() == ["Ruslan", "Руслан"]


def test_a_comma_inside_quotes_does_not_fool_the_detection(tmp_path):
    text = 'list;record_id;names_as_reported\na;1;"Хасанов, Магомед"\nb;2;"Umarov, Ruslan"\n'
    loaded = load_records(write(tmp_path, text))
    assert loaded.report.delimiter == ";"
    assert loaded.frame["names_as_reported"][0] == "Хасанов, Магомед"


def test_options_override_detection(tmp_path):
    # Latin-1 text would be guessed as Cyrillic; the option says what it is.
    text = "list|record_id|given_name\na|1|José\nb|2|Zoë\n"
    path = write(tmp_path, text, "latin-1")
    loaded = load_records(path, ReadOptions(encoding="latin-1", delimiter="|"))
    assert loaded.frame["given_name"].tolist() == ["José", "Zoë"]
    assert not loaded.report.encoding_guessed


def test_an_unknown_encoding_or_delimiter_option_is_refused(tmp_path):
    path = russian_file(tmp_path, "utf-8")
    with pytest.raises(RecordsError, match="no-such-codec"):
        load_records(path, ReadOptions(encoding="no-such-codec"))
    with pytest.raises(RecordsError, match="delimiter"):
        load_records(path, ReadOptions(delimiter="::"))


def test_own_headers_are_mapped_by_option(tmp_path):
    text = "Org,Id,Surname,First\na,1,Хасанов,Магомед\nb,2,Khasanov,Magomed\n"
    columns = parse_columns("list=Org,record_id=Id,family_name=Surname,given_name=First")
    loaded = load_records(write(tmp_path, text), ReadOptions(columns=columns))
    assert loaded.frame["family_name"].tolist() == ["Хасанов", "Khasanov"]
    assert loaded.report.columns["family_name"] == "Surname"
    assert loaded.report.recognised == ()


def test_a_columns_file_maps_headers_and_may_say_how_to_read(tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'encoding = "cp1251"\ndelimiter = ";"\n\n[columns]\nlist = "Список"\n'
        'record_id = "№"\nnames_as_reported = "ФИО"\n',
        encoding="utf-8",
    )
    text = "Список;№;ФИО\nМемориал;1;Хасанов Магомед\nКомитет;2;Khasanov Magomed\n"
    options = read_columns_file(mapping)
    assert options.encoding == "cp1251"
    loaded = load_records(write(tmp_path, text, "cp1251"), options)
    assert loaded.frame["names_as_reported"][0] == "Хасанов Магомед"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('columns = "x"\n', "[columns]"),
        ("[columns]\nsurname = 'Фамилия'\n", "surname"),
        ("[columns\n", "is not TOML"),
        ("[columns]\nlist = 3\n", "list"),
    ],
)
def test_a_bad_columns_file_says_what_is_wrong(tmp_path, content, expected):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(content, encoding="utf-8")
    with pytest.raises(RecordsError) as raised:
        read_columns_file(mapping)
    assert "mapping.toml" in str(raised.value)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", "OURS=HEADER"),
        ("surname=Фамилия", "surname"),
        ("list=a,list=b", "twice"),
    ],
)
def test_a_bad_columns_option_says_what_is_wrong(text, expected):
    with pytest.raises(RecordsError, match=expected):
        parse_columns(text)


def test_a_mapped_header_that_the_file_lacks_is_named(tmp_path):
    path = write(tmp_path, "list,record_id,given_name\na,1,X\nb,2,Y\n")
    with pytest.raises(RecordsError) as raised:
        load_records(path, ReadOptions(columns={"family_name": "Фамилия"}))
    assert "Фамилия" in str(raised.value)
    assert "list, record_id, given_name" in str(raised.value)


def test_two_headers_for_one_column_are_not_guessed(tmp_path):
    text = "Список;№;ФИО;Место;Место задержания\nа;1;Хасанов;Грозный;Шали\nб;2;Умаров;;\n"
    loaded = load_records(write(tmp_path, text))
    assert "place" not in loaded.frame.columns
    assert "place" in loaded.report.ambiguous


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ["lists.csv is empty", "list,record_id"]),
        (b"\r\n \n", ["lists.csv is empty"]),
        (b"\xef\xbb\xbf\r\n", ["lists.csv is empty"]),
        (b"list,record_id,given_name\n", ["header but no records"]),
        (
            b"list,record_id,given_name\na,1,X\nb,2,Y,extra\n",
            ["lists.csv line 3", "4 fields", "header has 3", "quote"],
        ),
        (b'list,record_id,given_name\na,1,"X\nb,2,Y\n', ["line 2", "quote", "never closed"]),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), ["Excel workbook", "CSV"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), ["Excel workbook", "CSV"]),
        (b"\x00\x01\x02binary\x00\xff\xfe" * 20, ["not a text file", "CSV"]),
        (
            b"list,record_id,given_name\na,1,X\nb,1,Y\n",
            ["row 3", "record_id '1' is used again", "first at row 2"],
        ),
    ],
    ids=[
        "empty",
        "blank lines only",
        "byte-order mark only",
        "header only",
        "ragged row",
        "unclosed quote",
        "xlsx",
        "xls",
        "binary",
        "duplicate ids",
    ],
)
def test_a_malformed_file_is_one_clear_error(tmp_path, content, expected):
    path = tmp_path / "lists.csv"
    path.write_bytes(content)
    with pytest.raises(RecordsError) as raised:
        load_records(path)
    for fragment in expected:
        assert fragment in str(raised.value)


def test_a_folder_or_a_missing_file_is_named(tmp_path):
    with pytest.raises(RecordsError, match="is a folder"):
        load_records(tmp_path)
    with pytest.raises(RecordsError, match="does not exist"):
        load_records(tmp_path / "nowhere.csv")


def test_a_date_that_cannot_be_read_names_its_row_and_the_rule(tmp_path):
    text = "list,record_id,given_name,birth\na,1,X,23.12.1994\nb,2,Y,23.12.94\nb,3,Z,12/23/1994\n"
    with pytest.raises(RecordsError) as raised:
        load_records(write(tmp_path, text))
    message = str(raised.value)
    assert "lists.csv row 3, field 'birth'" in message
    assert "two-digit year" in message
    assert "lists.csv row 4, field 'birth'" in message
    assert "day first" in message


def test_a_file_that_mixes_utf8_and_windows_1251_is_refused_at_its_first_bad_line(tmp_path):
    path = tmp_path / "lists.csv"
    utf8 = "list,record_id,given_name\nа,1,Магомед\nб,2,Руслан\n".encode()
    path.write_bytes(utf8 + "в,3,Ислам\n".encode("cp1251"))
    with pytest.raises(RecordsError) as raised:
        load_records(path)
    assert "lists.csv line 4" in str(raised.value)
    assert "mixes encodings" in str(raised.value)


def test_blank_rows_are_left_out_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    text = "list;record_id;given_name\na;1;X\n\n;;\nb;2;Y;;\nb;1;Z\n"
    with pytest.raises(RecordsError) as raised:
        load_records(write(tmp_path, text))
    assert "lists.csv row 6, field 'record_id'" in str(raised.value)
    assert "first at row 2" in str(raised.value)
    loaded = load_records(write(tmp_path, text.replace("b;1;Z", "b;3;Z")))
    assert loaded.frame["given_name"].tolist() == ["X", "Y", "Z"]
    assert loaded.report.skipped_rows == 2


def test_a_file_without_list_or_record_id_shows_its_headers_and_the_fix(tmp_path):
    path = write(tmp_path, "Организация,Номер записи,Фамилия\nа,1,X\nб,2,Y\n")
    with pytest.raises(RecordsError) as raised:
        load_records(path)
    message = str(raised.value)
    assert "lacks required column(s): list, record_id" in message
    assert "'Организация', 'Номер записи', 'Фамилия'" in message
    assert "--columns list=HEADER" in message


def test_a_problem_after_a_skipped_blank_row_names_the_spreadsheet_row(tmp_path):
    from testament.link import read_records
    from testament.link.errors import RecordsError
    from testament.link.features import build_features

    path = tmp_path / "records.csv"
    path.write_text("list,record_id,given_name,sex\na,1,Ali,m\n\n\nb,2,Ruslan,alien\n")
    records = read_records(path)
    with pytest.raises(RecordsError) as error:
        build_features(records, where="records.csv")
    assert error.value.problems[0].where == "records.csv row 5"
