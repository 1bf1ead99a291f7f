"""Coding a passage into records (``desk.coding``), without a web page or a database: the
excerpt found in the text, dates read from words, regions checked, the records one form makes."""

from __future__ import annotations

import itertools

import pytest

from testament.core.records import Source
from testament.desk import coding, regions

TEXT = "They took Ruslan\nat night.  Later they took   Ruslan\tat night again."
LEVELS = frozenset({"public", "restricted"})


def source(text: str = TEXT, **fields: str) -> Source:
    return Source(id="t-1", kind="testimony", text=text, **fields)  # type: ignore[arg-type]


def counter():
    numbers = itertools.count(1)
    return lambda record_type: f"{record_type}-{next(numbers)}"


def sees(*visible: str):
    """A researcher who may see exactly these ids."""
    return lambda _types, record_id: record_id in visible


def full_form(**changes: str) -> dict[str, str]:
    form = {
        "excerpt": "Later they took Ruslan at night",
        "stance": "asserts",
        "basis": "first_hand",
        "confidentiality": "restricted",
        "target": "act",
        "event.title": "Night detentions",
        "act.act_type": "abduction",
        "act.status_at_end": "disappeared",
        "victim": "person",
        "person.pseudonym": "R.",
        "person.sex": "male",
        "perp1.name": "Kadyrovtsy",
        "perp1.org_type": "state_security",
        "perp1.degree": "directly_carried_out",
        "place": "new",
        "place.name": "Grozny",
        "place.country": "RU",
        "place.region": "RU-CE",
        "place.precision": "settlement",
        "date.as_reported": "late 2013",
    }
    return form | changes


def plan(form: dict[str, str], *, text: str = TEXT, seen=None):
    return coding.plan(
        form, source(text), allowed_levels=LEVELS, seen=seen or sees(), new_id=counter()
    )


# -- the excerpt --------------------------------------------------------------------------------


def test_an_excerpt_is_found_whatever_whitespace_separates_its_words():
    assert coding.find_excerpt(TEXT, "took Ruslan at night.") == [(5, 26)]
    assert coding.find_excerpt(TEXT, "  Later they\n took Ruslan ") == [(28, 52)]
    assert coding.find_excerpt(TEXT, "took Ruslan at night") == [(5, 25), (39, 61)]


def test_words_that_are_not_in_the_text_are_not_found():
    assert coding.find_excerpt(TEXT, "took Aslan") == []
    assert coding.find_excerpt(TEXT, "   ") == []
    assert coding.find_excerpt(TEXT, "took.*night") == []  # typed words, not a pattern


def test_the_claim_keeps_the_sources_own_characters_and_their_span():
    result = plan(full_form())
    assert result.ok, result.problems
    claim = result.records[-1]
    assert claim.type == "claim"
    assert claim.excerpt == "Later they took   Ruslan\tat night"
    assert (claim.span.start, claim.span.end) == (28, 61)
    assert TEXT[28:61] == claim.excerpt


def test_an_excerpt_not_in_the_text_is_a_problem_on_that_field():
    result = plan(full_form(excerpt="they took Aslan"))
    assert not result.ok
    assert [p.kind for p in result.problems["excerpt"]] == ["excerpt_not_found"]
    assert result.records == [] or all(r.type != "claim" for r in result.records)


def test_several_occurrences_are_listed_with_context_until_one_is_chosen():
    asked = plan(full_form(excerpt="took Ruslan at night"))
    assert [p.kind for p in asked.problems["occurrence"]] == ["excerpt_ambiguous"]
    assert asked.problems["occurrence"][0].context == {"count": "2"}
    assert [(o.start, o.end) for o in asked.occurrences] == [(5, 25), (39, 61)]
    assert asked.occurrences[1].before.endswith("Later they ")
    chosen = plan(full_form(excerpt="took Ruslan at night", occurrence="2"))
    assert chosen.ok, chosen.problems
    assert chosen.records[-1].span.start == 39


def test_explicit_offsets_take_the_place_of_the_words():
    result = plan(full_form(excerpt="", **{"span.start": "0", "span.end": "16"}))
    assert result.ok, result.problems
    assert result.records[-1].excerpt == "They took Ruslan"
    wrong = plan(full_form(**{"span.start": "10", "span.end": "999"}))
    assert [p.kind for p in wrong.problems["span.start"]] == ["span_range"]


def test_marks_cut_the_text_around_coded_passages_overlaps_included():
    segments = coding.marked("abcdefgh", [("c1", 1, 4), ("c2", 3, 6), ("c3", 5, 99)])
    assert [(s.text, s.claim_ids) for s in segments] == [
        ("a", ()),
        ("bc", ("c1",)),
        ("d", ("c1", "c2")),
        ("ef", ("c2",)),
        ("gh", ()),
    ]


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "edtf"),
    [("late 2013", "2013-09~/2013-12~"), ("в конце 2013 года", "2013-09~/2013-12~")],
)
def test_words_as_reported_become_edtf(words, edtf):
    coded = coding.code_date(words, "")
    assert coded.problem is None
    assert coded.edtf == edtf
    assert coded.date is not None
    assert (coded.date.edtf, coded.date.as_reported) == (edtf, words)


def test_the_edtf_read_from_words_is_shown_in_the_preview():
    result = plan(full_form())
    assert result.filled == {"date.edtf": "2013-09~/2013-12~"}
    event = next(r for r in result.records if r.type == "event")
    assert event.date.as_reported == "late 2013"


