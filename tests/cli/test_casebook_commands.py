"""The casebook from the command line: import, browse, corroborate, export, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testament.demo import DEMO_CASEBOOK
from tests.support.cli import run_cli


@pytest.fixture
def demo_db(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str) -> str:
    sample = tmp_path / "sample.jsonl"
    sample.write_bytes(DEMO_CASEBOOK.read_bytes())
    result = run_cli(capsys, "import", str(sample), "--db", db, "--actor", "tester")
    assert result.exit_code == 0, result.stderr
    assert "8 sources" in result.stdout
    return db


def test_corroborate_json_names_lines_dependencies_and_denials(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    result = run_cli(capsys, "corroborate", "--db", demo_db, "--json")
    assert result.exit_code == 0, result.stderr
    outcome = json.loads(result.stdout)
    targets = {t["target_id"]: t for t in outcome["targets"]}
    detention = targets["act-chechnya-detention"]
    assert len(detention["lines"]) >= 2
    assert detention["status"] in ("corroborated", "confirmed")
    assert detention["flags"] == ["disputed", "denied_by_authorities"]
    assert [d["source_id"] for d in detention["denials"]] == ["src-chechen-denial-2017-04-01"]
    # The digest re-reports Novaya Gazeta: not a line of its own, and it does not merge the
    # outlets it repeats into one line.
    assert "src-digest-2017" in detention["supporting"]
    assert "src-digest-2017" not in detention["lines"]
    assert "src-novaya-2017-04-01" in detention["lines"]
    assert any(
        "src-digest-2017 repeats src-novaya-2017-04-01" in d["reasons"]
        for d in detention["dependencies"]
    )
    assert targets["act-chechnya-killings"]["status"] == "uncorroborated"
    claims = {c["id"]: c["status"] for c in outcome["claims"]}
    assert claims["cl-guardian-torture"] == "corroborated"


def test_stricter_thresholds_are_settings(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    result = run_cli(
        capsys,
        "corroborate",
        "--db",
        demo_db,
        "--json",
        "--corroborated-min",
        "3",
        "--confirmed-min",
        "5",
    )
    targets = {t["target_id"]: t for t in json.loads(result.stdout)["targets"]}
    assert targets["act-chechnya-torture"]["status"] == "uncorroborated"
    assert targets["act-chechnya-detention"]["status"] == "corroborated"
    bad = run_cli(capsys, "corroborate", "--db", demo_db, "--confirmed-min", "1")
    assert bad.exit_code == 1
    assert "confirmed_min_lines" in bad.stderr


def test_human_output_explains_each_status(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    result = run_cli(capsys, "corroborate", "--db", demo_db)
    assert result.exit_code == 0
    assert "act act-chechnya-detention" in result.stdout
    assert "denied by authorities" in result.stdout
    assert "src-digest-2017 repeats" in result.stdout
    assert "independent lines" in result.stdout


def test_explain_prints_the_dependence_of_one_target_and_draws_it(
    capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path
) -> None:
    picture = tmp_path / "detention.svg"
    explain = ("corroborate", "--db", demo_db, "--explain", "act-chechnya-detention", "--svg")
    result = run_cli(capsys, *explain, str(picture))
    assert result.exit_code == 0, result.stderr
    assert "Supporting sources:" in result.stdout
    assert "[line] src-novaya-2017-04-01" in result.stdout
    assert "src-digest-2017" in result.stdout
    assert "Denials:" in result.stdout
    assert picture.read_text().startswith("<svg")
    missing = run_cli(capsys, "corroborate", "--db", demo_db, "--explain", "nothing")
    assert missing.exit_code == 1
    assert "no claim is about an event or act" in missing.stderr
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    unwritable = run_cli(capsys, *explain, str(tmp_path / "a-file" / "detention.svg"))
    assert unwritable.exit_code == 1, unwritable.stderr
    assert "cannot write" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr


def test_listing_and_showing_records(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    sources = run_cli(capsys, "sources", "--db", demo_db, "--json")
    assert {s["id"] for s in json.loads(sources.stdout)} >= {"src-guardian-2017-04"}
    claims = run_cli(capsys, "claims", "--db", demo_db, "--json", "--source", "src-digest-2017")
    assert {c["id"] for c in json.loads(claims.stdout)} == {
        "cl-digest-detention",
        "cl-digest-killings",
        "cl-digest-blackmail",
    }
    events = run_cli(capsys, "events", "--db", demo_db, "--json")
    chechnya = next(e for e in json.loads(events.stdout) if e["id"] == "ev-chechnya-2017")
    assert chechnya["date"] == {
        "edtf": "2017-02~/2017-04~",
        "as_reported": "from late February 2017",
    }
    assert len(chechnya["acts"]) == 3
    shown = run_cli(capsys, "show", "act-chechnya-torture", "--db", demo_db, "--json")
    data = json.loads(shown.stdout)
    assert data["version"] == 1
    assert data["created"]["by"] == "tester"
    assert data["assessment"]["status"] == "corroborated"
    human = run_cli(capsys, "show", "per-ruslan", "--db", demo_db)
    assert "Руслан" in human.stdout
    missing = run_cli(capsys, "show", "nobody", "--db", demo_db)
    assert missing.exit_code == 1
    assert "no record has the id 'nobody'" in missing.stderr


def test_the_audit_log_shows_who_imported_what(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    result = run_cli(capsys, "audit", "src-guardian-2017-04", "--db", demo_db, "--json")
    entries = json.loads(result.stdout)
    assert [(e["action"], e["actor"]) for e in entries] == [("create", "tester")]
    assert entries[0]["after"]["outlet"] == "The Guardian"


def test_export_and_reimport_reproduce_the_casebook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_db: str
) -> None:
    exported = tmp_path / "out.jsonl"
    assert run_cli(capsys, "export", str(exported), "--db", demo_db).exit_code == 0
    second = tmp_path / "second.sqlite"
    assert run_cli(capsys, "init", "--db", str(second)).exit_code == 0
    assert run_cli(capsys, "import", str(exported), "--db", str(second)).exit_code == 0
    again = tmp_path / "again.jsonl"
    assert run_cli(capsys, "export", str(again), "--db", str(second)).exit_code == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_csv_export_and_import_of_one_record_type(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_db: str
) -> None:
    sources_csv = tmp_path / "sources.csv"
    result = run_cli(capsys, "export", str(sources_csv), "--db", demo_db, "--type", "source")
    assert result.exit_code == 0, result.stderr
    header = sources_csv.read_text(encoding="utf-8").splitlines()[0]
    assert "published.edtf" in header
    fresh = tmp_path / "fresh.sqlite"
    run_cli(capsys, "init", "--db", str(fresh))
    result = run_cli(capsys, "import", str(sources_csv), "--db", str(fresh), "--type", "source")
    assert result.exit_code == 0, result.stderr
    assert "Imported 8 sources" in result.stdout


def test_schema_is_json_schema_for_every_record_type(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["discriminator"]["mapping"]) == {
        "place",
        "organisation",
        "source",
        "informant",
        "person",
        "group",
        "event",
        "act",
        "involvement",
        "claim",
        "assessment",
    }


def test_articles_import_as_sources_with_hash_and_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str
) -> None:
    html = tmp_path / "article.html"
    html.write_text(
        '<!doctype html><html lang="ru"><head><title>Заголовок</title>'
        '<meta property="og:site_name" content="Example Outlet">'
        '<meta property="article:published_time" content="2017-04-01T10:00:00+03:00">'
        "<script>var tracking = 1;</script></head><body><nav>Menu</nav>"
        "<p>Первый абзац.</p><p>Second paragraph &amp; more.</p></body></html>",
        encoding="utf-8",
    )
    markdown = tmp_path / "note.md"
    markdown.write_text(
        "# A note\n\nSee [the report](http://x.invalid) for **details**.\n", encoding="utf-8"
    )
    result = run_cli(capsys, "import", str(html), "--db", db, "--id", "art-1")
    assert result.exit_code == 0, result.stderr
    result = run_cli(
        capsys,
        "import",
        str(markdown),
        "--db",
        db,
        "--id",
        "art-2",
        "--published",
        "late 2013",
        "--derived-from",
        "art-1",
        "--kind",
        "ngo_report",
    )
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run_cli(capsys, "show", "art-1", "--db", db, "--json").stdout)["record"]
    assert shown["outlet"] == "Example Outlet"
    assert shown["language"] == "ru"
    assert shown["published"]["edtf"] == "2017-04-01"
    assert shown["text"] == "Первый абзац.\n\nSecond paragraph & more."
    assert len(shown["sha256"]) == 64
    note = json.loads(run_cli(capsys, "show", "art-2", "--db", db, "--json").stdout)["record"]
    assert note["text"] == "A note\n\nSee the report for details."
    assert note["published"] == {"edtf": "2013-09~/2013-12~", "as_reported": "late 2013"}
    assert note["derived_from"] == ["art-1"]


@pytest.mark.postgres
def test_the_same_commands_work_on_postgresql(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, postgres_url: str
) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_bytes(DEMO_CASEBOOK.read_bytes())
    assert run_cli(capsys, "init", "--db", postgres_url).exit_code == 0
    result = run_cli(capsys, "import", str(sample), "--db", postgres_url)
    assert result.exit_code == 0, result.stderr
    outcome = json.loads(run_cli(capsys, "corroborate", "--db", postgres_url, "--json").stdout)
    detention = next(t for t in outcome["targets"] if t["target_id"] == "act-chechnya-detention")
    assert detention["flags"] == ["disputed", "denied_by_authorities"]
    again = run_cli(capsys, "import", str(sample), "--db", postgres_url)
    assert again.exit_code == 1
    assert "already in the casebook" in again.stderr


def test_every_corroboration_setting_is_an_option_documented_in_the_readme() -> None:
    import dataclasses
    import inspect

    from testament.cli.corroboration import corroborate_command
    from testament.corroborate import CorroborationSettings

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    options = {
        "corroborated_min_lines": "--corroborated-min",
        "confirmed_min_lines": "--confirmed-min",
        "corroboration_needs_first_hand": "--first-hand",
        "documentary_confirms": "--documentary-confirms",
        "documentary_confirms_min_lines": "--documentary-min",
        "same_outlet_independent": "--same-outlet-independent",
    }
    assert {field.name for field in dataclasses.fields(CorroborationSettings)} == set(options)
    parameters = inspect.signature(corroborate_command).parameters
    assert len(parameters) == len(options) + 4  # plus --db, --json, --explain and --svg
    defaults = CorroborationSettings()
    for name, parameter in parameters.items():
        if name in {"corroborated_min", "confirmed_min", "documentary_min"}:
            field = {
                "corroborated_min": "corroborated_min_lines",
                "confirmed_min": "confirmed_min_lines",
                "documentary_min": "documentary_confirms_min_lines",
            }[name]
            assert parameter.default == getattr(defaults, field)  # defaults defined once
    for flag in options.values():
        assert f"`{flag}" in readme, f"{flag} is not documented in the README"
