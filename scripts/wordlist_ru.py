"""Russian codename words: common nouns and adjectives in their dictionary form (pymorphy3).

Why: Russian inflects every noun and adjective, and a list of raw frequent words is full of
forms (``флота``, ``певцов``, ``ревную``) and proper names (``вячеслав``, ``кадырова``) that a
source cannot recall exactly. A word is kept only when pymorphy3's dictionary knows it and its
most probable parse is a noun or an adjective whose normal form is the word itself, in the
nominative singular (masculine for adjectives): the form a dictionary prints, the one a Russian
speaker names a thing by. Also rejected:

- a word with any proper-name, place, organisation, trade-mark or abbreviation parse, however
  unlikely that parse (``вера`` is also a given name, ``орел`` a town);
- a most probable parse marked slang, informal, archaic, erroneous or distorted, pronominal,
  interrogative, demonstrative, or indeclinable (``вольво``, ``ауди``, ``атташе``: mostly
  foreign names and words whose spelling a source would have to guess);
- words made from names of places, peoples and persons, which pymorphy3 does not tag: every
  adjective in -ский/-цкий/-ской/-цкой (``киевский``, ``чеченский``, ``путинский``; the few
  innocent ones, ``детский``, are not worth the risk), every possessive adjective in -ов, -ев,
  -ин or -ын (``кесарев``, ``калинкин``; animal ones, ``волчий``, stay), every noun in -анин,
  -янин, -анка or -янка (``киевлянин``, ``дончанка``), a noun in -ец whose stem names a place
  (``испанец``: ``испания``), and the one-word language and country names of Babel's Russian
  locale data.

Candidates are ordered by the frequency of the whole lexeme (wordfreq's frequencies of every
form whose most probable parse has that dictionary form), not of the nominative alone: a word
met mostly in other cases (``рейс``) is as well known as one met in the nominative.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pymorphy3
import wordfreq
from babel import Locale

# Any parse with one of these makes the word a name, a place, an organisation or an abbreviation.
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})
# The most probable parse must not be marked with one of these (style, or not a content word).
UNUSUAL = frozenset(
    {"Infr", "Slng", "Arch", "Litr", "Erro", "Dist", "Hypo", "Apro", "Ques", "Dmns", "Prnt", "Fixd"}
)
RELATIONAL_ADJECTIVE = re.compile(r".*(ский|цкий|ской|цкой)")
INHABITANT = re.compile(r".*(анин|янин|анка|янка)")
POSSESSIVE_OF_PERSON = re.compile(r".*(ов|ев|ин|ын)")
# Forms that log-in accepts for a list word: its own part of speech, no superlatives.
TYPED_POS = frozenset({"NOUN", "ADJF"})


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def fold(word: str) -> str:
    return word.replace("ё", "е")


def frequent_words() -> list[str]:
    """Dictionary forms, most frequent lexeme first (ties in alphabetical order)."""
    analyzer = morph()
    lexeme_frequency: defaultdict[str, float] = defaultdict(float)
    for word, frequency in wordfreq.get_frequency_dict("ru").items():
        if word.isalpha():
            lexeme_frequency[fold(analyzer.parse(word)[0].normal_form)] += frequency
    return sorted(lexeme_frequency, key=lambda lemma: (-lexeme_frequency[lemma], lemma))


@cache
def cldr_names() -> frozenset[str]:
    """One-word language and territory names in Russian (``чеченский``, ``россия``)."""
    locale = Locale("ru")
    names = [*locale.languages.values(), *locale.territories.values()]
    return frozenset(fold(n.lower()) for n in names if n.isalpha())


def names_a_place(stem: str) -> bool:
    """Whether ``stem`` (of испанец, кениец) is, or with -ия/-я/-а makes, a place name."""
    analyzer = morph()
    places = {stem, stem + "ия", stem + "я", stem + "а", stem[:-1] + "а", stem[:-1] + "ия"}
    return any("Geox" in p.tag.grammemes for place in places for p in analyzer.parse(place))


def acceptable(word: str) -> bool:
    """A known common noun or adjective in the nominative singular of its dictionary form."""
    analyzer = morph()
    if not analyzer.word_is_known(word):
        return False
    parses = analyzer.parse(word)
    best = parses[0]
    pos = best.tag.POS
    if pos not in {"NOUN", "ADJF"} or fold(best.normal_form) != word:
        return False
    if any(PROPER & p.tag.grammemes for p in parses) or UNUSUAL & best.tag.grammemes:
        return False
    nominative = {"nomn", "sing"} | ({"masc"} if pos == "ADJF" else set())
    if not any(
        pos == p.tag.POS and p.normal_form == best.normal_form and nominative <= p.tag.grammemes
        for p in parses
    ):
        return False
    if pos == "ADJF" and (
        RELATIONAL_ADJECTIVE.fullmatch(word)
        or ("Poss" in best.tag.grammemes and POSSESSIVE_OF_PERSON.fullmatch(word))
    ):
        return False
    if pos == "NOUN" and (
        INHABITANT.fullmatch(word) or (word.endswith("ец") and names_a_place(word[:-2]))
    ):
        return False
    return not (forms(word) & cldr_names())


@cache
def forms(word: str) -> set[str]:
    """Every form of every lexeme the word may belong to (for the block list and CLDR names)."""
    return {fold(f.word) for p in morph().parse(word) for f in p.lexeme}


def typed_forms(word: str) -> set[str]:
    """The forms of the list word's own lexeme that a source may type instead of it.

    Declension only (cases, numbers, and genders for adjectives): a source who recalls
    ``красная книгу`` means ``красный книга``. No comparatives, short forms or superlatives.
    """
    best = morph().parse(word)[0]
    return {
        fold(f.word)
        for f in best.lexeme
        if f.tag.POS in TYPED_POS and "Supr" not in f.tag.grammemes and f.word.isalpha()
    }
