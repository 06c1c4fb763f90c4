"""Accounts: the table `utilisateurs`.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "utilisateurs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("identifiant", sa.String(64), nullable=False, unique=True),
        sa.Column("nom", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("association", sa.String(100)),
        sa.Column("mot_de_passe", sa.String(255), nullable=False),
        sa.Column("actif", sa.Boolean, nullable=False),
        sa.Column("cree_le", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("utilisateurs")
