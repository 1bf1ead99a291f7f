# ruff: noqa: T201  -- a maintainer's script reports what it built
"""Build the codename word lists shipped in ``src/testament/crypto/wordlists/``.

Run once by a maintainer (``.venv/bin/python scripts/build_wordlists.py``); the lists are data in
the repository, so the running intake never needs wordfreq. Each list has exactly
``WORDS_PER_LIST`` = 8,192 words (13 bits per word, 91 bits for a 7-word codename), chosen from
the most frequent words of the language so that sources know and can type them:

- only the language's own lowercase letters (Cyrillic for Russian, a-z for English), 4-9 letters,
  never one letter three times in a row;
- ё is written е, because log-in treats them as one letter and two words must not collide;
- no blocked root (``blocklist.txt``: obscenities, slurs, words dangerous to carry in one's head);
- no near-duplicates: a word is dropped when a kept word has the same first five letters (this
  removes the inflected forms of one Russian word: книга/книги/книгу) or is one edit away
  (insert, delete or substitute one letter: cat/cart/bat).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import wordfreq

WORDS_PER_LIST = 8192
CANDIDATES = 200_000
HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "testament" / "crypto" / "wordlists"
LETTERS = {"ru": re.compile(r"[а-я]{4,9}"), "en": re.compile(r"[a-z]{4,9}")}
PREFIX = 5
TRIPLE = re.compile(r"(.)\1\1")  # "аааа", "zzz": interjections, hard to count when typing


def blocked_roots() -> list[str]:
    lines = (OUT / "blocklist.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip().replace("ё", "е") for line in lines if line.strip() and line[0] != "#"]


def deletion_keys(word: str) -> Iterator[str]:
    """The word and every form of it with one letter removed.

    Two words are at most one edit apart exactly when their key sets meet (a substitution at i
    gives both the same deletion at i; an insertion makes one word a deletion of the other).
    """
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def choose(language: str, candidates: Iterable[str], blocked: list[str]) -> list[str]:
    letters = LETTERS[language]
    kept: list[str] = []
    prefixes: set[str] = set()
    keys: set[str] = set()
    for raw in candidates:
        word = raw.lower().replace("ё", "е")
        if not letters.fullmatch(word) or TRIPLE.search(word) or any(r in word for r in blocked):
            continue
        word_keys = set(deletion_keys(word))
        if word[:PREFIX] in prefixes or word_keys & keys:
            continue
        kept.append(word)
        prefixes.add(word[:PREFIX])
        keys |= word_keys
        if len(kept) == WORDS_PER_LIST:
            return sorted(kept)
    raise SystemExit(f"{language}: only {len(kept)} words pass the filters; raise CANDIDATES")


def main() -> None:
    blocked = blocked_roots()
    for language in ("en", "ru"):
        words = choose(language, wordfreq.top_n_list(language, CANDIDATES), blocked)
        (OUT / f"{language}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        print(f"{language}: {len(words)} words, e.g. {' '.join(words[::1024])}")


if __name__ == "__main__":
    main()
