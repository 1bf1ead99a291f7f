"""The review queue of each linkage run, and reviewers' decisions on pairs of persons.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

``person_review_pair`` keeps, per linkage run, the uncertain pairs (between the review and the
match threshold) with their match probability: the desk's review queue is read from it, since a
person's link row keeps only its cluster's probability, not each pair's. ``link_decision`` holds
one reviewer decision per pair (``same`` or ``different``, who, when, a note); the next linkage
run honours it, and every decision is in the audit log as well.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "person_review_pair",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("pair_id", sa.String(16), nullable=False),
        sa.Column("person_id_l", ID, nullable=False),
        sa.Column("person_id_r", ID, nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id_l"], ["person.id"], name="fk_person_review_pair_person_id_l_person"
        ),
        sa.ForeignKeyConstraint(
            ["person_id_r"], ["person.id"], name="fk_person_review_pair_person_id_r_person"
        ),
        sa.PrimaryKeyConstraint("run_id", "pair_id", name="pk_person_review_pair"),
    )
    op.create_table(
        "link_decision",
        sa.Column("pair_id", sa.String(16), nullable=False),
        sa.Column("person_id_l", ID, nullable=False),
        sa.Column("person_id_r", ID, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id_l"], ["person.id"], name="fk_link_decision_person_id_l_person"
        ),
        sa.ForeignKeyConstraint(
            ["person_id_r"], ["person.id"], name="fk_link_decision_person_id_r_person"
        ),
        sa.PrimaryKeyConstraint("pair_id", name="pk_link_decision"),
    )


def downgrade() -> None:
    op.drop_table("link_decision")
    op.drop_table("person_review_pair")
