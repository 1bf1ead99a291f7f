"""Names spelled by other countries' conventions meet the same names in Cyrillic or in English."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.link.features import build_features
from testament.link.names import fold_latin
from testament.link.readings import AS_WRITTEN, choose_spellings, readings


def keys(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            (list_name, str(i), given, family)
            for i, (list_name, given, family, *_) in enumerate(rows)
        ],
        columns=["list", "record_id", "given_name", "family_name"],
    )
    return build_features(frame)[["list_name", "given_key", "family_key"]]


@pytest.mark.parametrize(
    ("cyrillic", "abroad"),
    [
        (("Апти", "Джабраилов"), ("Apti", "Dschabrailow")),  # German
        (("Хамзат", "Умаров"), ("Chamsat", "Umarow")),  # German, with the voiced s
        (("Залимхан", "Вахаев"), ("Salimchan", "Wachaew")),  # German
        (("Суппьян", "Тагиров"), ("Supjan", "Tagirow")),  # German
        (("Хамзат", "Умаров"), ("Chamzat", "Umarow")),  # Polish
        (("Шамиль", "Чагаев"), ("Szamil", "Czagajew")),  # Polish
        (("Хамзат", "Умаров"), ("Khamzat", "Oumarov")),  # French
        (("Шамиль", "Чагаев"), ("Chamil", "Tchagaev")),  # French
        (("Апти", "Джабраилов"), ("Apti", "Cabrailov")),  # Turkish
        (("Шамиль", "Чагаев"), ("Şamil", "Çagayev")),  # Turkish
        (("Шамиль", "Чагаев"), ("Sjamil", "Tsjagajev")),  # Norwegian / Dutch
        (("Шамиль", "Чагаев"), ("Šamil", "Čagajev")),  # Czech
        (("Жабраил", "Межидов"), ("Schabrail", "Meschidow")),  # German: sch is also Ж
    ],
)
def test_a_name_spelled_abroad_gets_the_key_of_its_cyrillic_form(cyrillic, abroad):
    found = keys([("home", *cyrillic), ("abroad", *abroad)])
    assert found.loc[0, "given_key"] == found.loc[1, "given_key"]
    assert found.loc[0, "family_key"] == found.loc[1, "family_key"]


def test_the_reading_is_chosen_by_what_the_other_lists_say_not_by_a_table_of_names():
    # "Chasan" is Хасан in Germany but could be Часан in English: the Cyrillic list decides.
    chosen = choose_spellings(
        [("de", "given", "Chasan"), ("ru", "given", "Хасан")],
        {"given": fold_latin},
    )
    assert fold_latin(chosen[("de", "given", "Chasan")]) == fold_latin("Хасан")


def test_with_no_other_list_to_ask_a_list_reads_like_the_rest_of_itself():
    # Six tokens of a German list meet the Cyrillic list; a seventh, seen nowhere else,
    # is read the German way too.
    known = ["Chamsat", "Wacha", "Umarow", "Schamil", "Tschagajew", "Dschabrail"]
    cyrillic = ["Хамзат", "Ваха", "Умаров", "Шамиль", "Чагаев", "Джабраил"]
    tokens = [("de", "given", t) for t in [*known, "Chalid"]]
    tokens += [("ru", "given", t) for t in cyrillic]
    chosen = choose_spellings(tokens, {"given": fold_latin})
    assert fold_latin(chosen[("de", "given", "Chalid")]) == fold_latin("Халид")


def test_an_english_list_keeps_its_english_reading_when_it_is_supported():
    # "Chagaev" in an English list is Чагаев: the German reading (Хагаев) has no support.
    chosen = choose_spellings(
        [("en", "family", "Chagaev"), ("ru", "family", "Чагаев")],
        {"family": fold_latin},
    )
    assert ("en", "family", "Chagaev") not in chosen


def test_cyrillic_is_never_reread():
    assert readings("Хамзат") == {AS_WRITTEN: "хамзат"}


def test_letters_of_other_alphabets_fold_by_their_sound():
    assert fold_latin("Şamil") == fold_latin("Shamil")
    assert fold_latin("Çagayev") == fold_latin("Chagayev")
    assert fold_latin("Łom-Ali") == fold_latin("Lom-Ali")
    assert fold_latin("Sadıkov") == fold_latin("Sadykov")


def test_a_token_no_other_list_supports_gets_its_lists_plainest_reading():
    # A German list (its other tokens meet the Cyrillic list by German readings); "Isa" and
    # "Sulejan" (a typo) are seen nowhere else. German may write З as s, but nothing says so
    # here: they are read plainly, not as "Iza" and "Zulejan".
    known = ["Chamsat", "Wacha", "Umarow", "Schamil", "Tschagajew", "Dschabrail"]
    cyrillic = ["Хамзат", "Ваха", "Умаров", "Шамиль", "Чагаев", "Джабраил"]
    tokens = [("de", "given", t) for t in [*known, "Isa", "Sulejan"]]
    tokens += [("ru", "given", t) for t in cyrillic]
    chosen = choose_spellings(tokens, {"given": fold_latin})
    assert fold_latin(chosen.get(("de", "given", "Isa"), "Isa")) == fold_latin("Иса")
    assert fold_latin(chosen.get(("de", "given", "Sulejan"), "Sulejan")) == fold_latin("Сулеян")


def test_places_are_read_by_the_conventions_of_their_list():
    # «Махачкала» is "Machaczkała" in a Polish list, «Шали» "Chali" in a French one.
    frame = pd.DataFrame(
        [
            ("ru", "1", "Хамзат", "Умаров", "г. Махачкала"),
            ("pl", "2", "Chamzat", "Umarow", "Machaczkała"),
            ("ru", "3", "Шамиль", "Чагаев", "село Шали"),
            ("fr", "4", "Chamil", "Tchagaev", "Chali"),
        ],
        columns=["list", "record_id", "given_name", "family_name", "place"],
    )
    places = build_features(frame)["place_key"].tolist()
    assert places[0] == places[1]
    assert places[2] == places[3]
