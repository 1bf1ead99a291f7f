"""Corroborating a casebook is one library call: records in, every status and its reasons out.

The casebook here is small enough to read: one event of detentions with two acts, three outlets
that report it (one of them only repeating another), and an official statement that denies it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testament.casework.corroboration import case_graph, corroborate_casebook
from testament.core.errors import RecordNotFoundError
from testament.core.records import Act, Claim, Event, Source
from testament.core.terms import ActType, Basis, SourceKind, Stance
from testament.corroborate import CorroborationSettings
from testament.store import Casebook


def _claim(claim_id: str, source: str, target: str, stance: Stance, basis: Basis) -> Claim:
    kind, target_id = target.split(":")
    return Claim(
        id=claim_id,
        source_id=source,
        target_kind=kind,  # type: ignore[arg-type]
        target_id=target_id,
        stance=stance,
        basis=basis,
    )


@pytest.fixture
def casebook(tmp_path: Path) -> Iterator[Casebook]:
    """Two independent outlets on the detentions, a re-report, a denial; a lone torture claim."""
    records = [
        Event(id="e-detentions", title="Detentions in the city"),
        Act(id="a-detention", event_id="e-detentions", act_type=ActType.ARBITRARY_DETENTION),
        Act(id="a-torture", event_id="e-detentions", act_type=ActType.TORTURE),
        Event(id="e-quiet", title="An event nobody reported"),
        Source(id="s-witness", kind=SourceKind.TESTIMONY),
        Source(id="s-paper", kind=SourceKind.NEWS_ARTICLE, outlet="Paper"),
        Source(
            id="s-digest", kind=SourceKind.NEWS_ARTICLE, outlet="Digest", derived_from=("s-paper",)
        ),
        Source(id="s-ministry", kind=SourceKind.OFFICIAL_STATEMENT, outlet="Ministry"),
        _claim("c1", "s-witness", "act:a-detention", Stance.ASSERTS, Basis.FIRST_HAND),
        _claim("c2", "s-paper", "act:a-detention", Stance.ASSERTS, Basis.HEARSAY),
        _claim("c3", "s-digest", "act:a-detention", Stance.ASSERTS, Basis.HEARSAY),
        _claim("c4", "s-ministry", "event:e-detentions", Stance.DENIES, Basis.DOCUMENTARY),
        _claim("c5", "s-paper", "act:a-torture", Stance.ASSERTS, Basis.HEARSAY),
    ]
    with Casebook.create(tmp_path / "casebook.sqlite") as opened:
        opened.add(records, actor="researcher")
        yield opened


def test_two_independent_lines_corroborate_and_a_re_report_adds_none(casebook: Casebook) -> None:
    found = corroborate_casebook(casebook)
    detention = found.explain("a-detention")
    assert detention.status == "corroborated"
    assert sorted(detention.lines) == ["s-paper", "s-witness"]
    assert sorted(detention.supporting) == ["s-digest", "s-paper", "s-witness"]
    assert [{d.source, d.other} for d in detention.dependencies] == [{"s-digest", "s-paper"}]
    assert "repeats" in " ".join(detention.dependencies[0].reasons)


def test_an_official_denial_flags_the_event_and_its_acts_without_lowering_them(
    casebook: Casebook,
) -> None:
    found = corroborate_casebook(casebook)
    event = found.explain("e-detentions")
    assert event.status == "corroborated"  # the acts' claims support their event
    assert event.flags == ["disputed", "denied_by_authorities"]
    assert [d.source_id for d in event.denials] == ["s-ministry"]
    assert found.explain("a-torture").flags == ["disputed", "denied_by_authorities"]
    assert found.explain("a-torture").status == "uncorroborated"


def test_every_target_is_assessed_each_event_followed_by_its_acts(casebook: Casebook) -> None:
    found = corroborate_casebook(casebook)
    order = [(a.target_kind, a.target_id) for a in found.assessments]
    assert order == [("event", "e-detentions"), ("act", "a-detention"), ("act", "a-torture")]
    assert found.counts["corroborated"] == 2
    assert found.counts["uncorroborated"] == 1
    assert sum(found.counts.values()) == 3  # an event nobody claimed anything about is not one


def test_titles_name_events_and_acts_by_their_event(casebook: Casebook) -> None:
    found = corroborate_casebook(casebook)
    assert found.title("e-detentions") == "Detentions in the city"
    assert found.title("a-torture") == "torture (Detentions in the city)"
    assert found.title("e-unknown") == ""


def test_each_claim_stands_as_its_target_does(casebook: Casebook) -> None:
    statuses = corroborate_casebook(casebook).claim_statuses
    assert {claim: status.value for claim, status in statuses.items()} == {
        "c1": "corroborated",
        "c2": "corroborated",
        "c3": "corroborated",
        "c4": "confirmed",  # the denial stands on its own line: a documentary one
        "c5": "uncorroborated",
    }


def test_stricter_settings_change_the_statuses(casebook: Casebook) -> None:
    strict = CorroborationSettings(corroborated_min_lines=3, confirmed_min_lines=4)
    found = corroborate_casebook(casebook, strict)
    assert found.settings == strict
    assert found.explain("a-detention").status == "uncorroborated"


def test_the_json_holds_settings_counts_targets_and_claims(casebook: Casebook) -> None:
    document = corroborate_casebook(casebook).to_json()
    assert document["settings"]["corroborated_min_lines"] == 2
    assert [t["target_id"] for t in document["targets"]] == [
        "a-detention",
        "a-torture",
        "e-detentions",
    ]
    assert document["targets"][1]["title"] == "torture (Detentions in the city)"
    assert [c["id"] for c in document["claims"]] == ["c1", "c2", "c3", "c4", "c5"]


def test_asking_about_a_target_nobody_claimed_anything_about_says_so(casebook: Casebook) -> None:
    found = corroborate_casebook(casebook)
    with pytest.raises(RecordNotFoundError, match="'e-quiet'"):
        found.explain("e-quiet")
    with pytest.raises(RecordNotFoundError):
        found.explain("a-detention", kind="event")


def test_the_graph_is_read_from_the_casebook_as_it_stands(casebook: Casebook) -> None:
    graph = case_graph(casebook)
    assert graph.claim_ids == ["c1", "c2", "c3", "c4", "c5"]
    assert sorted(graph.source_ids) == ["s-digest", "s-ministry", "s-paper", "s-witness"]


def test_an_empty_casebook_has_nothing_to_assess(tmp_path: Path) -> None:
    with Casebook.create(tmp_path / "empty.sqlite") as empty:
        found = corroborate_casebook(empty)
    assert found.assessments == ()
    assert sum(found.counts.values()) == 0
