"""The Spark engine (local mode) links like DuckDB: same model, same SQL, another engine."""

from __future__ import annotations

import shutil

import pytest

from testament.link import LinkSettings, link_records
from testament.link.evaluation import pairwise_scores
from testament.synth import SynthSettings, generate_lists
from tests.conftest import require_component

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="session")
def spark():
    require_component(shutil.which("java") is not None, "Java 17 for Spark")
    from testament.link.engine import local_spark_session

    session = local_spark_session("testament-tests", partitions=1)
    yield session
    session.stop()


def test_spark_links_a_small_population_as_well_as_duckdb(spark):
    lists = generate_lists(SynthSettings(people=150, lists=3, seed=21))
    small = {"u_sample_pairs": 20_000, "em_max_pairs": None}
    on_spark = link_records(
        lists.records, LinkSettings(engine="spark", **small), spark_session=spark
    )
    on_duckdb = link_records(lists.records, LinkSettings(**small))
    assert on_spark.clusters["record_id"].tolist() == lists.records["record_id"].tolist()
    spark_scores = pairwise_scores(on_spark.clusters, lists.truth)
    duckdb_scores = pairwise_scores(on_duckdb.clusters, lists.truth)
    assert spark_scores.f1 > 0.85
    assert abs(spark_scores.f1 - duckdb_scores.f1) < 0.05
    assert list(on_spark.history.columns) == [*lists.lists, "count"]


def test_spark_sql_finds_document_numbers_one_edit_apart_as_duckdb_does(spark):
    from tests.link.test_features import _one_character_apart_sql, document_pairs_one_edit_apart

    pairs = document_pairs_one_edit_apart()
    frame = spark.createDataFrame(
        [(left, right) for left, right, _ in pairs], ["document_key_l", "document_key_r"]
    )
    found = [row[0] for row in frame.selectExpr(_one_character_apart_sql()).collect()]
    assert found == [expected for _, _, expected in pairs]


def test_two_runs_on_spark_give_byte_identical_outputs(spark):
    """As ``test_determinism`` does for DuckDB: Spark too returns pairs in no fixed order and sums
    floating-point numbers in the order its tasks finish; several partitions make that happen."""
    from tests.link.test_determinism import outputs, with_duplicates

    lists = generate_lists(SynthSettings(people=1200, lists=4, seed=5))
    records = with_duplicates(lists.records)
    settings = LinkSettings(engine="spark")
    partitions = spark.conf.get("spark.sql.shuffle.partitions")
    spark.conf.set("spark.sql.shuffle.partitions", "4")
    try:
        first, second = [
            outputs(link_records(records, settings, spark_session=spark)) for _ in range(2)
        ]
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", partitions)
    for name, text in first.items():
        assert second[name] == text, f"{name} differ between two runs"
