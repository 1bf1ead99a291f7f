"""The controlled vocabularies' data files: exact codes and order, bilingual labels, ESF codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

VOCABULARY_DIR = Path(__file__).resolve().parents[2] / "src" / "testament" / "core" / "vocabularies"

EXPECTED_CODES: dict[str, list[str]] = {
    "source_kind": [
        "testimony",
        "intermediary_interview",
        "news_article",
        "ngo_report",
        "official_statement",
        "court_record",
        "medical_record",
        "photo_video",
        "social_post",
        "other",
    ],
    "informant_connection": ["victim", "witness", "relative", "perpetrator", "third_party"],
    "reliability": ["A", "B", "C", "D", "E", "F"],
    "risk_level": ["low", "medium", "high", "extreme"],
    "stance": [
        "asserts",
        "acknowledges",
        "denies",
        "denies_responsibility",
        "alternative_explanation",
        "retracts",
    ],
    "basis": ["first_hand", "hearsay", "documentary"],
    "act_type": [
        "killing",
        "death_in_custody",
        "torture",
        "ill_treatment",
        "sexual_violence",
        "threat",
        "arbitrary_arrest",
        "arbitrary_detention",
        "enforced_disappearance",
        "abduction",
        "forced_outing",
        "blackmail",
        "entrapment",
        "extortion",
        "forced_displacement",
        "surveillance",
        "other",
    ],
    "involvement_degree": [
        "directly_carried_out",
        "ordered",
        "participated",
        "suspected",
        "failure_to_protect",
        "covered_up",
    ],
    "organisation_type": [
        "state_security",
        "police",
        "military",
        "local_administration",
        "judiciary",
        "family",
        "non_state",
        "other",
    ],
    "sex": ["male", "female", "other", "unknown"],
    "age_band": [
        "child",
        "young_adult",
        "adult_25_34",
        "adult_35_44",
        "adult_45_59",
        "older",
        "unknown",
    ],
    "act_status_at_end": [
        "released",
        "still_detained",
        "dead",
        "disappeared",
        "fled",
        "injured",
        "unknown",
    ],
    "place_precision": ["exact", "settlement", "district", "region", "country"],
    "confidentiality": ["public", "restricted", "secret"],
    "event_relation": ["caused", "followed", "part_of", "retaliation_for", "related"],
}

# Vocabularies that map to a HURIDOCS ESF micro-thesaurus, with its number.
EXPECTED_THESAURUS = {
    "source_kind": "16",
    "informant_connection": "19",
    "act_type": "04",
    "involvement_degree": "18",
    "sex": "39",
    "act_status_at_end": "25",
    "event_relation": "22",
}

# Terms that have no ESF counterpart: an invented code here would be wrong.
MUST_BE_NULL = {("act_type", "forced_outing"), ("act_type", "entrapment")}

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
DIGITS = re.compile(r"^[0-9]+$")


def load(name: str) -> dict[str, Any]:
    path = VOCABULARY_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def check_label(label: Any, where: str) -> None:
    assert isinstance(label, dict), f"{where}: label must be an object"
    assert set(label) == {"en", "ru"}, f"{where}: label must have exactly en and ru"
    for language in ("en", "ru"):
        assert isinstance(label[language], str), f"{where}: {language} label must be a string"
        assert label[language].strip(), f"{where}: {language} label is empty"
    assert CYRILLIC.search(label["ru"]), f"{where}: Russian label has no Cyrillic"


def test_the_folder_holds_exactly_the_listed_vocabularies():
    names = sorted(path.stem for path in VOCABULARY_DIR.glob("*.json"))
    assert names == sorted(EXPECTED_CODES)
    assert "language" not in names  # BCP 47 tags, not a vocabulary


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_file_is_valid_utf8_json_named_after_itself(name):
    raw = (VOCABULARY_DIR / f"{name}.json").read_bytes()
    data = json.loads(raw.decode("utf-8"))
    assert data["name"] == name
    check_label(data["label"], name)


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_codes_are_exactly_the_listed_ones_in_order_without_duplicates(name):
    codes = [term["code"] for term in load(name)["terms"]]
    assert len(codes) == len(set(codes)), f"{name}: duplicate codes"
    assert codes == EXPECTED_CODES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_every_term_has_english_and_russian_labels(name):
    for term in load(name)["terms"]:
        where = f"{name}.{term['code']}"
        check_label(term["label"], where)
        if "description" in term:
            check_label(term["description"], f"{where} description")
        assert set(term) <= {"code", "label", "esf_code", "description"}, where


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_esf_codes_are_digit_strings_or_null(name):
    data = load(name)
    thesaurus = data["esf_thesaurus"]
    for term in data["terms"]:
        assert "esf_code" in term, f"{name}.{term['code']}: esf_code missing (use null)"
        esf_code = term["esf_code"]
        assert esf_code is None or (isinstance(esf_code, str) and DIGITS.match(esf_code)), (
            f"{name}.{term['code']}: {esf_code!r}"
        )
        if thesaurus is None:
            assert esf_code is None, f"{name}.{term['code']}: ESF code without a thesaurus"


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_thesaurus_is_the_expected_esf_micro_thesaurus_or_null(name):
    thesaurus = load(name)["esf_thesaurus"]
    if name not in EXPECTED_THESAURUS:
        assert thesaurus is None
        return
    assert set(thesaurus) == {"number", "name"}
    assert thesaurus["number"] == EXPECTED_THESAURUS[name]
    assert DIGITS.match(thesaurus["number"])
    assert thesaurus["name"].strip()


def test_terms_without_an_esf_counterpart_have_null_codes():
    for name, code in MUST_BE_NULL:
        term = next(term for term in load(name)["terms"] if term["code"] == code)
        assert term["esf_code"] is None, f"{name}.{code}"


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_file_is_two_space_indented(name):
    text = (VOCABULARY_DIR / f"{name}.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
