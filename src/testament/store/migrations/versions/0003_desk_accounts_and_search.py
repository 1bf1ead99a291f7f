"""The desk's web accounts, sessions and read marks; reasons in the audit log; source search.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

``audit_log.reason`` holds why a reviewer opened a secret record (actions ``view`` and
``download``). ``ix_source_inbox`` lets the desk count and page its inbox from an index instead
of reading every source's text. On SQLite, ``source_fts`` is an FTS5 index over the titles and
texts of sources, an external-content table kept current by triggers on ``source``; an SQLite
built without FTS5 gets no index and the desk searches with LIKE instead (as it does on
PostgreSQL for now).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.String(128)

_FTS_TRIGGERS = {
    "source_fts_insert": (
        "AFTER INSERT ON source BEGIN "
        "INSERT INTO source_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
    ),
    "source_fts_delete": (
        "AFTER DELETE ON source BEGIN "
        "INSERT INTO source_fts(source_fts, rowid, title, text) "
        "VALUES ('delete', old.rowid, old.title, old.text); END"
    ),
    "source_fts_update": (
        "AFTER UPDATE ON source BEGIN "
        "INSERT INTO source_fts(source_fts, rowid, title, text) "
        "VALUES ('delete', old.rowid, old.title, old.text); "
        "INSERT INTO source_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
    ),
}


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("reason", sa.Text(), nullable=True))
    op.create_table(
        "desk_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("enrol_token_sha256", sa.String(64), nullable=True),
        sa.Column("enrol_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_desk_user"),
        sa.UniqueConstraint("name", name="uq_desk_user_name"),
    )
    op.create_table(
        "desk_session",
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["desk_user.id"], name="fk_desk_session_user_id_desk_user"
        ),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_desk_session"),
    )
    op.create_index("ix_desk_session_user_id", "desk_session", ["user_id"])
    op.create_table(
        "desk_read",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["desk_user.id"], name="fk_desk_read_user_id_desk_user"
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name="fk_desk_read_source_id_source"),
        sa.PrimaryKeyConstraint("user_id", "source_id", name="pk_desk_read"),
    )
    op.create_index("ix_source_inbox", "source", ["kind", "created_at", "id", "confidentiality"])
    if op.get_bind().dialect.name == "sqlite":
        _create_source_index()


def _create_source_index() -> None:
    bind = op.get_bind()
    try:
        bind.exec_driver_sql(
            "CREATE VIRTUAL TABLE source_fts USING fts5("
            "title, text, content='source', content_rowid='rowid', tokenize='unicode61')"
        )
    except sa.exc.OperationalError:
        return  # this SQLite has no FTS5: the desk searches with LIKE
    for name, body in _FTS_TRIGGERS.items():
        bind.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    bind.exec_driver_sql("INSERT INTO source_fts(source_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS source_fts")
    op.drop_index("ix_source_inbox", table_name="source")
    op.drop_table("desk_read")
    op.drop_index("ix_desk_session_user_id", table_name="desk_session")
    op.drop_table("desk_session")
    op.drop_table("desk_user")
    op.drop_column("audit_log", "reason")
