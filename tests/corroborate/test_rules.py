"""The corroboration rules, as a specification: independent lines, not connected components."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testament.core.errors import SettingsError
from testament.corroborate import (
    CaseGraph,
    CorroborationSettings,
    DerivationCycleError,
    corroborate,
)
from testament.corroborate.independence import max_independent
from testament.corroborate.picture import dependence_svg
from testament.corroborate.rationale import english, rationale_reasons


def graph(
    claims: list[tuple[str, str | None, str, str, str]],
    *,
    sources: dict[str, str] | None = None,
    outlets: dict[str, str] | None = None,
    derived: list[tuple[str, str]] = (),  # type: ignore[assignment]
    informants: dict[str, str] | None = None,
    acts: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> CaseGraph:
    """claims: (source, informant, target 'event:e1' or 'act:a1', stance, basis)."""
    named = {c[0] for c in claims} | {s for pair in derived for s in pair}
    kinds = dict.fromkeys(named, "news_article") | (sources or {})
    return CaseGraph.from_rows(
        sources=[(name, kind, (outlets or {}).get(name)) for name, kind in sorted(kinds.items())],
        derivations=derived,
        informants=sorted((informants or {}).items()),
        claims=[
            (f"c{i}", source, informant, *target.split(":"), stance, basis)
            for i, (source, informant, target, stance, basis) in enumerate(claims)
        ],
        acts=acts,
    )


def says(source: str, target: str = "event:e1", basis: str = "first_hand", informant=None):
    return (source, informant, target, "asserts", basis)


# Counting independent lines -----------------------------------------------------------------


def test_one_source_alone_is_one_line_and_uncorroborated() -> None:
    assessment = corroborate(graph([says("a")])).assessment("event", "e1")
    assert assessment.lines == ["a"]
    assert assessment.status == "uncorroborated"
    assert assessment.standard_of_proof == "reasonable_suspicion"


def test_two_independent_sources_with_one_first_hand_corroborate() -> None:
    outcome = corroborate(graph([says("a"), says("b", basis="hearsay")]))
    assert outcome.status("event", "e1") == "corroborated"
    assert outcome.assessment("event", "e1").lines == ["a", "b"]


def test_hearsay_only_never_corroborates_unless_the_setting_allows_it() -> None:
    outcome = corroborate(graph([says("a", basis="hearsay"), says("b", basis="hearsay")]))
    assert outcome.status("event", "e1") == "uncorroborated"
    assert "no supporting claim is first-hand" in outcome.assessment("event", "e1").rationale
    relaxed = corroborate(
        outcome.graph, CorroborationSettings(corroboration_needs_first_hand=False)
    )
    assert relaxed.status("event", "e1") == "corroborated"


def test_a_chain_of_re_reports_is_one_line_stood_for_by_the_original() -> None:
    outcome = corroborate(
        graph(
            [
                says("original"),
                says("copy", basis="hearsay"),
                says("copy-of-copy", basis="hearsay"),
            ],
            derived=[("copy", "original"), ("copy-of-copy", "copy")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.lines == ["original"]
    assert assessment.supporting == ["copy", "copy-of-copy", "original"]
    assert assessment.status == "uncorroborated"
    assert "copy repeats original" in assessment.rationale
    assert "copy-of-copy repeats original" in assessment.rationale  # transitively


def test_a_digest_of_two_independent_outlets_does_not_merge_them() -> None:
    # The digest repeats both outlets: it depends on each, yet they stay independent lines.
    outcome = corroborate(
        graph(
            [says("novaya"), says("knot"), says("digest", basis="hearsay")],
            derived=[("digest", "novaya"), ("digest", "knot")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.lines == ["knot", "novaya"]
    assert assessment.status == "corroborated"


def test_adding_a_derivative_never_lowers_any_status_even_of_targets_it_never_mentions() -> None:
    claims = [says("novaya"), says("knot", target="event:e2"), says("knot")]
    before = corroborate(graph(claims))
    after = corroborate(
        graph(
            [*claims, says("digest", target="event:e3", basis="hearsay")],
            derived=[("digest", "novaya"), ("digest", "knot")],
        )
    )
    for target in ("e1", "e2"):
        assert after.status("event", target) == before.status("event", target)
        assert after.assessment("event", target).lines == before.assessment("event", target).lines


def test_a_source_that_says_nothing_about_a_target_has_no_effect_on_it() -> None:
    outcome = corroborate(
        graph(
            [
                says("a", informant="ruslan"),
                says("b"),
                says("c", target="event:e2", informant="ruslan"),
            ],
            informants={"ruslan": "victim"},
        )
    )
    assert outcome.assessment("event", "e1").lines == ["a", "b"]


def test_sources_quoting_the_same_informant_are_one_line_across_outlets() -> None:
    outcome = corroborate(
        graph(
            [says("paper", informant="ruslan"), says("radio", informant="ruslan")],
            informants={"ruslan": "victim"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert len(assessment.lines) == 1
    assert assessment.status == "uncorroborated"
    (dependency,) = assessment.dependencies
    assert dependency.reasons == ["both rest on the informant ruslan"]


def test_a_re_report_inherits_the_informant_of_what_it_repeats() -> None:
    # blog repeats paper, which quoted ruslan; radio also quoted ruslan: all one line.
    outcome = corroborate(
        graph(
            [says("paper", informant="ruslan"), says("blog"), says("radio", informant="ruslan")],
            derived=[("blog", "paper")],
            informants={"ruslan": "victim"},
        )
    )
    assert len(outcome.assessment("event", "e1").lines) == 1


def test_an_informant_quoted_about_another_target_does_not_tie_two_sources_here() -> None:
    outcome = corroborate(
        graph(
            [
                says("paper", informant="ruslan"),
                says("radio", informant="aslan"),
                says("radio", target="event:e2", informant="ruslan"),
            ],
            informants={"ruslan": "victim", "aslan": "witness"},
        )
    )
    assert outcome.assessment("event", "e1").lines == ["paper", "radio"]


def test_two_items_of_one_outlet_are_one_line_unless_the_setting_says_otherwise() -> None:
    cases = graph(
        [says("ng-1"), says("ng-2")], outlets={"ng-1": "Novaya Gazeta", "ng-2": "novaya  gazeta"}
    )
    conservative = corroborate(cases).assessment("event", "e1")
    assert len(conservative.lines) == 1
    assert "both draw on the outlet novaya gazeta" in conservative.rationale
    lenient = corroborate(cases, CorroborationSettings(same_outlet_independent=True))
    assert lenient.assessment("event", "e1").lines == ["ng-1", "ng-2"]


def test_three_lines_or_documents_confirm() -> None:
    three = corroborate(graph([says(s) for s in ("a", "b", "c")]))
    assert three.status("event", "e1") == "confirmed"
    assert three.assessment("event", "e1").standard_of_proof == "balance_of_probabilities"
    document = corroborate(graph([says("court", basis="documentary")]))
    assert document.status("event", "e1") == "confirmed"
    assert "documentary evidence supports it" in document.assessment("event", "e1").rationale
    strict = corroborate(document.graph, CorroborationSettings(documentary_confirms=False))
    assert strict.status("event", "e1") == "uncorroborated"


def test_claims_about_acts_support_their_event_and_event_denials_reach_acts() -> None:
    outcome = corroborate(
        graph(
            [
                says("a", target="act:a1"),
                says("b", target="act:a2"),
                ("gov", None, "event:e1", "denies", "first_hand"),
            ],
            sources={"gov": "official_statement"},
            acts=[("a1", "e1"), ("a2", "e1")],
        )
    )
    assert outcome.status("event", "e1") == "corroborated"
    assert outcome.status("act", "a1") == "uncorroborated"
    assert outcome.assessment("act", "a1").denied_by_authorities


# Denials ------------------------------------------------------------------------------------


def test_an_official_denial_flags_but_does_not_erase() -> None:
    outcome = corroborate(
        graph(
            [says("a"), says("b"), ("ministry", None, "event:e1", "denies", "first_hand")],
            sources={"ministry": "official_statement"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "corroborated"
    assert assessment.flags == ["disputed", "denied_by_authorities"]
    assert "interested party" in assessment.rationale
    assert [d.source_id for d in assessment.denials] == ["ministry"]
    assert assessment.denial_lines == ["ministry"]


def test_a_denial_by_a_perpetrator_informant_counts_as_the_authorities() -> None:
    outcome = corroborate(
        graph(
            [says("a"), ("paper", "spokesman", "event:e1", "denies", "first_hand")],
            informants={"spokesman": "perpetrator"},
        )
    )
    assert outcome.assessment("event", "e1").denied_by_authorities


def test_a_denial_by_anyone_else_only_disputes() -> None:
    outcome = corroborate(graph([says("a"), ("neighbour", None, "event:e1", "denies", "hearsay")]))
    assert outcome.assessment("event", "e1").flags == ["disputed"]


# Retractions ----------------------------------------------------------------------------------


def test_an_original_retracting_withdraws_itself_and_what_repeats_it() -> None:
    outcome = corroborate(
        graph(
            [
                says("original"),
                says("copy", basis="hearsay"),
                says("other"),
                ("original", None, "event:e1", "retracts", "first_hand"),
            ],
            derived=[("copy", "original")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.supporting == ["other"]
    assert assessment.retracted_sources == ["original"]
    assert outcome.claim_status(1) == "retracted"  # the copy's claim rested on the original


def test_a_re_report_retracting_never_withdraws_the_original_it_repeated() -> None:
    outcome = corroborate(
        graph(
            [
                says("original"),
                says("digest", basis="hearsay"),
                ("digest", None, "event:e1", "retracts", "hearsay"),
            ],
            derived=[("digest", "original")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.lines == ["original"]
    assert assessment.status == "uncorroborated"
    assert outcome.claim_status(0) == "uncorroborated"
    assert outcome.claim_status(1) == "retracted"


def test_an_informant_retracting_withdraws_every_claim_through_them_and_their_repeats() -> None:
    outcome = corroborate(
        graph(
            [
                says("paper", informant="ruslan"),
                says("radio", informant="ruslan"),
                says("blog", basis="hearsay"),
                says("court", basis="documentary"),
                ("paper", "ruslan", "event:e1", "retracts", "first_hand"),
            ],
            derived=[("blog", "radio")],
            informants={"ruslan": "victim"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.supporting == ["court"]
    assert [outcome.claim_status(i) for i in range(3)] == ["retracted"] * 3


def test_when_everything_in_support_is_withdrawn_the_target_is_retracted() -> None:
    outcome = corroborate(
        graph(
            [says("a", informant="w"), ("a", "w", "event:e1", "retracts", "first_hand")],
            informants={"w": "witness"},
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert assessment.status == "retracted"
    assert assessment.retracted_sources == ["a"]
    assert outcome.claim_status(0) == "retracted"


# Explanations ---------------------------------------------------------------------------------


def test_the_rationale_names_the_lines_the_dependent_sources_and_why() -> None:
    outcome = corroborate(
        graph(
            [says("novaya"), says("knot"), says("digest", basis="hearsay")],
            derived=[("digest", "novaya"), ("digest", "knot")],
        )
    )
    assessment = outcome.assessment("event", "e1")
    assert "2 independent lines of reporting support it: knot, novaya" in assessment.rationale
    assert "digest also supports it but share" in assessment.rationale
    assert "digest and knot are not independent: digest repeats knot" in assessment.rationale
    data = assessment.to_json()
    assert data["lines"] == ["knot", "novaya"]
    assert {"source": "digest", "other": "knot", "reasons": ["digest repeats knot"]} in data[
        "dependencies"
    ]


def test_the_rationale_is_also_given_as_codes_with_parameters_for_other_languages() -> None:
    settings = CorroborationSettings()
    outcome = corroborate(
        graph(
            [
                says("novaya"),
                says("knot"),
                says("digest", basis="hearsay"),
                ("ministry", None, "event:e1", "denies", "documentary"),
            ],
            sources={"ministry": "official_statement"},
            derived=[("digest", "novaya"), ("digest", "knot")],
        ),
        settings,
    )
    assessment = outcome.assessment("event", "e1")
    reasons = rationale_reasons(assessment, settings)
    assert [reason.code for reason in reasons] == [
        "lines",
        "also_support",
        "not_independent",
        "not_independent",
        "first_hand",
        "corroborated",
        "denied_by_authorities",
    ]
    assert dict(reasons[0].params) == {"n": 2, "at_least": False, "sources": ("knot", "novaya")}
    assert reasons[2].params["why"] == ("digest repeats knot",)
    assert reasons[-1].params["denials"] == (("ministry", "official_statement"),)
    assert english(reasons) == assessment.rationale  # the CLI's sentence, clause by clause
    assert str(reasons[5]) == "corroborated: 2 >= 2 independent lines, one of them first-hand"


def test_the_dependence_graph_is_a_self_contained_escaped_svg() -> None:
    outcome = corroborate(
        graph(
            [says("<script>"), says("knot"), says("digest", basis="hearsay")],
            derived=[("digest", "<script>")],
        )
    )
    svg = dependence_svg(outcome.assessment("event", "e1"), 'A "title" & more')
    assert svg.startswith("<svg")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "href" not in svg
    assert "digest repeats &lt;script&gt;" in svg


# Errors and settings ----------------------------------------------------------------------


def test_a_derived_from_cycle_is_an_error_not_a_hang() -> None:
    cyclic = graph([says("a")], derived=[("a", "b"), ("b", "c"), ("c", "a")])
    with pytest.raises(DerivationCycleError, match="cycle"):
        corroborate(cyclic)


def test_thresholds_are_validated() -> None:
    with pytest.raises(SettingsError):
        CorroborationSettings(corroborated_min_lines=3, confirmed_min_lines=2)


def test_all_claim_statuses_at_once_agree_with_one_at_a_time() -> None:
    outcome = corroborate(
        graph(
            [
                says("a", informant="w"),
                says("b", basis="hearsay"),
                ("gov", None, "event:e1", "denies", "first_hand"),
                says("a", target="event:e2", informant="w"),
                ("a", "w", "event:e2", "retracts", "first_hand"),
            ],
            sources={"gov": "official_statement"},
            informants={"w": "witness"},
        )
    )
    assert outcome.claim_statuses() == [outcome.claim_status(i) for i in range(5)]
    assert outcome.claim_statuses()[:3] == ["corroborated", "corroborated", "uncorroborated"]


# Properties -------------------------------------------------------------------------------------

SOURCES = [f"s{i}" for i in range(7)]
random_casebooks = st.fixed_dictionaries(
    {
        "claims": st.lists(
            st.tuples(
                st.sampled_from(SOURCES),
                st.sampled_from([None, "i1", "i2"]),
                st.sampled_from(["event:e1", "event:e2"]),
                st.sampled_from(["asserts", "asserts", "denies", "retracts"]),
                st.sampled_from(["first_hand", "hearsay", "documentary"]),
            ),
            min_size=1,
            max_size=14,
        ),
        "derived": st.lists(
            st.tuples(st.integers(1, 6), st.integers(0, 5)).filter(lambda p: p[1] < p[0]),
            max_size=5,
            unique=True,
        ),
        "outlets": st.dictionaries(st.sampled_from(SOURCES), st.sampled_from(["x", "y"])),
    }
)


def _build(case: dict, extra_claims=(), extra_derived=()) -> CaseGraph:
    return graph(
        [*case["claims"], *extra_claims],
        derived=[(SOURCES[a], SOURCES[b]) for a, b in case["derived"]] + list(extra_derived),
        informants={"i1": "victim", "i2": "witness"},
        outlets=case["outlets"],
    )


def _brute_force_lines(outcome, target: str) -> int:
    assessment = outcome.assessment("event", target)
    dependent = {frozenset((d.source, d.other)) for d in assessment.dependencies}
    best = 0
    for size in range(len(assessment.supporting), 0, -1):
        for chosen in itertools.combinations(assessment.supporting, size):
            if all(frozenset(p) not in dependent for p in itertools.combinations(chosen, 2)):
                return size
    return best


@settings(max_examples=150, deadline=None)
@given(random_casebooks)
def test_the_count_is_the_largest_set_of_pairwise_independent_supporters(case) -> None:
    outcome = corroborate(_build(case))
    for kind, target in outcome.targets():
        assessment = outcome.assessment(kind, target)
        assert len(assessment.lines) == _brute_force_lines(outcome, target)
        assert outcome.line_count(kind, target) == len(assessment.lines)
        assert set(assessment.lines) <= set(assessment.supporting)


@settings(max_examples=150, deadline=None)
@given(
    random_casebooks,
    st.sampled_from(SOURCES),
    st.sampled_from(["event:e1", "event:e2", "event:e3"]),
)
def test_adding_a_derivative_never_lowers_a_count(case, origin, target) -> None:
    before = corroborate(_build(case))
    after = corroborate(
        _build(
            case,
            extra_claims=[says("new", target=target, basis="hearsay")],
            extra_derived=[("new", origin)],
        )
    )
    for kind, key in before.targets():
        assert len(after.assessment(kind, key).lines) >= len(before.assessment(kind, key).lines)


def test_max_independent_prefers_originals_and_is_exact_on_a_cycle_of_five() -> None:
    ring = [frozenset({i, (i + 1) % 5}) for i in range(5)]
    chosen, exact = max_independent(ring, [4, 3, 2, 1, 0])
    assert exact
    assert len(chosen) == 2
    assert 4 in chosen  # the most preferred member is kept when the size allows
