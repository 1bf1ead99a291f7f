"""The migrations make exactly the tables ``store/schema.py`` describes, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from testament.store import Casebook
from testament.store.schema import metadata


def test_a_migrated_casebook_has_the_schema_the_code_describes(casebook: Casebook) -> None:
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

    assert [d for d in differences if not describes_fts(d)] == []
