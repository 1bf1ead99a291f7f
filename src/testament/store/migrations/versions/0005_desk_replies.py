"""The replies sent to sources from the desk, recorded for colleagues.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

``desk_reply`` keeps one row per reply sent to a source through the intake (``testament desk
reply`` or the desk's reply form): the intake's id of the reply, the source it answers, who sent
it, when (UTC), and its text. The intake holds only ciphertext that the desk cannot read back; the
text is kept here so that colleagues know what was promised to the source. It inherits the
source's confidentiality: the desk shows it only on the source's page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "desk_reply",
        sa.Column("id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name="fk_desk_reply_source_id_source"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_desk_reply"),
    )
    op.create_index("ix_desk_reply_source_id", "desk_reply", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_desk_reply_source_id", table_name="desk_reply")
    op.drop_table("desk_reply")
