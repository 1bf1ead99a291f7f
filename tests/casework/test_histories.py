"""A casebook's capture histories: its linked people counted by the lists that recorded them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testament.casework.histories import capture_histories
from testament.core.errors import InputError, RecordNotFoundError
from testament.core.records import Person
from testament.estimate.table import parse_table
from testament.store import Casebook
from tests.casework.captured import LISTS, add_captured_people, as_csv, store_run

PATTERNS = {"110": 3, "100": 2, "011": 1, "001": 4, "111": 2}


@pytest.fixture
def casebook(tmp_path: Path) -> Iterator[Casebook]:
    with Casebook.create(tmp_path / "casebook.sqlite") as opened:
        yield opened


def test_each_person_is_counted_once_by_the_lists_that_recorded_them(casebook: Casebook) -> None:
    store_run(casebook, add_captured_people(casebook, PATTERNS), "run-1")
    histories = capture_histories(casebook)
    assert histories.run_id == "run-1"
    assert histories.lists == LISTS
    rows = {
        "".join(str(row[name]) for name in LISTS): row["count"]
        for row in histories.frame.to_dict("records")
    }
    assert rows == PATTERNS
    assert histories.people == sum(PATTERNS.values()) == 12
    assert histories.persons == sum(n * pattern.count("1") for pattern, n in PATTERNS.items())
    assert histories.unlisted_persons == 0


def test_the_table_is_the_one_estimate_reads_from_a_file(casebook: Casebook) -> None:
    store_run(casebook, add_captured_people(casebook, PATTERNS), "run-1")
    table = capture_histories(casebook).table()
    from_file = parse_table(as_csv(PATTERNS))
    assert table.lists == from_file.lists
    assert table.histories.tolist() == from_file.histories.tolist()
    assert table.counts.tolist() == from_file.counts.tolist()
    assert table.source == "linkage run run-1"  # messages name the run the numbers came from


def test_the_latest_run_is_counted_unless_another_is_named(casebook: Casebook) -> None:
    links = add_captured_people(casebook, PATTERNS)
    store_run(casebook, links, "first")
    apart = [(person, f"alone-{person}", None) for person, _, _ in links]  # nobody linked
    store_run(casebook, apart, "second")
    assert capture_histories(casebook).run_id == "second"
    assert capture_histories(casebook).people == len(links)
    assert capture_histories(casebook, "first").people == 12


def test_a_person_on_no_list_is_left_out_and_counted_apart(casebook: Casebook) -> None:
    links = add_captured_people(casebook, PATTERNS)
    casebook.add([Person(id="stray", pseudonym="on no list")], actor="analyst")
    store_run(casebook, [*links, ("stray", "stray-cluster", None)], "run-1")
    histories = capture_histories(casebook)
    assert histories.unlisted_persons == 1
    assert histories.people == 12


def test_a_casebook_never_linked_says_how_to_link_it(casebook: Casebook) -> None:
    with pytest.raises(InputError, match="testament link casebook"):
        capture_histories(casebook)


def test_a_run_that_is_not_stored_is_named_in_the_error(casebook: Casebook) -> None:
    store_run(casebook, add_captured_people(casebook, PATTERNS), "run-1")
    with pytest.raises(RecordNotFoundError, match="'run-9'"):
        capture_histories(casebook, "run-9")
