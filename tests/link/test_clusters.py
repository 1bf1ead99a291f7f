"""Clusters honour reviewer decisions, and the capture history counts people per pattern."""

from __future__ import annotations

import pandas as pd

from testament.link.clusters import capture_history, cluster_records


def pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


def same_cluster(clusters: pd.DataFrame, left: str, right: str) -> bool:
    by_record = clusters.set_index("record_id")["cluster_id"]
    return bool(by_record[left] == by_record[right])


def test_pairs_above_the_threshold_join_and_chains_join_transitively():
    clusters = cluster_records(
        ["a", "b", "c", "d"], pairs(("a", "b", 0.95), ("b", "c", 0.91), ("c", "d", 0.3)), 0.9
    )
    assert same_cluster(clusters, "a", "c")
    assert not same_cluster(clusters, "c", "d")


def test_a_non_match_decision_holds_even_through_a_third_record():
    clusters = cluster_records(
        ["a", "b", "c"],
        pairs(("a", "b", 0.99), ("b", "c", 0.95)),
        0.9,
        forced_non_matches=[("a", "c")],
    )
    assert not same_cluster(clusters, "a", "c")
    assert same_cluster(clusters, "a", "b")  # the stronger link is kept


def test_a_match_decision_joins_a_pair_whatever_its_score():
    clusters = cluster_records(["a", "b"], pairs(("a", "b", 0.2)), 0.9, forced_matches=[("a", "b")])
    assert same_cluster(clusters, "a", "b")
    assert clusters["match_probability"].tolist() == [1.0, 1.0]


def test_a_record_left_alone_reports_its_strongest_candidate():
    clusters = cluster_records(["a", "b", "c"], pairs(("a", "b", 0.6)), 0.9)
    assert clusters.set_index("record_id")["match_probability"].to_dict() == {
        "a": 0.6,
        "b": 0.6,
        "c": 0.0,
    }


def test_capture_history_counts_clusters_by_the_lists_they_appear_on():
    clusters = pd.DataFrame(
        {"record_id": ["1", "2", "3", "4", "5"], "cluster_id": ["x", "x", "y", "z", "z"]}
    )
    lists = pd.Series(["A", "B", "A", "A", "A"])  # z: twice on list A, once as a person
    history = capture_history(clusters, lists)
    assert history.to_dict("records") == [
        {"A": 1, "B": 1, "count": 1},
        {"A": 1, "B": 0, "count": 2},
    ]


def test_lists_known_to_name_each_person_once_never_share_a_cluster_twice():
    clusters = cluster_records(
        ["a1", "b1", "a2"],
        pairs(("a1", "b1", 0.99), ("b1", "a2", 0.95)),
        0.9,
        lists=["A", "B", "A"],
    )
    assert same_cluster(clusters, "a1", "b1")
    assert not same_cluster(clusters, "a2", "b1")  # the weaker link would put a1 and a2 together


def test_a_list_that_names_a_man_twice_is_linked_only_through_its_own_two_records():
    candidates = pairs(("a1", "b1", 0.99), ("b1", "a2", 0.95), ("a1", "a3", 0.97))
    clusters = cluster_records(
        ["a1", "b1", "a2", "a3"],
        candidates,
        0.9,
        lists=["A", "B", "A", "A"],
        direct_duplicates=True,
    )
    assert same_cluster(clusters, "a1", "a3")  # a direct link within list A
    assert not same_cluster(clusters, "a1", "a2")  # only through b1 of list B: refused


def test_links_of_equal_strength_are_taken_in_record_id_order_whatever_the_row_order():
    """Engines return pairs in no fixed order; tied links must not be settled by that order."""
    rows = [("a1", "b2", 0.9), ("a1", "b1", 0.9), ("b1", "c1", 0.95), ("b2", "c2", 0.95)]
    ids, lists = ["a1", "b1", "b2", "c1", "c2"], ["A", "B", "B", "C", "C"]
    forward = cluster_records(ids, pairs(*rows), 0.7, lists=lists)
    backward = cluster_records(ids, pairs(*reversed(rows)), 0.7, lists=lists)
    pd.testing.assert_frame_equal(forward, backward)
    assert same_cluster(forward, "a1", "b1")  # of two tied links, the one of the lower ids wins
    assert not same_cluster(forward, "a1", "b2")
