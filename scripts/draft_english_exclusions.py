# ruff: noqa: T201  -- a maintainer's script reports what it drafted
"""Redraft the SCOWL sections of ``scripts/wordlists/en-exclude.txt``, then read them through.

Why: English names, brands and places are frequent in wordfreq's lower-cased data, and the
project has no English dictionary. Debian's SCOWL word lists (``apt-get install wamerican-large
wbritish-large``) write proper nouns with a capital letter and leave out chat spellings,
abbreviations and most names. This script takes the first ``POOL`` candidates of the English
build (every rule but the near-duplicate one, without these two sections) and writes back:

- "Proper nouns": candidates that SCOWL has only with a capital letter;
- "Not in SCOWL": candidates that SCOWL does not have at all.

The other sections (function words, words read in the built list) are kept as they are. SCOWL is
needed only here: the build reads the committed file. Run the build afterwards: the number of
candidates it reports having read must stay below the number of candidates this script reports
as left, or the list reaches words that nobody drafted; then raise ``POOL``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import build_wordlists as build

POOL = 32_000
SCOWL = (
    Path("/usr/share/dict/american-english-large"),
    Path("/usr/share/dict/british-english-large"),
)
PATH = build.INPUTS / "en-exclude.txt"
PROPER, MISSING = "# Proper nouns", "# Not in SCOWL"


def scowl() -> tuple[set[str], set[str]]:
    """Words SCOWL writes in lower case, and words it writes only with a capital letter."""
    lower: set[str] = set()
    capital: set[str] = set()
    for path in SCOWL:
        for word in path.read_text(encoding="utf-8").split():
            if not word.endswith("'s"):
                (lower if word.islower() else capital).add(word.lower())
    return lower, capital - lower


def main() -> None:
    if not all(path.exists() for path in SCOWL):
        sys.exit("install Debian's wamerican-large and wbritish-large first")
    sections = PATH.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    drafted = [i for i, s in enumerate(sections) if s.startswith((PROPER, MISSING))]
    kept = {w for i, s in enumerate(sections) if i not in drafted for w in s.split("\n")}
    blocklist = build.read_blocklist(
        build.OUT / "blocklist.txt", {lang: m.forms for lang, m in build.LANGUAGES.items()}
    )
    pool: list[str] = []
    for word in build.candidates("en", blocklist, {w for w in kept if not w.startswith("#")}):
        pool.append(word)
        if len(pool) == POOL:
            break
    lower, capital = scowl()
    words = {
        PROPER: sorted(w for w in pool if w in capital),
        MISSING: sorted(w for w in pool if w not in lower and w not in capital),
    }
    for i in drafted:
        header = [line for line in sections[i].split("\n") if line.startswith("#")]
        sections[i] = "\n".join(header + words[PROPER if header[0].startswith(PROPER) else MISSING])
    PATH.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    left = POOL - len(words[PROPER]) - len(words[MISSING])
    print(f"of {POOL} candidates: {len(words[PROPER])} proper nouns, ", end="")
    print(f"{len(words[MISSING])} not in SCOWL, {left} left")


if __name__ == "__main__":
    main()
