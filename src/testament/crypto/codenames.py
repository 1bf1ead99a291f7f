"""Codenames: how a source proves, weeks later, that they are the same source — without an account.

A codename is ``WORDS_PER_CODENAME`` words drawn with ``secrets`` from a list of 8,192 common words
in the source's language (13 bits each, 91 bits in all; a shorter list would get more words, see
``words_per_codename``). The words are harmless to be found carrying and written in their
dictionary form (``scripts/build_wordlists.py`` says how the lists are made). A codename is shown
once and never stored: the intake keeps only what argon2id derives from it, with the instance
pepper as salt:

    argon2id(normalised codename, salt = pepper) -> 64 bytes
        bytes  0..31  the lookup id (hex), the only thing that finds the source's row
        bytes 32..63  the seed of the source's own X25519 age identity, so the desk can
                      encrypt replies to the source and only a logged-in source can read them

argon2id parameters (``RECOMMENDED_KDF``: 64 MiB, 3 passes, 1 lane, about 0.15 s on one core):

- The server, not the source's phone, pays for the KDF (the pages work without JavaScript), so
  a phone on Tor waits only the round trip plus 0.15 s.
- Against seizure of the intake a codename's 91 bits already make guessing hopeless; argon2id
  multiplies each guess by ~2^27 operations and 64 MiB, which also protects a codename that was
  partly exposed (a photographed note, a few words remembered by someone else).
- The cost that matters is abuse: each log-in costs the server 64 MiB for 0.15 s, so the intake
  runs at most two derivations at once (a semaphore), bounds how many wait, and limits log-ins
  per browser (never globally: a global counter would let anyone lock every source out).

The parameters of an instance are fixed when it is created (changing them would change every
lookup id), and stored in its settings.

What is hashed is the codename as ``normalise_codename`` writes it, so a source may type it in
another case, with other spaces or punctuation between the words, or with a word in another
grammatical form (``красная книгу`` for ``красный книга``, ``lamps`` for ``lamp``). The text
that is hashed never changes for a codename typed exactly as it was issued, from this list or
from any earlier one: changing it would lock out every source who has one.
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Literal

from argon2.low_level import Type, hash_secret_raw
from pyrage import x25519

from testament.crypto.bech32 import encode as bech32_encode

WORDS_PER_CODENAME = 7
MIN_CODENAME_BITS = 90
Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")
LOOKUP_ID_BYTES = 32
SEED_BYTES = 32
MIN_PEPPER_BYTES = 16


@dataclass(frozen=True, slots=True)
class KdfParameters:
    """argon2id cost parameters: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def __post_init__(self) -> None:
        if self.time_cost < 1 or self.parallelism < 1 or self.memory_kib < 8 * self.parallelism:
            raise ValueError(f"invalid argon2id parameters: {self}")


RECOMMENDED_KDF = KdfParameters(time_cost=3, memory_kib=64 * 1024, parallelism=1)


@cache
def wordlist(language: Language) -> tuple[str, ...]:
    """The codename words of ``language``, as shipped in ``wordlists/<language>.txt``."""
    if language not in LANGUAGES:
        raise ValueError(f"no codename word list for language {language!r}")
    text = files("testament.crypto").joinpath("wordlists", f"{language}.txt").read_text("utf-8")
    return tuple(text.split())


def words_per_codename(language: Language) -> int:
    """How many words of the ``language`` list give ``MIN_CODENAME_BITS``; never fewer than 7."""
    bits_per_word = math.log2(len(set(wordlist(language))))
    return max(WORDS_PER_CODENAME, math.ceil(MIN_CODENAME_BITS / bits_per_word))


def generate_codename(language: Language, words: int | None = None) -> str:
    """A new codename: ``words`` words drawn uniformly with ``secrets`` from the language list."""
    needed = words_per_codename(language)
    if words is None:
        words = needed
    if words < needed:
        raise ValueError(f"a codename in {language!r} needs at least {needed} words")
    choices = wordlist(language)
    return " ".join(secrets.choice(choices) for _ in range(words))


@cache
def typed_forms() -> Mapping[str, str]:
    """Other forms of list words, each mapped to its list word (``книгу`` -> ``книга``).

    From ``wordlists/<language>.forms.txt`` (a list word, then its forms, on each line), made by
    ``scripts/build_wordlists.py`` with pymorphy3, so that the intake needs no morphology. A form
    is there only when it belongs to one list word and is no word of any list, current or
    retired: mapping it can neither turn one codename into another nor change what an issued
    codename hashes to. The alphabets differ, so the languages share one table, read-only
    because what it holds decides what is hashed.
    """
    forms: dict[str, str] = {}
    for language in LANGUAGES:
        path = files("testament.crypto").joinpath("wordlists", f"{language}.forms.txt")
        for line in path.read_text("utf-8").splitlines():
            word, *others = line.split()
            forms.update(dict.fromkeys(others, word))
    return MappingProxyType(forms)


def normalise_codename(text: str) -> str:
    """The form of a codename that is hashed: what a source may type differently is made equal.

    Unicode NFC (a decomposed й is one letter), lower case, ё written as е; words separated by
    any run of white space or punctuation (``книга, лампа-утро``), none at the ends; a word in
    another form of a list word (see ``typed_forms``) written as that list word. List words are
    letters only, so a separator can neither split nor join them, and a codename typed as issued
    (letters and single spaces) is hashed exactly as before these tolerances existed.
    """
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    spaced = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    forms = typed_forms()
    return " ".join(forms.get(word, word) for word in spaced.split())


def identity_from_seed(seed: bytes) -> x25519.Identity:
    """The X25519 age identity whose secret key is the 32-byte ``seed``."""
    if len(seed) != SEED_BYTES:
        raise ValueError("an X25519 seed has 32 bytes")
    return x25519.Identity.from_str(bech32_encode("AGE-SECRET-KEY-", seed).upper())


@dataclass(frozen=True, slots=True)
class SourceKeys:
    """What a codename derives to. ``identity`` is secret: it never leaves memory."""

    lookup_id: str
    recipient: str
    identity: x25519.Identity = field(repr=False)


def derive_source_keys(codename: str, pepper: bytes, kdf: KdfParameters) -> SourceKeys:
    """Run argon2id over the normalised ``codename`` and split the result (see module docstring)."""
    if len(pepper) < MIN_PEPPER_BYTES:
        raise ValueError(f"the instance pepper must have at least {MIN_PEPPER_BYTES} bytes")
    secret = normalise_codename(codename).encode("utf-8")
    raw = hash_secret_raw(
        secret,
        pepper,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=LOOKUP_ID_BYTES + SEED_BYTES,
        type=Type.ID,
    )
    identity = identity_from_seed(raw[LOOKUP_ID_BYTES:])
    return SourceKeys(raw[:LOOKUP_ID_BYTES].hex(), str(identity.to_public()), identity)
