"""Linking a casebook's listed persons is one library call: records in memory, links stored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from testament.casework.histories import capture_histories
from testament.casework.linking import link_casebook
from testament.core.errors import InputError
from testament.core.records import Person
from testament.link import LinkSettings
from testament.store import Casebook
from testament.store.persons import person_links
from tests.support.listed_persons import listed_persons


def test_a_casebook_is_linked_and_its_links_stored_in_one_call(tmp_path: Path) -> None:
    records, person_of = listed_persons()
    with Casebook.create(tmp_path / "casebook.sqlite") as casebook:
        casebook.add(records, actor="analyst")  # type: ignore[arg-type]
        steps: list[str] = []
        linked = link_casebook(casebook, LinkSettings(), actor="analyst", step=steps.append)
        stored = person_links(casebook, linked.run_id)
        histories = capture_histories(casebook, linked.run_id)
    assert linked.persons == len(person_of) == len(stored)
    assert linked.people == len({link.cluster_id for link in stored})
    assert linked.unlisted_persons == 0
    assert linked.lists == ("list-list_a", "list-list_b", "list-list_c")
    assert set(linked.records["record_id"]) == set(person_of)
    assert linked.linkage.review_queue is not None
    assert "clustering" in steps
    assert list(tmp_path.iterdir()) == [tmp_path / "casebook.sqlite"]  # no file round trip
    # The stored run counts the same people by list as the linkage itself did.
    pd.testing.assert_frame_equal(histories.frame, linked.linkage.history)


def test_a_casebook_without_listed_persons_stores_nothing(tmp_path: Path) -> None:
    with Casebook.create(tmp_path / "casebook.sqlite") as casebook:
        casebook.add([Person(id="p1", pseudonym="not on a list")], actor="analyst")
        with pytest.raises(InputError, match="no persons on a list"):
            link_casebook(casebook, LinkSettings(), actor="analyst")
        assert person_links(casebook) == []
