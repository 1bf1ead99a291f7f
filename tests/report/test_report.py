"""``testament report`` publishes an adversarial casebook safely, the same way every time.

The checks here are the tests' own, independent of ``testament.report.scan``: every output file
is read as a reader would (markup decoded, JSON strings decoded) and searched for every private
string as a plain substring; the published tables are handed to the LP attacker of
``test_disclosure``.
"""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

import pytest

from testament.casework.publication import gather
from testament.core.records import Event, ReportedDate
from testament.report.build import build_report
from testament.report.disclosure import CountTable
from testament.report.errors import DisclosureLeakError, ReportError
from testament.report.settings import ReportSettings
from testament.store import Casebook
from tests.casework.captured import add_captured_people, store_run
from tests.report.adversarial import (
    MARKUP_OUTLET,
    MARKUP_TITLE,
    SECRETS,
    adversarial_casebook,
    capture_histories,
)
from tests.report.test_disclosure import assert_safe
from tests.support.cli import run_cli

DIMS = ("period", "region", "act_type")
NO_PDF = ReportSettings(pdf=False, public_data=True)


def _read_as_a_reader(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    views = [text, html.unescape(text)]
    if path.suffix == ".json":
        views.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(views).casefold()


def _report(tmp_path: Path, settings: ReportSettings = NO_PDF, **kwargs: object) -> Path:
    book = tmp_path / "casebook.sqlite"
    if not book.exists():
        adversarial_casebook(book)
    with Casebook.open(book) as casebook:
        publication = gather(casebook, lists=kwargs.get("lists"))  # type: ignore[arg-type]
    out = tmp_path / str(kwargs.get("name", "report"))
    build_report(publication, out, settings, today=kwargs.get("today"))  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("adversarial")
    return _report(root, lists=capture_histories(root / "history.csv"))


def test_no_private_string_of_any_field_appears_in_any_file(published: Path) -> None:
    files = sorted(p for p in published.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in files}
    assert {".html", ".svg", ".csv", ".json"} <= suffixes
    for path in files:
        text = _read_as_a_reader(path)
        for what, secret in SECRETS.items():
            assert secret.casefold() not in text, f"{path.name} leaks the {what}"


def test_record_text_is_escaped_never_obeyed(published: Path) -> None:
    page = (published / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "<b>Kavkaz" not in page
    assert html.unescape(page).count(MARKUP_TITLE) >= 1  # shown, as text
    assert "&lt;script&gt;alert(" in page
    assert html.escape(MARKUP_OUTLET) in page


def test_no_place_finer_than_a_region_and_no_date_finer_than_a_year(published: Path) -> None:
    page = html.unescape((published / "index.html").read_text(encoding="utf-8"))
    assert "RU-CE" in page
    assert "RU-IN" in page
    for finer in ("2017-03", "14 March", "2018-06", "June 2018", "2018-02"):
        assert finer not in page


def _published_tables(folder: Path) -> tuple[list[CountTable], list[list[str]]]:
    data = json.loads((folder / "data" / "report-data.json").read_text(encoding="utf-8"))
    tables = [
        CountTable(
            tuple(table["dimensions"]),
            {
                tuple(cell[d] for d in table["dimensions"]): cell["victims"]
                for cell in table["cells"]
            },
        )
        for table in data["tables"]
    ]
    tables.append(CountTable((), {(): data["total_victims"]}))
    categories = [
        sorted({key[t.dimensions.index(d)] for t in tables if d in t.dimensions for key in t.cells})
        for d in DIMS
    ]
    return tables, categories


class _Published:
    def __init__(self, tables: list[CountTable]) -> None:
        self.tables = tables


def test_an_lp_attacker_cannot_narrow_any_withheld_cell_below_k(published: Path) -> None:
    tables, categories = _published_tables(published)
    withheld = [key for t in tables for key, value in t.cells.items() if value is None]
    assert withheld, "the adversarial casebook has tiny cells: some must be withheld"
    assert_safe(_Published(tables), DIMS, categories, 5)


def test_nor_one_who_counts_the_acts_listed_among_the_allegations(published: Path) -> None:
    page = html.unescape((published / "index.html").read_text(encoding="utf-8"))
    floors: dict[tuple[str, ...], int] = {}
    # each listed act: <article class="allegation" id="act-N"> with "year · region-code ·" and
    # its type's label in the heading; read back as a reader would
    labels = {
        "Arbitrary detention": "arbitrary_detention",
        "Killing": "killing",
        "Torture": "torture",
        "Threat": "threat",
    }
    for chunk in page.split('<article class="allegation" id="act-')[1:]:
        article = chunk.split("</article>")[0]
        heading = article.split("<h3>")[1].split(":")[0]
        facts = article.split("</span>")[-1].split("·")
        period, region = facts[1].strip(), facts[2].strip()
        key = (period, region, labels[heading])
        floors[key] = floors.get(key, 0) + 1
    assert sum(floors.values()) == 6  # every public act of a public event is listed
    tables, categories = _published_tables(published)
    assert_safe(_Published(tables), DIMS, categories, 5, floors)


def test_the_appendix_counts_what_was_withheld_never_its_content(published: Path) -> None:
    page = html.unescape((published / "index.html").read_text(encoding="utf-8"))
    appendix = page[page.index('id="withheld"') :]
    assert "fewer than 5 people" in appendix
    assert "Secret" in appendix
    assert "Restricted" in appendix


def test_estimates_from_lists_are_shown_with_intervals_and_a_chart(published: Path) -> None:
    page = (published / "index.html").read_text(encoding="utf-8")
    assert 'src="charts/estimates.svg"' in page
    svg = (published / "charts" / "estimates.svg").read_text(encoding="utf-8")
    assert "<title>Interval chart." in svg
    assert "Mth Chao" in page
    assert "95% interval" in page


def test_a_leak_fails_the_build_naming_the_field_and_leaves_nothing_behind(
    tmp_path: Path,
) -> None:
    name = SECRETS["person name (Latin)"]
    leaking = Event(
        id="ev-leak",
        title=f"Detention of {name}",
        date=ReportedDate(edtf="2017"),
        confidentiality="public",
    )
    adversarial_casebook(tmp_path / "casebook.sqlite", [leaking])
    with pytest.raises(DisclosureLeakError) as raised:
        _report(tmp_path)
    message = str(raised.value)
    assert "names[0] of person per-secret" in message
    assert "index.html" in message
    assert name.casefold() not in message.casefold()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casebook.sqlite"]


def test_the_same_casebook_gives_the_same_bytes_except_the_generation_date(
    tmp_path: Path,
) -> None:
    lists = capture_histories(tmp_path / "history.csv")
    first = _report(tmp_path, name="first", lists=lists, today=date(2026, 1, 2))
    second = _report(tmp_path, name="second", lists=lists, today=date(2026, 3, 4))
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()
    )
    for name in names:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name == "index.html":
            differing = [
                (x, y) for x, y in zip(a.splitlines(), b.splitlines(), strict=True) if x != y
            ]
            assert len(differing) == 1
            assert b"2026-01-02" in differing[0][0]
        else:
            assert a == b, name


def test_the_report_in_russian(tmp_path: Path) -> None:
    out = _report(tmp_path, ReportSettings(language="ru", pdf=False, public_data=True))
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    assert "Задокументированные пострадавшие по годам" in page
    assert "Чеченская республика" in page
    assert "Приложение: что скрыто и почему" in page
    svg = (out / "charts" / "by-year.svg").read_text(encoding="utf-8")
    assert "Задокументированные пострадавшие" in svg
    assert "скрыто" in svg
    dictionary = (out / "data" / "dictionary.csv").read_text(encoding="utf-8")
    assert "задокументированные пострадавшие" in dictionary


def test_without_chromium_the_html_is_still_written_and_the_reason_given(tmp_path: Path) -> None:
    notes: list[str] = []
    book = adversarial_casebook(tmp_path / "casebook.sqlite")
    with Casebook.open(book) as casebook:
        publication = gather(casebook)
    settings = ReportSettings(chromium=tmp_path / "no-chromium")
    written = build_report(publication, tmp_path / "out", settings, note=notes.append)
    assert written.index.exists()
    assert not (tmp_path / "out" / "report.pdf").exists()
    assert notes
    assert "Chromium was not found" in notes[0]
    assert "--no-pdf" in notes[0]


def test_a_previous_report_is_replaced_and_another_folder_is_refused(tmp_path: Path) -> None:
    out = _report(tmp_path)
    (out / "stale.txt").write_text("old", encoding="utf-8")
    _report(tmp_path)
    assert not (out / "stale.txt").exists()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(ReportError, match="holds other files and no report"):
        _report(tmp_path, name="photos")
    assert (other / "holiday.jpg").exists()


# -- the command line ------------------------------------------------------------------------


def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = adversarial_casebook(tmp_path / "casebook.sqlite")
    out = tmp_path / "out"
    result = run_cli(
        capsys, "report", "--db", str(book), "--out", str(out), "--no-pdf", "--public-data"
    )
    assert result.exit_code == 0, result.stderr
    assert f"Report written to {out / 'index.html'}" in result.stdout
    assert (out / "data" / "counts.csv").exists()


def _unboxed(text: str) -> str:
    """Click's usage errors come in a box, wrapped to the terminal: the words, in one line."""
    return " ".join(text.replace("│", " ").split())


def test_cli_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = adversarial_casebook(tmp_path / "casebook.sqlite")
    missing = run_cli(
        capsys, "report", "--db", str(tmp_path / "nope.sqlite"), "--out", str(tmp_path / "o")
    )
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_k = run_cli(capsys, "report", "--db", str(book), "--out", str(tmp_path / "o"), "--k", "1")
    assert bad_k.exit_code == 2
    assert "k must be at least 2" in _unboxed(bad_k.stderr)
    bad_lang = run_cli(
        capsys, "report", "--db", str(book), "--out", str(tmp_path / "o"), "--lang", "fr"
    )
    assert bad_lang.exit_code == 2
    assert "en or ru" in _unboxed(bad_lang.stderr)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    unwritable = run_cli(
        capsys, "report", "--db", str(book), "--out", str(blocker / "report"), "--no-pdf"
    )
    assert unwritable.exit_code == 1
    assert "cannot write the report" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
    missing_lists = run_cli(
        capsys,
        "report",
        "--db",
        str(book),
        "--out",
        str(tmp_path / "o"),
        "--lists",
        str(tmp_path / "none.csv"),
    )
    assert missing_lists.exit_code == 2
    assert "is not a file" in _unboxed(missing_lists.stderr)
    assert not (tmp_path / "o").exists()


def test_without_lists_the_casebook_s_linked_persons_are_estimated(tmp_path: Path) -> None:
    book = adversarial_casebook(tmp_path / "casebook.sqlite")
    patterns = {"100": 50, "010": 40, "001": 30, "110": 15, "101": 10, "011": 8, "111": 5}
    with Casebook.open(book) as casebook:
        store_run(casebook, add_captured_people(casebook, patterns), "run-1")
        publication = gather(casebook)
    assert publication.estimates is not None
    assert publication.estimates.origin == "casebook"
    assert publication.estimates.observed == 158
    # the lists are restricted sources: numbered, never named
    assert publication.estimates.lists == ("#1", "#2", "#3")
    out = build_report(publication, tmp_path / "out", NO_PDF).folder
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "charts/estimates.svg" in page
    assert "List list-a" not in page
    assert "p-100-0-list-a" not in page


def test_every_option_is_documented_in_the_readme_with_defaults_from_the_settings() -> None:
    import inspect

    from testament.cli.report import report

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    parameters = inspect.signature(report).parameters
    defaults = ReportSettings()
    for name, parameter in parameters.items():
        flag = "--" + name.replace("_", "-")
        assert f"{flag}" in readme, f"{flag} is not documented in the README"
        if name in {"k", "method", "seed"}:
            assert parameter.default.default == getattr(defaults, name)  # defined once


def test_another_process_with_another_hash_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    lists = capture_histories(tmp_path / "history.csv")
    here = _report(tmp_path, name="here", lists=lists)
    there = tmp_path / "there"
    command = [
        sys.executable,
        "-m",
        "testament",
        "report",
        "--db",
        str(tmp_path / "casebook.sqlite"),
        "--out",
        str(there),
        "--lists",
        str(lists),
        "--public-data",
        "--no-pdf",
    ]
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    for path in sorted(p for p in here.rglob("*") if p.is_file()):
        name = path.relative_to(here).as_posix()
        mine, theirs = path.read_bytes(), (there / name).read_bytes()
        if name == "index.html":  # generated on the same day, unless the test spans midnight
            mine = b"\n".join(
                line for line in mine.splitlines() if b'class="generated"' not in line
            )
            theirs = b"\n".join(
                line for line in theirs.splitlines() if b'class="generated"' not in line
            )
        assert mine == theirs, name
