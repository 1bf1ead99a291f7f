"""Codenames: word lists, normalisation, argon2id derivation of lookup id and age identity."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import pytest
from pyrage import x25519

from testament.crypto.age import decrypt_bytes, encrypt_bytes, parse_recipient
from testament.crypto.codenames import (
    LANGUAGES,
    WORDS_PER_CODENAME,
    generate_codename,
    normalise_codename,
    wordlist,
)
from tests.conftest import require_component


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_list_has_enough_distinct_words_for_90_bits(language):
    words = wordlist(language)
    assert len(words) >= 7776
    assert len(set(words)) == len(words)
    assert WORDS_PER_CODENAME * math.log2(len(words)) >= 90


def test_russian_list_is_cyrillic_and_english_list_is_latin():
    assert all(re.fullmatch(r"[а-я]{3,10}", w) for w in wordlist("ru"))
    assert all(re.fullmatch(r"[a-z]{3,10}", w) for w in wordlist("en"))
    assert not any("ё" in w for w in wordlist("ru")), "ё is written е so log-in can fold them"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_words_share_their_first_five_letters(language):
    prefixes = [w[:5] for w in wordlist(language)]
    assert len(set(prefixes)) == len(prefixes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_generated_codename_has_seven_words_from_the_list(language):
    codename = generate_codename(language)
    words = codename.split(" ")
    assert len(words) == WORDS_PER_CODENAME
    assert set(words) <= set(wordlist(language))
    assert generate_codename(language) != codename


def test_log_in_tolerates_case_spaces_and_yo():
    assert normalise_codename("  Ёлка\tзВЕЗДА \n ночь ") == "елка звезда ночь"
    decomposed = "и\u0306од"  # й written as и + combining breve
    assert normalise_codename(decomposed) == "йод"


def test_same_codename_typed_differently_derives_the_same_keys(insecure_fast_kdf, derive):
    a = derive("берег лампа утро снег гора поле река", insecure_fast_kdf)
    b = derive("  БЕРЕГ лампа  утро\nснег гора поле река ", insecure_fast_kdf)
    assert a.lookup_id == b.lookup_id
    assert a.recipient == b.recipient


def test_different_codename_or_pepper_derives_different_keys(insecure_fast_kdf, derive):
    a = derive("one two three four five six seven", insecure_fast_kdf)
    b = derive("one two three four five six eight", insecure_fast_kdf)
    c = derive("one two three four five six seven", insecure_fast_kdf, pepper=b"\x01" * 32)
    assert len({a.lookup_id, b.lookup_id, c.lookup_id}) == 3
    assert len({a.recipient, b.recipient, c.recipient}) == 3


def test_lookup_id_is_not_part_of_the_recipient(insecure_fast_kdf, derive):
    keys = derive("one two three four five six seven", insecure_fast_kdf)
    assert re.fullmatch(r"[0-9a-f]{64}", keys.lookup_id)
    assert keys.recipient.startswith("age1")
    assert "AGE-SECRET-KEY" not in repr(keys)


def test_derived_identity_opens_what_is_sealed_to_its_recipient(insecure_fast_kdf, derive):
    keys = derive("one two three four five six seven", insecure_fast_kdf)
    sealed = encrypt_bytes(b"reply", [parse_recipient(keys.recipient)])
    assert decrypt_bytes(sealed, [keys.identity]) == b"reply"
    assert str(keys.identity.to_public()) == keys.recipient
    assert isinstance(keys.identity, x25519.Identity)


def test_debian_age_decrypts_a_reply_to_a_derived_identity(insecure_fast_kdf, derive, tmp_path):
    require_component(shutil.which("age") is not None, "Debian's age")
    keys = derive("one two three four five six seven", insecure_fast_kdf)
    (tmp_path / "key.txt").write_text(str(keys.identity) + "\n")
    (tmp_path / "reply.age").write_bytes(
        encrypt_bytes(b"hello ruslan", [parse_recipient(keys.recipient)])
    )
    result = subprocess.run(
        ["age", "-d", "-i", tmp_path / "key.txt", tmp_path / "reply.age"],
        capture_output=True,
        check=True,
    )
    assert result.stdout == b"hello ruslan"
