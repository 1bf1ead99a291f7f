# ruff: noqa: T201  -- a maintainer's script reports what it built
"""Build the codename word lists shipped in ``src/testament/crypto/wordlists/``.

Run by a maintainer (``.venv/bin/python scripts/build_wordlists.py``) after changing an input;
the output is data in the repository, so the intake never needs wordfreq, pymorphy3 or Babel.
The same inputs and the locked package versions give the same files, byte for byte.

Why the rules: a source learns 7 words by heart or writes them on paper, in fear, and types them
weeks later. The words must be common, in the form a dictionary prints them, and harmless to be
found carrying. Each list has ``WORDS_PER_LIST`` = 8,192 words (13 bits each, 91 bits for the
7-word codename), taken in order of frequency (wordfreq; for Russian, of the whole lexeme) among
the words that pass:

- the language's own lowercase letters (Cyrillic for Russian, a-z for English), 4-9 letters, a
  vowel, never one letter three times in a row; ё is written е, as log-in folds them;
- Russian (``wordlist_ru``): a common noun or adjective in its dictionary form, per pymorphy3;
  English (``wordlist_en``): no part-of-speech data is available without a new dependency, so
  frequency, name and place signals and a reviewed exclusion list (see that module);
- no term of the reviewed block list (``blocklist.txt``) in ANY inflected form of the word;
- no near-duplicates: no two words share their first five letters or are one edit apart (a
  letter added, removed or replaced), so that two words of a codename are never confused.

Beside each list, ``<language>.forms.txt`` lets log-in accept a word typed in another form
(``книгу`` for ``книга``): each line is a list word and its forms. A form is left out when it
belongs to two list words, is itself a word of any list, or is a word of a retired list
(``scripts/wordlists/retired/``): codenames drawn from a retired list must keep hashing as they
were typed. Before replacing a list, copy the shipped one there as ``<language>-<n>.txt``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import wordlist_en
import wordlist_ru

WORDS_PER_LIST = 8192
HERE = Path(__file__).resolve().parent
INPUTS = HERE / "wordlists"
OUT = HERE.parent / "src" / "testament" / "crypto" / "wordlists"
PREFIX = 5
LANGUAGES = {"en": wordlist_en, "ru": wordlist_ru}
# 4-9 of the language's letters with a vowel (no "nbsp", "лгбт"), and no letter three times in a
# row ("аааа", "zzz": interjections, hard to count when typing).
SHAPES = {
    "en": re.compile(r"(?=.*[aeiouy])[a-z]{4,9}"),
    "ru": re.compile(r"(?=.*[аеиоуыэюя])[а-я]{4,9}"),
}
TRIPLE = re.compile(r"(.)\1\1")

Forms = Callable[[str], set[str]]


@dataclass(frozen=True, slots=True)
class Blocklist:
    """``blocklist.txt``: roots found anywhere or at the start, and whole words with their forms."""

    pattern: re.Pattern[str]
    forms: frozenset[str]

    def blocks(self, forms: set[str]) -> bool:
        return not self.forms.isdisjoint(forms) or any(map(self.pattern.search, forms))


def read_words(path: Path) -> list[str]:
    """The words of a data file: one a line, ``#`` starts a comment, ё written е."""
    lines = path.read_text(encoding="utf-8").splitlines()
    words = (line.split("#", 1)[0].strip().lower().replace("ё", "е") for line in lines)
    return [word for word in words if word]


def read_blocklist(path: Path, forms_of: dict[str, Forms]) -> Blocklist:
    """Parse the block list; ``=word`` entries are expanded to their forms in their language."""
    terms: list[str] = []
    forms: set[str] = set()
    for entry in read_words(path):
        if entry.startswith("="):
            forms |= forms_of[language_of(entry[1:])](entry[1:])
        elif entry.startswith("^"):
            terms.append("^" + re.escape(entry[1:]))
        else:
            terms.append(re.escape(entry))
    return Blocklist(re.compile("|".join(terms)), frozenset(forms))


