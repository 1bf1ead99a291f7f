"""Codenames: how a source proves, weeks later, that they are the same source — without an account.

A codename is ``WORDS_PER_CODENAME`` words drawn with ``secrets`` from a list of 8,192 common words
in the source's language (13 bits each, 91 bits in all). It is shown once and never stored: the
intake keeps only what argon2id derives from it, with the instance pepper as salt:

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
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Literal

from argon2.low_level import Type, hash_secret_raw
from pyrage import x25519

from testament.crypto.bech32 import encode as bech32_encode

WORDS_PER_CODENAME = 7
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


def generate_codename(language: Language, words: int = WORDS_PER_CODENAME) -> str:
    """A new codename: ``words`` words drawn uniformly with ``secrets`` from the language list."""
    if words < WORDS_PER_CODENAME:
        raise ValueError(f"a codename needs at least {WORDS_PER_CODENAME} words")
    choices = wordlist(language)
    return " ".join(secrets.choice(choices) for _ in range(words))


def normalise_codename(text: str) -> str:
    """The form of a codename that is hashed: what a source may type differently is made equal.

    Unicode NFC (a decomposed й is one letter), lower case, ё written as е, any run of spaces,
    tabs or newlines as one space, none at the ends.
    """
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    return " ".join(text.split())


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
