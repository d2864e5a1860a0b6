"""Which database, and how to talk to it: the URL setting, engines, migrations, dialect bits.

``BORDER_MAP_DATABASE_URL`` picks the backend: unset, a SQLite file in the workspace
directory (``sqlite:///<workspace>/border-map.db``); ``postgresql+psycopg://user@host/db`` for
a team server. Everything else in ``storage`` is the same for both.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

DATABASE_URL_ENV = "BORDER_MAP_DATABASE_URL"
SQLITE_FILE = "border-map.db"
#: Seconds a SQLite writer waits for another one to finish before it gives up.
SQLITE_BUSY_SECONDS = 30
#: Execution option of a connection that only reads (SQLite: a deferred transaction).
READ_ONLY = "border_map_read_only"
#: Alembic's ``context`` is one global per process: migrations in two threads must take turns.
_MIGRATING = threading.Lock()


def database_url(workspace: Path) -> str:
    """Return the database URL: env ``BORDER_MAP_DATABASE_URL``, else SQLite in ``workspace``."""
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return configured
    return f"sqlite:///{Path(workspace).expanduser().resolve() / SQLITE_FILE}"


def make_engine(url: str) -> Engine:
    """Return an engine for ``url`` (SQLite or PostgreSQL), ready for concurrent writers.

    SQLite: the file and its directory are created owner-only; foreign keys on, WAL journal,
    and every writing transaction starts with ``BEGIN IMMEDIATE`` (writers queue up for
    :data:`SQLITE_BUSY_SECONDS` instead of failing on a lock upgrade).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision (Alembic, shipped in the package)."""
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    with _MIGRATING, engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def insert_if_absent(connection: Connection, table: Table, values: dict[str, Any]) -> None:
    """Insert a row unless one with the same primary key exists (also under concurrency)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    connection.execute(statement)
