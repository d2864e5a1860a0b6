"""Alembic's entry point: upgrade the connection handed over in ``config.attributes``.

Run inside one transaction; on PostgreSQL an advisory lock keeps two servers starting at once
from migrating together (on SQLite the transaction's ``BEGIN IMMEDIATE`` does the same).
"""

from alembic import context
from sqlalchemy import text

from storage.schema import metadata

MIGRATION_LOCK = 716_016  # any constant: the advisory lock's key

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.run_migrations()
