"""The shipped codename word lists, checked as data against what the build script promises.

A source writes the codename on paper and carries it through checkpoints, so no word may mark or
shame them, and a source must recall it weeks later, so Russian words are in their dictionary
form. These tests read the files the intake ships and check them with the dictionary the build
uses (pymorphy3, a dev dependency) and their own reading of ``blocklist.txt``: a hand edit or a
faulty build cannot ship a word that endangers or confuses a source.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import pycountry
import pymorphy3
import pytest
from babel import Locale

from testament.crypto.codenames import LANGUAGES, wordlist

WORDLISTS = files("testament.crypto").joinpath("wordlists")  # as the package ships them
PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"}

# Named by the red-team review (issue 11 item 10), or of the same kind.
DANGEROUS = {
    *("лгбт", "лесбиянок", "лесбиянка", "гей", "гомосексуалист", "трансгендер"),
    *("компромат", "кадырова", "кадыров", "путина", "путин", "фсб", "полиция", "избиратель"),
    *("террорист", "теракт", "джихад", "чеченец", "чеченский", "ингуш", "война", "оружие"),
    *("ислам", "мечеть", "церковь", "наркотик", "убийство", "тюрьма", "пытка", "шлюха"),
    *("lesbian", "gay", "queer", "transgender", "jihad", "chechen", "chechnya", "ingush"),
    *("putin", "kremlin", "election", "police", "terrorist", "weapon", "murder", "prison"),
    *("muslim", "mosque", "church", "cocaine", "torture", "asshole", "whore"),
}
JUNK_AND_NAMES = {
    *("nbsp", "http", "didnt", "lmao", "london", "moscow", "john", "obama", "google", "toyota"),
    *("вячеслав", "венского", "москва", "адидас", "вольво", "киевский", "испанец"),
}
INFLECTED = {"флота", "певцов", "ревную", "разберусь", "книгу", "красная", "лампы", "books"}


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def russian_forms(word: str) -> set[str]:
    return {f.word.replace("ё", "е") for p in morph().parse(word) for f in p.lexeme} | {word}


def english_forms(word: str) -> set[str]:
    """The regular inflections the build blocks on: plural, past, -ing, -er."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        plural = word + "es"
    elif word.endswith("y") and word[-2:-1] not in set("aeiou"):
        plural = word[:-1] + "ies"
    else:
        plural = word + "s"
    if word.endswith("e"):
        return {word, plural, word + "d", word[:-1] + "ing", word + "r"}
    return {word, plural, word + "ed", word + "ing", word + "er"}


def forms_of(word: str) -> set[str]:
    return russian_forms(word) if re.fullmatch(r"[а-я]+", word) else english_forms(word)


class Blocklist:
    """``blocklist.txt`` read independently of the build: ``root``, ``^prefix``, ``=word``."""

    def __init__(self, path: Traversable) -> None:
        lines = path.read_text("utf-8").splitlines()
        entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        self.words = [e[1:] for e in entries if e.startswith("=")]
        self.word_forms = {form for word in self.words for form in forms_of(word)}
        self.prefixes = tuple(e[1:] for e in entries if e.startswith("^"))
        self.roots = [e for e in entries if e[0] not in "=^"]
        alternatives = "|".join(map(re.escape, self.roots))
        self.pattern = re.compile(alternatives)

    def blocked_form(self, word: str) -> str | None:
        """A form of ``word`` that the list blocks, or None."""
        for form in sorted(forms_of(word)):
            if (
                form in self.word_forms
                or form.startswith(self.prefixes)
                or self.pattern.search(form)
            ):
                return form
        return None


@pytest.fixture(scope="module")
def blocklist() -> Blocklist:
    return Blocklist(WORDLISTS / "blocklist.txt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_form_of_any_list_word_holds_a_blocked_term(language, blocklist):
    offending = {w: f for w in wordlist(language) if (f := blocklist.blocked_form(w)) is not None}
    assert offending == {}


def test_the_block_list_covers_every_category_in_both_languages():
    text = (WORDLISTS / "blocklist.txt").read_text("utf-8")
    headers = re.findall(r"^# --- (\w+)", text, flags=re.MULTILINE)
    for category in ("Sexuality", "Sex", "Obscenities", "Slurs", "Politics", "Violence"):
        assert category in headers
    for category in ("Weapons", "Terrorism", "Religion", "Ethnicity", "Drugs", "Crime"):
        assert category in headers
    for block in text.split("\n\n")[1:]:
        entries = [line for line in block.splitlines() if not line.startswith("#")]
        assert any(re.match(r"[=^]?[а-я]", e) for e in entries), block.splitlines()[0]
        assert any(re.match(r"[=^]?[a-z]", e) for e in entries), block.splitlines()[0]


def test_the_named_dangerous_words_are_blocked_and_absent(blocklist):
    words = {w for language in LANGUAGES for w in wordlist(language)}
    assert not DANGEROUS & words
    unblocked = sorted(w for w in DANGEROUS if blocklist.blocked_form(w) is None)
    assert unblocked == []


def test_junk_names_and_inflected_forms_are_absent():
    words = {w for language in LANGUAGES for w in wordlist(language)}
    assert not (JUNK_AND_NAMES | INFLECTED) & words


def test_every_russian_word_is_a_common_noun_or_adjective_in_its_dictionary_form():
    analyzer = morph()
    wrong = []
    for word in wordlist("ru"):
        parses = analyzer.parse(word)
        best = parses[0]
        pos = best.tag.POS
        nominative = {"nomn", "sing"} | ({"masc"} if pos == "ADJF" else set())
        if not (
            analyzer.word_is_known(word)
            and pos in {"NOUN", "ADJF"}
            and best.normal_form.replace("ё", "е") == word
            and any(
                p.normal_form == best.normal_form
                and pos == p.tag.POS
                and nominative <= p.tag.grammemes
                for p in parses
            )
            and not any(PROPER & p.tag.grammemes for p in parses)
        ):
            wrong.append((word, str(best.tag)))
    assert wrong == []


def test_no_english_word_is_a_country_region_city_or_language_name():
    locale = Locale("en")
    names = [
        *locale.territories.values(),
        *locale.languages.values(),
        *(zone["city"] for zone in locale.time_zones.values() if "city" in zone),
        *(c.name for c in pycountry.countries),
        *(s.name for s in pycountry.subdivisions),
    ]
    one_word = {n.lower() for n in names if n.isalpha()}
    assert not one_word & set(wordlist("en"))


def test_no_english_word_is_excluded_by_the_reviewed_exclusion_list(request):
    path = request.config.rootpath / "scripts/wordlists/en-exclude.txt"
    lines = path.read_text("utf-8").splitlines()
    excluded = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert len(excluded) > 10_000
    assert not excluded & set(wordlist("en"))


def test_russian_forms_are_declensions_of_their_list_word():
    analyzer = morph()
    forms_file = (WORDLISTS / "ru.forms.txt").read_text("utf-8").splitlines()
    wrong = []
    for line in forms_file:
        word, *forms = line.split()
        for form in forms:
            if not any(p.normal_form.replace("ё", "е") == word for p in analyzer.parse(form)):
                wrong.append((form, word))
    assert wrong == []


def test_english_forms_are_plurals_of_their_list_word():
    for line in (WORDLISTS / "en.forms.txt").read_text("utf-8").splitlines():
        word, *forms = line.split()
        assert set(forms) <= {word + "s", word + "es", word[:-1] + "ies"}, line
