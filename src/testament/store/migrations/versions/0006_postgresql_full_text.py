"""A full-text index of sources on PostgreSQL, so that the desk's search reads no text.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

SQLite casebooks have had ``source_fts`` (FTS5) since migration 0003. On PostgreSQL the desk
searched with LIKE, which reads every testimony's text for every search. ``ix_source_fulltext``
is a GIN index over the ``simple`` text-search configuration of each source's title and text
(lower-cased words, no stemming and no stop words: a name must stay the name it is, in any
language). The inbox's query uses the same expression (``desk.inbox.POSTGRESQL_DOCUMENT``).
Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_DOCUMENT = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_source_fulltext ON source USING gin ({_DOCUMENT})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_source_fulltext")
