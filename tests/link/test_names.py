"""Names across scripts: the renderings of one name by different systems meet in one key."""

from __future__ import annotations

import iuliia
import pytest
from hypothesis import given
from hypothesis import strategies as st

from testament.link.names import (
    family_key,
    fold_latin,
    given_key,
    patronymic_key,
    phonetic_key,
    split_reported_name,
)
from testament.synth.names import female_names, male_names, surnames

# The systems the synthetic lists use, plus others in wide use; Telegram's informal rendering
# (j for ж) is knowingly not folded into the others.
SYSTEMS = (
    "WIKIPEDIA",
    "ICAO_DOC_9303",
    "BGN_PCGN",
    "MOSMETRO",
    "SCIENTIFIC",
    "YANDEX_MAPS",
    "MVD_782",
    "GOST_52535",
    "ALA_LC",
)


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_given_name_keeps_its_key_under_each_transliteration_system(system):
    schema = getattr(iuliia, system)
    names = male_names().names + female_names().names
    differing = [name for name in names if given_key(schema.translate(name)) != given_key(name)]
    assert differing == []


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_family_name_keeps_its_key_under_each_transliteration_system(system):
    schema = getattr(iuliia, system)
    differing = [
        name for name in surnames().names if family_key(schema.translate(name)) != family_key(name)
    ]
    assert differing == []


@pytest.mark.parametrize(
    "spellings",
    [
        ("Магомед", "Magomed", "Mahomed", "Muhammad", "Mohammed", "Мухаммад"),
        ("Хасан", "Khasan", "Hasan", "Hassan"),
        ("Ахмед", "Akhmed", "Ahmed", "Ahmad"),
        ("Ибрагим", "Ibragim", "Ibrahim"),
        ("Юсуп", "Yusup", "Iusup", "Jusup", "Yusuf"),
        ("Хьасан", "Хасан"),  # Chechen digraph as Russian lists drop it
    ],
)
def test_variants_of_a_given_name_share_one_key(spellings):
    assert len({given_key(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    "spellings",
    [
        ("Хасанов", "Khasanov", "Hasanov", "Hasanow", "Khasanoff"),
        ("Мусаев", "Musaev", "Musayev", "Moussaev"),
        ("Хажиев", "Khazhiev", "Khazhiyev", "Hažiev"),
        ("Магомедов", "Magomedov", "Mahomedov", "Muhammadov"),
        ("Хасанова", "Khasanova", "Хасанов"),  # the feminine form keys like the masculine
    ],
)
def test_variants_of_a_family_name_share_one_key(spellings):
    assert len({family_key(spelling) for spelling in spellings}) == 1


def test_a_patronymic_keys_as_the_fathers_given_name():
    assert patronymic_key("Ибрагимович") == patronymic_key("Ibrahimovich") == given_key("Ibragim")
    assert patronymic_key("Магомедовна") == given_key("Muhammad")


def test_different_names_keep_different_keys():
    keys = {given_key(name) for name in ("Магомед", "Ахмед", "Хасан", "Хусейн", "Ислам", "Руслан")}
    assert len(keys) == 6


@pytest.mark.parametrize(
    ("text", "given", "family", "patronymic"),
    [
        ("Хасанов Магомед Юсупович", "Магомед", "Хасанов", "Юсупович"),
        ("Magomed Khasanov, ~30", "Magomed", "Khasanov", ""),
        ("Madina Yevloyeva", "Madina", "Yevloyeva", ""),  # Madina ends like a family name
        ("Khozh-Akhmed Aliyev Akhmedovich", "Khozh-Akhmed", "Aliyev", "Akhmedovich"),
        ("Ruslan Islam", "Ruslan", "Islam", ""),  # Latin text, no family ending: given first
        ("Ислам Руслан", "Руслан", "Ислам", ""),  # Cyrillic text: family first
    ],
)
def test_a_name_as_reported_splits_into_its_parts(text, given, family, patronymic):
    parts = split_reported_name(text)
    assert (parts.given, parts.family, parts.patronymic) == (given, family, patronymic)


@given(st.text(max_size=40))
def test_folding_gives_lower_case_ascii_letters_for_any_text(text):
    folded = fold_latin(text)
    assert folded == "" or (folded.isascii() and folded.isalpha() and folded.islower())


@given(st.sampled_from(male_names().names), st.sampled_from(SYSTEMS))
def test_phonetic_key_agrees_when_the_canonical_key_does(name, system):
    rendered = getattr(iuliia, system).translate(name)
    assert phonetic_key(given_key(rendered)) == phonetic_key(given_key(name))
