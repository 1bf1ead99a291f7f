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
    MIN_CODENAME_BITS,
    WORDS_PER_CODENAME,
    generate_codename,
    normalise_codename,
    typed_forms,
    wordlist,
    words_per_codename,
)
from tests.conftest import require_component

RETIRED = "scripts/wordlists/retired"
# An issued codename from the first lists, and what it derived to with PEPPER and the fast KDF
# before log-in learnt to tolerate punctuation and inflection (computed with that code).
FIRST_LIST_CODENAME = "рейс разберусь флота вячеслав венского певцов ревную"
FIRST_LIST_LOOKUP_ID = "89eb12bbfa009cbee90cedac9edb8c286ba55374d9e405ea8e115f272a1670d9"


def retired_words(request) -> list[str]:
    folder = request.config.rootpath / RETIRED
    return [w for path in sorted(folder.glob("*.txt")) for w in path.read_text("utf-8").split()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_list_gives_at_least_90_bits_with_the_default_word_count(language):
    words = wordlist(language)
    assert len(set(words)) == len(words) == 8192
    assert words_per_codename(language) == WORDS_PER_CODENAME == 7
    drawn = len(generate_codename(language).split(" "))
    assert drawn * math.log2(len(words)) >= MIN_CODENAME_BITS == 90


def test_a_shorter_list_gets_more_words(monkeypatch):
    short = tuple(f"w{i}" for i in range(2000))  # 10.97 bits a word: 9 words for 90 bits
    monkeypatch.setattr("testament.crypto.codenames.wordlist", lambda language: short)
    assert words_per_codename("en") == 9
    assert len(generate_codename("en").split(" ")) == 9
    with pytest.raises(ValueError, match="at least 9 words"):
        generate_codename("en", words=7)


def test_russian_list_is_cyrillic_and_english_list_is_latin():
    assert all(re.fullmatch(r"[а-я]{4,9}", w) for w in wordlist("ru"))
    assert all(re.fullmatch(r"[a-z]{4,9}", w) for w in wordlist("en"))
    assert not any("ё" in w for w in wordlist("ru")), "ё is written е so log-in can fold them"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_words_share_their_first_five_letters(language):
    prefixes = [w[:5] for w in wordlist(language)]
    assert len(set(prefixes)) == len(prefixes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_words_are_one_edit_apart(language):
    words = set(wordlist(language))
    removed = {w[:i] + w[i + 1 :] for w in words for i in range(len(w))}
    assert not words & removed, "a word is another with one letter added"
    replaced = [(i, w[:i] + w[i + 1 :]) for w in words for i in range(len(w))]
    assert len(set(replaced)) == len(replaced), "two words differ by one replaced letter"


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


def test_log_in_tolerates_punctuation_between_words():
    assert (
        normalise_codename("берег, лампа-утро. снег;гора — поле…")
        == "берег лампа утро снег гора поле"
    )
    assert normalise_codename("window/house: lamp!") == "window house lamp"
    assert normalise_codename(" ,.- ") == ""


def test_log_in_reads_another_form_as_the_list_word():
    ru, en = set(wordlist("ru")), set(wordlist("en"))
    assert {"книга", "красный", "лампа", "звезда", "берег", "утро"} <= ru
    assert {"house", "window"} <= en
    assert normalise_codename("Красная книгу, лампой звезду") == "красный книга лампа звезда"
    assert normalise_codename("houses windows") == "house window"


def test_a_form_that_was_a_word_of_a_retired_list_stays_as_typed(request):
    """``снегом`` was a word of the first Russian list: reading it as ``снег`` would change
    what a codename issued from that list hashes to, so it is not tolerated for ``снег``."""
    assert "снег" in wordlist("ru")
    assert "снегом" in retired_words(request)
    assert normalise_codename("снегом") == "снегом"
    assert normalise_codename("снегу") == "снег"


def test_the_same_codename_in_other_forms_derives_the_same_keys(insecure_fast_kdf, derive):
    issued = derive("красный книга лампа звезда берег снег утро", insecure_fast_kdf)
    typed = derive("Красная книгу; лампой, звезду - берега снегу утру", insecure_fast_kdf)
    assert typed.lookup_id == issued.lookup_id
    assert typed.recipient == issued.recipient


def test_every_list_word_is_hashed_as_itself():
    """The key space is the lists' own: no list word is rewritten, so no two codenames merge."""
    for language in LANGUAGES:
        for word in wordlist(language):
            assert normalise_codename(word) == word


def test_forms_map_only_to_list_words_and_never_shadow_a_word_of_any_list(request):
    forms = typed_forms()
    lists = {w for language in LANGUAGES for w in wordlist(language)}
    assert len(forms) > 70_000
    assert set(forms.values()) <= lists
    assert not forms.keys() & lists
    assert not forms.keys() & set(retired_words(request))
    text = " ".join(forms)
    assert normalise_codename(normalise_codename(text)) == normalise_codename(text)


def test_codenames_from_retired_lists_are_hashed_exactly_as_issued(request):
    """Words dropped from the lists pass through unchanged: old sources keep their access."""
    words = retired_words(request)
    assert len(words) == 2 * 8192
    assert all(re.fullmatch(r"[а-я]+|[a-z]+", w) for w in words)
    unchanged = [w for w in words if normalise_codename(w) == w]
    assert unchanged == words
    assert normalise_codename(FIRST_LIST_CODENAME) == FIRST_LIST_CODENAME


def test_a_codename_from_the_first_lists_derives_the_keys_it_always_did(insecure_fast_kdf, derive):
    assert derive(FIRST_LIST_CODENAME, insecure_fast_kdf).lookup_id == FIRST_LIST_LOOKUP_ID


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
