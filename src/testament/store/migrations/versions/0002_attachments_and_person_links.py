"""Evidence attachments of sources (intake pulls) and record-linkage results on persons.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("filename", sa.String(500), nullable=True),
        sa.Column("content_type", sa.String(200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("working_sha256", sa.String(64), nullable=False),
        sa.Column("stripped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name="fk_attachment_source_id_source"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attachment"),
    )
    op.create_index("ix_attachment_source_id", "attachment", ["source_id"])
    op.create_table(
        "person_link",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("cluster_id", sa.String(128), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_person_link_person_id_person"
        ),
        sa.PrimaryKeyConstraint("run_id", "person_id", name="pk_person_link"),
    )
    op.create_index("ix_person_link_cluster_id", "person_link", ["cluster_id"])


def downgrade() -> None:
    op.drop_index("ix_person_link_cluster_id", table_name="person_link")
    op.drop_table("person_link")
    op.drop_index("ix_attachment_source_id", table_name="attachment")
    op.drop_table("attachment")
