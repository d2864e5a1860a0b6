"""Users, teams, datasets with versions and shares, stored contents, the audit trail.

Revision ID: 0001
Revises: none
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(43)
NAME = sa.String(500)
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "users",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created", TIME, nullable=False),
    )
    op.create_table(
        "teams",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created", TIME, nullable=False),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", ID, sa.ForeignKey("teams.id"), primary_key=True),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), primary_key=True),
    )
    op.create_table(
        "contents",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "datasets",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", NAME, nullable=False),
        sa.Column("owner_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("created", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
    )
    op.create_table(
        "versions",
        sa.Column("dataset_id", ID, sa.ForeignKey("datasets.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("filename", NAME, nullable=False),
        sa.Column("read_as", sa.String(40), nullable=False),
        sa.Column(
            "sha256", sa.String(64), sa.ForeignKey("contents.sha256"), nullable=False, index=True
        ),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("uploaded_by", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created", TIME, nullable=False),
        sa.Column("restored_from", sa.Integer, nullable=True),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", ID, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'editor')", name="ck_shares_role"),
        sa.CheckConstraint("(user_id IS NULL) <> (team_id IS NULL)", name="ck_shares_one_grantee"),
        sa.UniqueConstraint("dataset_id", "user_id", name="uq_shares_user"),
        sa.UniqueConstraint("dataset_id", "team_id", name="uq_shares_team"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("dataset_id", ID, nullable=True, index=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
        sa.CheckConstraint(
            "action IN ('upload', 'share', 'unshare', 'export', 'delete', 'restore', 'publish')",
            name="ck_audit_action",
        ),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in (
        "audit_events",
        "shares",
        "versions",
        "datasets",
        "contents",
        "team_members",
        "teams",
        "users",
    ):
        op.drop_table(table)