def test_words_that_cannot_be_read_ask_for_an_edtf_value():
    coded = coding.code_date("the day the snow came", "")
    assert coded.problem is not None
    assert coded.problem.kind == "date_words"
    result = plan(full_form(**{"date.as_reported": "the day the snow came"}))
    assert [p.kind for p in result.problems["date.edtf"]] == ["date_words"]
    typed = plan(full_form(**{"date.as_reported": "the day the snow came", "date.edtf": "2014"}))
    assert typed.ok, typed.problems


def test_a_bad_edtf_typed_by_hand_is_a_problem_not_an_error():
    result = plan(full_form(**{"date.edtf": "2013-02-30"}))
    assert [p.kind for p in result.problems["date.edtf"]] == ["edtf"]
    assert plan(full_form(**{"date.edtf": "late"})).problems["date.edtf"][0].kind == "edtf"


# -- places -----------------------------------------------------------------------------------


def test_real_iso_3166_2_codes_only():
    assert regions.is_region("RU-CE")
    assert not regions.is_region("RU-XX")
    assert coding.region_problem("RU-CE", "RU") is None
    assert coding.region_problem("RU-XX", "RU").kind == "iso3166_2"
    assert coding.region_problem("GE-TB", "RU").kind == "region_country"
    assert plan(full_form(**{"place.region": "RU-XX"})).problems["place.region"][0].kind == (
        "iso3166_2"
    )


def test_regions_and_countries_are_named_in_the_readers_language():
    assert regions.Place("RU-CE", "Чеченская республика") in regions.regions("RU", "ru")
    assert regions.Place("RU-CE", "Chechenskaya Respublika") in regions.regions("RU", "en")
    assert regions.Place("RU", "Российская Федерация") in regions.countries("ru")
    assert regions.regions("XX", "en") == ()


# -- the records ------------------------------------------------------------------------------


def test_a_full_form_makes_every_record_the_claim_needs_referring_to_each_other():
    result = plan(full_form())
    assert result.ok, result.problems
    by_type = {record.type: record for record in result.records}
    assert [r.type for r in result.records] == [
        "place",
        "organisation",
        "person",
        "event",
        "act",
        "involvement",
        "claim",
    ]
    place, act, claim = by_type["place"], by_type["act"], by_type["claim"]
    assert place.iso3166_2 == "RU-CE"
    assert act.event_id == by_type["event"].id
    assert act.victim_id == by_type["person"].id
    assert act.place_id == place.id == by_type["event"].place_id
    assert by_type["involvement"].perpetrator_id == by_type["organisation"].id
    assert by_type["involvement"].act_id == act.id
    assert (claim.target_kind, claim.target_id, claim.source_id) == ("act", act.id, "t-1")
    assert {r.confidentiality.value for r in result.records} == {"restricted"}
    assert result.claim_id == claim.id


def test_an_existing_target_is_referred_to_only_when_the_researcher_may_see_it():
    form = {
        "excerpt": "They took Ruslan",
        "stance": "asserts",
        "basis": "hearsay",
        "confidentiality": "public",
        "target": "existing",
        "target_pick": "event:ev-1",
    }
    seen = plan(form, seen=sees("ev-1"))
    assert seen.ok
    assert [r.type for r in seen.records] == ["claim"]
    hidden = plan(form, seen=sees())
    assert [p.kind for p in hidden.problems["target_id"]] == ["unseen_reference"]
    assert hidden.records == []


def test_hidden_ids_anywhere_in_the_form_are_unknown():
    form = full_form(
        informant_id="inf-9",
        victim="existing",
        **{"victim.id": "p-9", "perp2.id": "org-9", "place": "existing", "place.id": "pl-9"},
    )
    result = plan(form)
    for name in ("informant_id", "victim.id", "perp2.id", "place.id"):
        assert [p.kind for p in result.problems[name]] == ["unseen_reference"], name
    assert result.claim_id is None


def test_a_problem_in_the_last_section_leaves_nothing_to_save():
    result = plan(full_form(**{"perp1.degree": "bystander"}))
    assert not result.ok
    assert list(result.problems) == ["perp1.degree"]
    assert result.claim_id is None


def test_levels_the_researcher_may_not_give_are_refused():
    result = plan(full_form(confidentiality="secret"))
    assert [p.kind for p in result.problems["confidentiality"]] == ["level_not_allowed"]


def test_a_testimonys_claims_default_to_restricted_an_articles_to_its_own_level():
    assert coding.default_level(source(confidentiality="public")).value == "restricted"
    assert coding.default_level(source(confidentiality="secret")).value == "secret"
    article = Source(id="a", kind="news_article", confidentiality="public", text="x")
    assert coding.default_level(article).value == "public"


def test_new_ids_follow_the_type_prefixes_and_differ():
    first, second = coding.random_id("event"), coding.random_id("event")
    assert first.startswith("ev-")
    assert first != second


def test_a_claim_quoting_a_source_is_never_less_confidential_than_the_source():
    # a public event may be coded from a secret testimony; the quoted passage stays secret
    secret = Source(id="t-s", kind="testimony", confidentiality="secret", text=TEXT)
    result = coding.plan(
        full_form(confidentiality="public"),
        secret,
        allowed_levels=frozenset({"public", "restricted", "secret"}),
        seen=sees(),
        new_id=counter(),
    )
    assert result.ok
    levels = {record.type: record.confidentiality.value for record in result.records}
    assert levels.pop("claim") == "secret"
    assert set(levels.values()) == {"public"}
    assert coding.claim_level("public", source(confidentiality="public")) == "restricted"
    assert coding.claim_level("secret", source(confidentiality="public")) == "secret"
    article = Source(id="a", kind="news_article", confidentiality="public", text="x")
    assert coding.claim_level("public", article) == "public"
