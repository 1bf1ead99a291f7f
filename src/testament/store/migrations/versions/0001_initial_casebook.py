"""The first casebook schema: one table per record type, and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Migrations are frozen history: they define their columns here rather than import them from
``schema.py``, which describes only the newest schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(128)


def _record(name: str, *columns: sa.Column[object] | sa.Constraint) -> None:
    op.create_table(
        name,
        sa.Column("id", ID, nullable=False),
        sa.Column("confidentiality", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )


def _fk(column: str, table: str, owner: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=f"fk_{owner}_{column}_{table}")


def _date(name: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{name}_edtf", sa.String(100), nullable=True),
        sa.Column(f"{name}_as_reported", sa.String(500), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "casebook_info",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_casebook_info"),
    )
    op.execute("INSERT INTO casebook_info (key, value) VALUES ('application', 'testament')")
    _record(
        "place",
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("iso3166_2", sa.String(10), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("precision", sa.String(32), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
    )
    _record(
        "organisation",
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("org_type", sa.String(32), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        _fk("parent_id", "organisation", "organisation"),
    )
    _record(
        "source",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("outlet", sa.String(500), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        *_date("published"),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
    )
    op.create_table(
        "source_derivation",
        sa.Column("source_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("derived_from_id", ID, nullable=False),
        _fk("source_id", "source", "source_derivation"),
        _fk("derived_from_id", "source", "source_derivation"),
        sa.PrimaryKeyConstraint("source_id", "position", name="pk_source_derivation"),
    )
    _record(
        "informant",
        sa.Column("pseudonym", sa.String(500), nullable=False),
        sa.Column("connection", sa.String(32), nullable=False),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("risk", sa.String(16), nullable=False),
        sa.Column("identity_ref", sa.String(500), nullable=True),
    )
    _record(
        "person",
        sa.Column("pseudonym", sa.String(500), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("age_band", sa.String(32), nullable=False),
        *_date("birth"),
        sa.Column("deceased", sa.Boolean(), nullable=True),
        sa.Column("source_id", ID, nullable=True),
        _fk("source_id", "source", "person"),
    )
    _record(
        "victim_group",
        sa.Column("pseudonym", sa.String(500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("size_min", sa.Integer(), nullable=True),
        sa.Column("size_max", sa.Integer(), nullable=True),
    )
    _record(
        "event",
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        *_date("date"),
        sa.Column("place_id", ID, nullable=True),
        _fk("place_id", "place", "event"),
    )
    op.create_table(
        "event_link",
        sa.Column("event_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(32), nullable=False),
        sa.Column("other_event_id", ID, nullable=False),
        _fk("event_id", "event", "event_link"),
        _fk("other_event_id", "event", "event_link"),
        sa.PrimaryKeyConstraint("event_id", "position", name="pk_event_link"),
    )
    _record(
        "act",
        sa.Column("event_id", ID, nullable=False),
        sa.Column("act_type", sa.String(32), nullable=False),
        sa.Column("victim_id", ID, nullable=True),
        *_date("date"),
        sa.Column("place_id", ID, nullable=True),
        sa.Column("status_at_end", sa.String(32), nullable=False),
        _fk("event_id", "event", "act"),
        _fk("place_id", "place", "act"),
    )
    op.create_index("ix_act_event_id", "act", ["event_id"])
    _record(
        "involvement",
        sa.Column("act_id", ID, nullable=False),
        sa.Column("perpetrator_id", ID, nullable=False),
        sa.Column("degree", sa.String(32), nullable=False),
        _fk("act_id", "act", "involvement"),
    )
    op.create_index("ix_involvement_act_id", "involvement", ["act_id"])
    _record(
        "claim",
        sa.Column("source_id", ID, nullable=False),
        sa.Column("informant_id", ID, nullable=True),
        sa.Column("target_kind", sa.String(8), nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("count_min", sa.Integer(), nullable=True),
        sa.Column("count_max", sa.Integer(), nullable=True),
        _fk("source_id", "source", "claim"),
        _fk("informant_id", "informant", "claim"),
    )
    op.create_index("ix_claim_source_id", "claim", ["source_id"])
    op.create_index("ix_claim_target", "claim", ["target_kind", "target_id"])
    _record(
        "assessment",
        sa.Column("target_kind", sa.String(8), nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("standard_of_proof", sa.String(32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(500), nullable=False),
        sa.Column("assessed_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("batch", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_record", "audit_log", ["record_type", "record_id"])
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """The database itself refuses to change or delete audit entries, whoever asks."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    raise RuntimeError("the first casebook schema cannot be downgraded: start a new casebook")
