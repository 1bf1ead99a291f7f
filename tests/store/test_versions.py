"""Optimistic locking: a change made to a version that is no longer current is refused whole."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from testament.core.errors import RecordNotFoundError, VersionConflictError
from testament.core.records import Source
from testament.store import Casebook


def _source(outlet: str, *derived: str) -> Source:
    return Source(id="s1", kind="news_article", outlet=outlet, derived_from=tuple(derived))


def _stored(casebook: Casebook) -> None:
    casebook.add(
        [Source(id="a", kind="news_article"), Source(id="b", kind="news_article"), _source("X")],
        actor="amina",
    )


def test_a_change_to_the_current_version_is_stored(casebook: Casebook) -> None:
    _stored(casebook)
    assert casebook.update(_source("Y", "a"), actor="boris", expected_version=1) == 2
    assert casebook.get("source", "s1") == _source("Y", "a")
    assert casebook.meta("source", "s1").version == 2
    assert casebook.update(_source("Z"), actor="amina", expected_version=2) == 3


def test_a_change_to_an_old_version_writes_nothing_and_names_the_current_one(
    casebook: Casebook,
) -> None:
    _stored(casebook)
    casebook.update(_source("first", "a"), actor="amina", expected_version=1)
    audit_before = casebook.audit("s1")
    with pytest.raises(VersionConflictError) as raised:
        casebook.update(_source("second", "b"), actor="boris", expected_version=1)
    assert raised.value.current_version == 2
    assert (raised.value.record_type, raised.value.record_id) == ("source", "s1")
    assert "changed by someone else" in str(raised.value)
    # nothing of the refused change: content, side table (derived_from), version, audit
    assert casebook.get("source", "s1") == _source("first", "a")
    assert casebook.meta("source", "s1").version == 2
    assert casebook.meta("source", "s1").updated_by == "amina"
    assert casebook.audit("s1") == audit_before


def test_the_version_is_tested_in_the_update_statement_itself(
    casebook: Casebook, casebook_location: str
) -> None:
    """A colleague's change committed after this update read the version but before it
    wrote: the conditional UPDATE matches no row, so the change is refused, not lost over."""
    _stored(casebook)
    fired: list[str] = []

    def colleague_first(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE SOURCE") and not fired:
            fired.append(statement)
            with Casebook.open(casebook_location) as other:
                other.update(_source("colleague"), actor="boris", expected_version=1)

    event.listen(casebook.engine, "before_cursor_execute", colleague_first)
    try:
        with pytest.raises(VersionConflictError) as raised:
            casebook.update(_source("mine"), actor="amina", expected_version=1)
    finally:
        event.remove(casebook.engine, "before_cursor_execute", colleague_first)
    assert fired, "the colleague's change did not run between the read and the write"
    assert raised.value.current_version == 2
    assert casebook.get("source", "s1") == _source("colleague")
    assert [entry.actor for entry in casebook.audit("s1")] == ["amina", "boris"]


def test_without_an_expected_version_the_change_applies_to_whatever_is_current(
    casebook: Casebook,
) -> None:
    _stored(casebook)
    casebook.update(_source("one"), actor="amina")
    assert casebook.update(_source("two"), actor="boris") == 3
    entries = casebook.audit("s1")
    assert entries[-1].before is not None
    assert entries[-1].before["outlet"] == "one"


def test_updating_a_record_that_does_not_exist_says_so(casebook: Casebook) -> None:
    with pytest.raises(RecordNotFoundError, match="no source has the id 's1'"):
        casebook.update(_source("X"), actor="amina", expected_version=1)
