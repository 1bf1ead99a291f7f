"""Export then import gives back exactly the records: JSON Lines and CSV, property-tested."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testament.core.records import (
    Claim,
    Event,
    EventLink,
    Person,
    ReportedDate,
    ReportedName,
    Source,
    Span,
)
from testament.store import Casebook
from testament.store.exporting import export_csv, export_jsonl
from testament.store.importing import read_csv, read_jsonl

ids = st.from_regex(r"[a-z][a-z0-9._:-]{0,12}", fullmatch=True)
# Any text a person might type, in any script; no surrogates or NUL (not storable as UTF-8 text).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)
dates = st.builds(
    ReportedDate,
    edtf=st.sampled_from(
        ["2017", "2017-04", "2017-04-01", "2013-09~/2013-12~", "2017-04-XX", "../2017"]
    ),
    as_reported=st.none() | texts,
)


@st.composite
def casebooks(draw: st.DrawFn) -> list[object]:
    source_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    sources = [
        Source(
            id=source_id,
            kind=draw(st.sampled_from(["news_article", "testimony", "official_statement"])),
            title=draw(st.none() | texts),
            outlet=draw(st.none() | texts),
            published=draw(st.none() | dates),
            language=draw(st.none() | st.sampled_from(["ru", "en", "ce", "ru-Latn"])),
            derived_from=tuple(source_ids[:index][-1:]),  # a chain: acyclic by construction
            text=draw(st.none() | texts),
            confidentiality=draw(st.sampled_from(["public", "restricted", "secret"])),
        )
        for index, source_id in enumerate(source_ids)
    ]
    events = [
        Event(id="e1", title=draw(texts), date=draw(st.none() | dates)),
        Event(id="e2", title=draw(texts), chain=(EventLink(relation="followed", event_id="e1"),)),
    ]
    claims = [
        Claim(
            id=f"c{index}",
            source_id=draw(st.sampled_from(source_ids)),
            target_kind="event",
            target_id=draw(st.sampled_from(["e1", "e2"])),
            stance=draw(st.sampled_from(["asserts", "denies", "retracts"])),
            basis=draw(st.sampled_from(["first_hand", "hearsay", "documentary"])),
            excerpt=draw(st.none() | texts),
            span=draw(st.none() | st.builds(Span, start=st.just(0), end=st.integers(0, 50))),
            count_min=draw(st.none() | st.integers(0, 500)),
        )
        for index in range(draw(st.integers(0, 4)))
    ]
    persons = [
        Person(
            id="p1",
            pseudonym=draw(texts),
            names=tuple(
                draw(
                    st.lists(
                        st.builds(
                            ReportedName,
                            name=texts,
                            script=st.sampled_from(["Cyrl", "Latn", None]),
                            source_id=st.sampled_from([None, source_ids[0]]),
                        ),
                        max_size=3,
                    )
                )
            ),
            birth=draw(st.none() | dates),
            deceased=draw(st.none() | st.booleans()),
        )
    ]
    return [*sources, *events, *claims, *persons]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty casebook to copy, so that migrations run once, not once per example."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    Casebook.create(path).close()
    return path


def _store(records: list[object], folder: Path, name: str, template: Path) -> Casebook:
    """A casebook holding ``records``."""
    shutil.copyfile(template, folder / name)
    casebook = Casebook.open(folder / name)
    casebook.add(records, actor="test")  # type: ignore[arg-type]
    return casebook


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(casebooks())
def test_json_lines_round_trip_is_lossless(template: Path, records: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        with _store(records, folder, "a.sqlite", template) as first:
            export_jsonl(first, folder / "a.jsonl")
        data = (folder / "a.jsonl").read_bytes()
        reread = [item.record for item in read_jsonl(data, "a.jsonl")]
        assert sorted(reread, key=lambda r: (r.type, r.id)) == sorted(
            records,
            key=lambda r: (r.type, r.id),  # type: ignore[attr-defined]
        )
        with _store(reread, folder, "b.sqlite", template) as second:  # type: ignore[arg-type]
            export_jsonl(second, folder / "b.jsonl")
        assert (folder / "b.jsonl").read_bytes() == data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(casebooks())
def test_csv_round_trip_is_lossless_for_each_record_type(
    template: Path, records: list[object]
) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        with _store(records, folder, "a.sqlite", template) as casebook:
            for record_type in ("source", "event", "claim", "person"):
                path = folder / f"{record_type}.csv"
                written = export_csv(casebook, record_type, path)
                expected = [r for r in records if r.type == record_type]  # type: ignore[attr-defined]
                assert written == len(expected)
                if not expected:
                    continue
                reread = [
                    item.record for item in read_csv(path.read_bytes(), path.name, record_type)
                ]
                assert sorted(reread, key=lambda r: r.id) == sorted(expected, key=lambda r: r.id)  # type: ignore[attr-defined]


def test_exported_lines_follow_the_published_schema(tmp_path: Path, template: Path) -> None:
    import jsonschema_rs

    from testament.store.importing import schema_document

    validator = jsonschema_rs.validator_for(schema_document())
    records = [
        Source(id="s1", kind="news_article", published=ReportedDate(edtf="2017-04-01")),
        Event(id="e1", title="t"),
        Claim(
            id="c1",
            source_id="s1",
            target_kind="event",
            target_id="e1",
            stance="asserts",
            basis="hearsay",
        ),
    ]
    with _store(records, tmp_path, "c.sqlite", template) as casebook:  # type: ignore[arg-type]
        export_jsonl(casebook, tmp_path / "c.jsonl")
    for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines():
        validator.validate(json.loads(line))
