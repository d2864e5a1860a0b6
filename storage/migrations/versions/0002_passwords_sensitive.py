"""Local accounts' password hashes; each dataset's columns marked sensitive.

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
    """Add ``users.password_hash`` and ``datasets.sensitive_columns``."""
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
    with op.batch_alter_table("datasets") as table:
        table.add_column(
            sa.Column("sensitive_columns", sa.Text, nullable=False, server_default="")
        )


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("datasets") as table:
        table.drop_column("sensitive_columns")
    with op.batch_alter_table("users") as table:
        table.drop_column("password_hash")
