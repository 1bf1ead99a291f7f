"""The comparison columns built from addresses and identity documents."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.link import LinkSettings, link_records
from testament.link.features import FEATURE_COLUMNS, address_key, build_features, document_key
from testament.link.model import BLOCKING_RULES


@pytest.mark.parametrize(
    "spellings",
    [
        ("ул. Ленина, д. 5", "5 Lenina St", "Lenina ulitsa 5", "улица Ленина 5"),
        ("пр. Путина, д. 12, кв. 3", "Putina prospekt 12 kv 3", "12 3 PUTINA"),
    ],
)
def test_one_address_written_under_different_conventions_has_one_key(spellings):
    assert len({address_key(spelling) for spelling in spellings}) == 1


def test_different_houses_on_one_street_keep_different_keys():
    assert address_key("ул. Ленина, д. 5") != address_key("ул. Ленина, д. 7")


@pytest.mark.parametrize(
    ("reported", "key"),
    [("96 05 123456", "9605123456"), ("№ 9605-123456", "9605123456"), ("АБ 1234", "ab1234")],
)
def test_a_document_number_keeps_only_its_letters_and_digits(reported, key):
    assert document_key(reported) == key


def test_a_document_number_too_short_to_identify_anyone_is_treated_as_unknown():
    features = build_features(
        pd.DataFrame(
            {
                "list": ["a", "b"],
                "record_id": ["1", "2"],
                "given_name": ["Ислам", "Islam"],
                "document": ["12", "96 05 123456"],
            }
        )
    )
    assert features["document_key"].tolist() == [None, "9605123456"]


def test_records_without_address_or_document_columns_still_link(small_lists):
    assert "address" not in small_lists.records.columns
    features = build_features(small_lists.records)
    assert features["address_key"].isna().all()
    assert features["document_key"].isna().all()


def test_the_same_document_and_address_link_a_man_whose_names_were_both_garbled(small_lists):
    """Neither name survives the second list's spelling, and no birth is given: the passport
    number brings the pair to the model, the passport and the address make it a match."""
    extra = pd.DataFrame(
        [
            {
                "list": "list_a",
                "record_id": "d1",
                "given_name": "Рустам",
                "family_name": "Гайрбеков",
                "document": "96 05 481516",
                "address": "с. Гойты, ул. Кадырова, д. 14",
                "place": "Гойты",
            },
            {
                "list": "list_b",
                "record_id": "d2",
                "given_name": "Rystan",
                "family_name": "Gaipbekof",
                "document": "9605481516",
                "address": "14 Kadyrova St",
                "place": "Goyty",
            },
        ]
    )
    records = pd.concat([small_lists.records, extra], ignore_index=True).fillna("")
    features = build_features(records).set_index("unique_id")
    left, right = features.loc["d1"], features.loc["d2"]
    assert left["given_key"] != right["given_key"]
    assert left["family_key"] != right["family_key"]
    document_rule = [rule for rule in BLOCKING_RULES if "document_key" in rule.sql]
    assert document_rule, "a blocking rule on the document number"
    result = link_records(records, LinkSettings())
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    assert cluster["d1"] == cluster["d2"]


def _one_character_apart_sql() -> str:
    from testament.link.model import splink_settings

    comparisons = splink_settings(LinkSettings())["comparisons"]
    (document,) = [c for c in comparisons if c["output_column_name"] == "document"]
    levels = {level["label_for_charts"]: level for level in document["comparison_levels"]}
    return str(levels["one character apart"]["sql_condition"])


def document_pairs_one_edit_apart() -> list[tuple[str, str, bool]]:
    """Pairs of document keys and whether they are one edit apart: a substitution at every
    position of odd and even lengths, a deletion, an insertion, and two edits."""
    pairs = []
    for key in ("1234567", "96054815"):
        for position in range(len(key)):
            changed = key[:position] + ("0" if key[position] != "0" else "9") + key[position + 1 :]
            pairs.append((key, changed, True))
        pairs.append((key, key[:3] + key[4:], True))
        pairs.append((key, key[:3] + "x" + key[3:], True))
        pairs.append((key, "00" + key[2:], False))
    return pairs


def test_document_numbers_one_edit_apart_meet_at_the_typo_level_whatever_its_position():
    import duckdb

    condition = _one_character_apart_sql()
    connection = duckdb.connect()
    for left, right, expected in document_pairs_one_edit_apart():
        query = f"select {condition} from (select ? as document_key_l, ? as document_key_r)"
        assert connection.execute(query, [left, right]).fetchone() == (expected,), (left, right)


def test_a_comparison_few_sampled_records_can_make_keeps_its_written_u_values():
    """u comes from random pairs of sampled records: with passports on 1% of a large input, the
    sample holds a handful of them and says nothing about how often strangers share one."""
    from testament.link.model import sparse_comparisons

    count = 200_000
    features = pd.DataFrame(None, index=range(count), columns=list(FEATURE_COLUMNS))
    features["given_key"] = "islam"
    features["family_key"] = "tsuev"
    features.loc[features.index % 100 == 0, "document_key"] = "9605123456"
    sparse = sparse_comparisons(features, sample_pairs=1e6)
    assert "document" in sparse
    assert "name" not in sparse
    assert "document" not in sparse_comparisons(features, sample_pairs=1e12)
