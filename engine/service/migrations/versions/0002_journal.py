"""The audit journal: the table `journal`, a hash chain.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("horodatage", sa.String(32), nullable=False),
        sa.Column("utilisateur", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("objet", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("empreinte_precedente", sa.String(64), nullable=False, unique=True),
        sa.Column("empreinte", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("journal")