def language_of(word: str) -> str:
    if re.fullmatch(r"[а-я]+", word):
        return "ru"
    if re.fullmatch(r"[a-z]+", word):
        return "en"
    raise SystemExit(f"block list entry {word!r} is neither Russian nor English letters")


def deletions(word: str) -> set[str]:
    """The word with one letter removed, at each place."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def replacements(word: str) -> set[tuple[int, str]]:
    """Each place with the word without its letter there: two words that share one of these
    differ by one replaced letter."""
    return {(i, word[:i] + word[i + 1 :]) for i in range(len(word))}


def choose(language: str, candidates: Iterable[str]) -> tuple[list[str], int]:
    """The first ``WORDS_PER_LIST`` candidates that are not too close to an earlier one, sorted,
    and how many candidates were read to find them.

    Too close: the same first ``PREFIX`` letters, or one edit apart, that is one word is the
    other with a letter added or removed (``lamp``, ``lamps``) or replaced (``book``, ``look``).
    """
    kept: list[str] = []
    kept_set: set[str] = set()
    prefixes: set[str] = set()
    removed: set[str] = set()  # every kept word with one letter removed
    replaced: set[tuple[int, str]] = set()
    for read, word in enumerate(candidates, start=1):
        word_deletions = deletions(word)
        word_replacements = replacements(word)
        if (
            word[:PREFIX] in prefixes
            or word in removed
            or not word_deletions.isdisjoint(kept_set)
            or not word_replacements.isdisjoint(replaced)
        ):
            continue
        kept.append(word)
        kept_set.add(word)
        prefixes.add(word[:PREFIX])
        removed |= word_deletions
        replaced |= word_replacements
        if len(kept) == WORDS_PER_LIST:
            return sorted(kept), read
    raise SystemExit(f"{language}: only {len(kept)} words pass the filters")


def typed_forms(words: list[str], forms_of: Forms, reserved: set[str]) -> dict[str, list[str]]:
    """Each list word's other forms that log-in may map to it, without any ambiguous form."""
    forms = {word: sorted(forms_of(word) - {word}) for word in words}
    owners = Counter(form for word_forms in forms.values() for form in word_forms)
    return {
        word: kept
        for word, word_forms in forms.items()
        if (kept := [f for f in word_forms if owners[f] == 1 and f not in reserved])
    }


def write(path: Path, lines: Iterable[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def candidates(language: str, blocklist: Blocklist, excluded: set[str]) -> Iterator[str]:
    """The words of ``language`` that pass every rule but the near-duplicate one, by frequency."""
    module = LANGUAGES[language]
    shape = SHAPES[language]
    seen: set[str] = set()
    for raw in module.frequent_words():
        word = raw.lower().replace("ё", "е")
        if word in seen or not shape.fullmatch(word) or TRIPLE.search(word) or word in excluded:
            continue
        seen.add(word)
        if module.acceptable(word) and not blocklist.blocks(module.forms(word) | {word}):
            yield word


def main() -> None:
    blocklist = read_blocklist(
        OUT / "blocklist.txt", {lang: module.forms for lang, module in LANGUAGES.items()}
    )
    retired = {w for path in sorted((INPUTS / "retired").glob("*.txt")) for w in read_words(path)}
    excluded = {lang: set(read_words(INPUTS / f"{lang}-exclude.txt")) for lang in LANGUAGES}
    chosen = {lang: choose(lang, candidates(lang, blocklist, excluded[lang])) for lang in LANGUAGES}
    reserved = retired | {word for words, _ in chosen.values() for word in words}
    for lang, (words, read) in chosen.items():
        forms = typed_forms(words, LANGUAGES[lang].typed_forms, reserved)
        write(OUT / f"{lang}.txt", words)
        write(OUT / f"{lang}.forms.txt", (" ".join([w, *forms[w]]) for w in words if w in forms))
        count = sum(map(len, forms.values()))
        print(f"{lang}: {len(words)} words of the first {read} candidates, {count} forms")
        print(f"    e.g. {' '.join(words[::1024])}")


if __name__ == "__main__":
    main()
