"""The migrations make exactly the tables ``store/schema.py`` describes, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from testament.store import Casebook
from testament.store.engine import make_engine
from testament.store.migrate import upgrade
from testament.store.schema import metadata


def test_a_migrated_casebook_has_the_schema_the_code_describes(casebook: Casebook) -> None:
    assert _differences(casebook) == []


def test_a_0004_casebook_migrates_to_the_schema_the_code_describes(casebook_location: str) -> None:
    engine = make_engine(casebook_location)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0004")
            assert "desk_reply" not in inspect(connection).get_table_names()
    finally:
        engine.dispose()
    Casebook.migrate(casebook_location)
    with Casebook.open(casebook_location) as casebook:
        assert _differences(casebook) == []


def _differences(casebook: Casebook) -> list[object]:
    """What the casebook's tables lack or have beyond ``schema.py``."""
    with casebook.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    def describes_fts(difference: object) -> bool:
        # SQLite's FTS5 index of sources (migration 0003) is a virtual table with its shadow
        # tables, and PostgreSQL's (migration 0006) a GIN index of an expression: both made by
        # SQL, not described in the schema, on purpose
        if not isinstance(difference, tuple):
            return False
        if difference[0] == "remove_table":
            return bool(difference[1].name.startswith("source_fts"))
        return bool(difference[0] == "remove_index" and difference[1].name == "ix_source_fulltext")

    return [d for d in differences if not describes_fts(d)]
