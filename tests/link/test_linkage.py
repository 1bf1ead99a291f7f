"""Linking synthetic lists whose truth is known: every record placed, people found, repeatable."""

from __future__ import annotations

import pandas as pd
import pytest

from testament.core.errors import SettingsError
from testament.link import LinkSettings, link_records
from testament.link.evaluation import blocking_recall, pairwise_scores
from testament.link.features import build_features


def test_every_record_gets_exactly_one_cluster_and_probability(small_lists, small_linkage):
    clusters = small_linkage.clusters
    assert clusters["record_id"].tolist() == small_lists.records["record_id"].tolist()
    assert clusters["cluster_id"].notna().all()
    assert clusters["match_probability"].between(0, 1).all()


def test_linkage_finds_the_people_behind_the_lists(small_lists, small_linkage):
    scores = pairwise_scores(small_linkage.clusters, small_lists.truth)
    assert scores.precision > 0.9
    assert scores.recall > 0.85
    seen = small_lists.truth["person_id"].nunique()
    assert abs(small_linkage.people - seen) / seen < 0.1


def test_blocking_keeps_nearly_all_true_pairs(small_lists):
    recall, true_pairs = blocking_recall(build_features(small_lists.records), small_lists.truth)
    assert true_pairs > 300
    assert recall >= 0.98


def test_capture_history_adds_up_to_the_people_found(small_lists, small_linkage):
    history = small_linkage.history
    assert list(history.columns) == [*small_lists.lists, "count"]
    assert history["count"].sum() == small_linkage.people


def test_the_review_queue_holds_only_pairs_between_the_thresholds(small_linkage):
    settings = LinkSettings()
    probabilities = small_linkage.review_queue["match_probability"]
    assert probabilities.between(settings.review_threshold, settings.match_threshold).all()


def test_a_second_run_on_the_same_records_gives_the_same_clusters(small_lists, small_linkage):
    again = link_records(small_lists.records, LinkSettings())
    pd.testing.assert_frame_equal(again.clusters, small_linkage.clusters)


def test_one_man_written_in_three_scripts_and_orders_is_one_person(small_lists):
    """Магомед Хасанов, Magomed Khasanov and "Mahomed Hasanov, ~30" among other records."""
    extra = pd.DataFrame(
        [
            {
                "list": "list_a",
                "record_id": "x1",
                "given_name": "Магомед",
                "family_name": "Хасанов",
                "patronymic": "Юсупович",
                "birth": "1987-03-14",
                "event_date": "2017-02-20",
                "place": "г. Грозный",
                "sex": "м",
            },
            {
                "list": "list_b",
                "record_id": "x2",
                "names_as_reported": "Hasanov Mahomed",
                "age": "~30",
                "event_date": "2017-02",
                "place": "Grozny",
                "sex": "m",
            },
            {
                "list": "list_c",
                "record_id": "x3",
                "given_name": "Khasanov",
                "family_name": "Magomed",
                "birth": "1987",
                "event_date": "2017-02-20",
                "place": "Groznyy",
            },
        ]
    )
    records = pd.concat([small_lists.records, extra], ignore_index=True).fillna("")
    result = link_records(records, LinkSettings())
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    assert cluster["x1"] == cluster["x2"] == cluster["x3"]
    others = result.clusters[~result.clusters["record_id"].isin(["x1", "x2", "x3"])]
    assert cluster["x1"] not in set(others["cluster_id"])


def test_the_public_api_is_small_and_importable():
    from testament import link

    assert sorted(link.__all__) == sorted(
        [
            "Decision",
            "EngineError",
            "LinkSettings",
            "LinkageError",
            "LinkageResult",
            "RecordsError",
            "ReviewError",
            "Verdict",
            "capture_history",
            "check_records",
            "link_records",
            "pair_id",
            "read_records",
        ]
    )
    assert all(hasattr(link, name) for name in link.__all__)


@pytest.mark.parametrize(
    "settings",
    [
        {"match_threshold": 0.3, "review_threshold": 0.5},
        {"review_threshold": 0.0},
        {"engine": "sqlite"},
        {"u_sample_pairs": 10},
    ],
)
def test_settings_that_cannot_work_are_refused_when_built(settings):
    with pytest.raises(SettingsError):
        LinkSettings(**settings)


def test_the_spark_engine_without_java_says_what_to_install(monkeypatch):
    from testament.link import EngineError
    from testament.link.engine import local_spark_session

    monkeypatch.setenv("PATH", "")  # no java on an empty PATH
    with pytest.raises(EngineError, match="Java runtime"):
        local_spark_session()


def test_enough_accepted_pairs_become_training_labels_and_are_linked(small_lists):
    from testament.link import Decision, Verdict
    from testament.link.evaluation import true_pairs

    accepted = true_pairs(small_lists.truth).head(LinkSettings().min_labelled_matches + 5)
    decisions = [Decision(a, b, Verdict.MATCH) for a, b in accepted.itertuples(index=False)]
    result = link_records(small_lists.records, LinkSettings(), decisions=decisions)
    assert result.labelled_matches_used == len(decisions)
    cluster = result.clusters.set_index("record_id")["cluster_id"]
    assert all(cluster[a] == cluster[b] for a, b in accepted.itertuples(index=False))
    assert pairwise_scores(result.clusters, small_lists.truth).f1 > 0.85
