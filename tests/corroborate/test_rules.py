"""The corroboration rules of DESIGN.md, as a specification."""

from __future__ import annotations

import pytest

from testament.core.errors import SettingsError
from testament.corroborate import CaseGraph, CorroborationSettings, corroborate
from testament.corroborate.graph import DerivationCycleError


def graph(
    claims: list[tuple[str, str, str | None, str, str]],
    *,
    sources: dict[str, str] | None = None,
    derived: list[tuple[str, str]] = (),  # type: ignore[assignment]
    informants: dict[str, str] | None = None,
    acts: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> CaseGraph:
    """claims: (source, informant, target 'event:e1' or 'act:a1', stance, basis)."""
    named = {c[0] for c in claims} | {s for pair in derived for s in pair}
    kinds = dict.fromkeys(named, "news_article") | (sources or {})
    return CaseGraph.from_rows(
        sources=sorted(kinds.items()),
        derivations=derived,
        informants=sorted((informants or {}).items()),
        claims=[
            (f"c{i}", source, informant, *target.split(":"), stance, basis)
            for i, (source, informant, target, stance, basis) in enumerate(claims)
        ],
        acts=acts,
    )


def test_one_source_alone_is_uncorroborated() -> None:
    outcome = corroborate(graph([("a", None, "event:e1", "asserts", "first_hand")]))
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "uncorroborated"
    assert assessment.standard_of_proof == "reasonable_suspicion"


def test_two_independent_sources_with_one_first_hand_corroborate() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "event:e1", "asserts", "first_hand"),
                ("b", None, "event:e1", "asserts", "hearsay"),
            ]
        )
    )
    assert outcome.status("event", "e1") == "corroborated"
    assert outcome.assessment("event", "e1").clusters == [["a"], ["b"]]


def test_two_hearsay_sources_do_not_corroborate() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "event:e1", "asserts", "hearsay"),
                ("b", None, "event:e1", "asserts", "hearsay"),
            ]
        )
    )
    assert outcome.status("event", "e1") == "uncorroborated"
    relaxed = corroborate(
        outcome.graph, CorroborationSettings(corroboration_needs_first_hand=False)
    )
    assert relaxed.status("event", "e1") == "corroborated"


def test_a_re_report_adds_no_independent_weight() -> None:
    outcome = corroborate(
        graph(
            [
                ("original", None, "event:e1", "asserts", "first_hand"),
                ("copy", None, "event:e1", "asserts", "hearsay"),
                ("copy-of-copy", None, "event:e1", "asserts", "hearsay"),
            ],
            derived=[("copy", "original"), ("copy-of-copy", "copy")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "uncorroborated"
    assert assessment.clusters == [["copy", "copy-of-copy", "original"]]
    assert "copy repeats original" in assessment.rationale


def test_sources_sharing_an_informant_are_one_cluster() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", "ruslan", "event:e1", "asserts", "first_hand"),
                ("b", "ruslan", "event:e1", "asserts", "first_hand"),
            ],
            informants={"ruslan": "victim"},
        )
    )
    assert outcome.assessment("event", "e1").clusters == [["a", "b"]]
    assert outcome.status("event", "e1") == "uncorroborated"


def test_three_clusters_or_documents_confirm() -> None:
    three = corroborate(
        graph([(s, None, "event:e1", "asserts", "first_hand") for s in ("a", "b", "c")])
    )
    assert three.status("event", "e1") == "confirmed"
    assert three.assessment("event", "e1").standard_of_proof == "balance_of_probabilities"
    document = corroborate(graph([("court", None, "event:e1", "asserts", "documentary")]))
    assert document.status("event", "e1") == "confirmed"
    strict = corroborate(document.graph, CorroborationSettings(documentary_confirms=False))
    assert strict.status("event", "e1") == "uncorroborated"


def test_an_official_denial_flags_but_does_not_erase() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "event:e1", "asserts", "first_hand"),
                ("b", None, "event:e1", "asserts", "first_hand"),
                ("ministry", None, "event:e1", "denies", "first_hand"),
            ],
            sources={"ministry": "official_statement"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "corroborated"
    assert assessment.flags == ["disputed", "denied_by_authorities"]
    assert "interested party" in assessment.rationale
    assert [d.source_id for d in assessment.denials] == ["ministry"]


def test_a_denial_by_a_perpetrator_informant_counts_as_the_authorities() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "event:e1", "asserts", "first_hand"),
                ("paper", "spokesman", "event:e1", "denies", "first_hand"),
            ],
            informants={"spokesman": "perpetrator"},
        )
    )
    assert outcome.assessment("event", "e1").denied_by_authorities


def test_a_denial_by_anyone_else_only_disputes() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "event:e1", "asserts", "first_hand"),
                ("neighbour", None, "event:e1", "denies", "hearsay"),
            ]
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.flags == ["disputed"]


def test_claims_about_acts_support_their_event_and_event_denials_reach_acts() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", None, "act:a1", "asserts", "first_hand"),
                ("b", None, "act:a2", "asserts", "first_hand"),
                ("gov", None, "event:e1", "denies", "first_hand"),
            ],
            sources={"gov": "official_statement"},
            acts=[("a1", "e1"), ("a2", "e1")],
        )
    )
    assert outcome.status("event", "e1") == "corroborated"
    assert outcome.status("act", "a1") == "uncorroborated"
    assert outcome.assessment("act", "a1").denied_by_authorities


def test_retraction_withdraws_what_its_cluster_said() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", "w", "event:e1", "asserts", "first_hand"),
                ("a", "w", "event:e1", "retracts", "first_hand"),
            ],
            informants={"w": "witness"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "retracted"
    assert assessment.retracted_sources == ["a"]
    assert outcome.claim_status(0) == "retracted"


def test_a_derived_from_cycle_is_an_error_not_a_hang() -> None:
    cyclic = graph(
        [("a", None, "event:e1", "asserts", "first_hand")],
        derived=[("a", "b"), ("b", "c"), ("c", "a")],
    )
    with pytest.raises(DerivationCycleError, match="cycle"):
        corroborate(cyclic)


def test_thresholds_are_validated() -> None:
    with pytest.raises(SettingsError):
        CorroborationSettings(corroborated_min_clusters=3, confirmed_min_clusters=2)


def test_all_claim_statuses_at_once_agree_with_one_at_a_time() -> None:
    outcome = corroborate(
        graph(
            [
                ("a", "w", "event:e1", "asserts", "first_hand"),
                ("b", None, "event:e1", "asserts", "hearsay"),
                ("gov", None, "event:e1", "denies", "first_hand"),
                ("a", "w", "event:e2", "asserts", "first_hand"),
                ("a", "w", "event:e2", "retracts", "first_hand"),
            ],
            sources={"gov": "official_statement"},
            informants={"w": "witness"},
        )
    )
    assert outcome.claim_statuses() == [outcome.claim_status(i) for i in range(5)]
    assert outcome.claim_statuses()[:3] == ["corroborated", "corroborated", "uncorroborated"]
