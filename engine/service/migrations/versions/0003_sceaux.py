"""Seals of the journal: RFC 3161 timestamp tokens over a row's `empreinte`.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sceaux",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("journal_id", sa.Integer, sa.ForeignKey("journal.id"), nullable=False),
        sa.Column("empreinte", sa.String(64), nullable=False),
        sa.Column("autorite", sa.String(300), nullable=False),
        sa.Column("heure", sa.String(32), nullable=False),
        sa.Column("jeton", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sceaux")
