"""The database's tables (SQLAlchemy Core), as the newest migration leaves them.

The migrations in ``storage/migrations/versions`` create and change them; a test checks that
the migrated database and these tables agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

#: What the audit trail records.
ACTIONS = ("upload", "share", "unshare", "export", "delete", "restore", "publish")
ID_LENGTH = 43
NAME_LENGTH = 500


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored in UTC and read back as an aware ``datetime``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """Store ``value`` in UTC (naive for SQLite, which has no time zones)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("storage times must be aware datetimes")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Return the stored time as an aware UTC ``datetime``."""
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created", UTCDateTime, nullable=False),
    #: A local account's argon2 hash; None for one who signs in elsewhere (OIDC) or not at all.
    Column("password_hash", String(200), nullable=True),
)

teams = Table(
    "teams",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created", UTCDateTime, nullable=False),
)

team_members = Table(
    "team_members",
    metadata,
    Column("team_id", String(ID_LENGTH), ForeignKey("teams.id"), primary_key=True),
    Column("user_id", String(ID_LENGTH), ForeignKey("users.id"), primary_key=True),
)

contents = Table(
    "contents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("owner_id", String(ID_LENGTH), ForeignKey("users.id"), nullable=False, index=True),
    Column("public", Boolean, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime, nullable=True),
    #: Columns the owner marked sensitive, one per line ('' for none).
    Column("sensitive_columns", Text, nullable=False, server_default=""),
)

versions = Table(
    "versions",
    metadata,
    Column("dataset_id", String(ID_LENGTH), ForeignKey("datasets.id"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("filename", String(NAME_LENGTH), nullable=False),
    Column("read_as", String(40), nullable=False),
    Column("sha256", String(64), ForeignKey("contents.sha256"), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("uploaded_by", String(ID_LENGTH), ForeignKey("users.id"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("restored_from", Integer, nullable=True),
)

shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", String(ID_LENGTH), ForeignKey("datasets.id"), nullable=False),
    Column("user_id", String(ID_LENGTH), ForeignKey("users.id"), nullable=True),
    Column("team_id", String(ID_LENGTH), ForeignKey("teams.id"), nullable=True),
    Column("role", String(10), nullable=False),
    CheckConstraint("role IN ('viewer', 'editor')", name="ck_shares_role"),
    CheckConstraint("(user_id IS NULL) <> (team_id IS NULL)", name="ck_shares_one_grantee"),
    UniqueConstraint("dataset_id", "user_id", name="uq_shares_user"),
    UniqueConstraint("dataset_id", "team_id", name="uq_shares_team"),
)

#: No foreign keys: the trail outlives the datasets it tells of (purged after 30 days).
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user_id", String(ID_LENGTH), nullable=True),
    Column("action", String(20), nullable=False),
    Column("dataset_id", String(ID_LENGTH), nullable=True, index=True),
    Column("version", Integer, nullable=True),
    Column("detail", Text, nullable=False),
    CheckConstraint(
        "action IN (" + ", ".join(f"'{a}'" for a in ACTIONS) + ")", name="ck_audit_action"
    ),
)
