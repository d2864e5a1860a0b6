"""The storage suite runs once per backend: SQLite always, PostgreSQL on a real server.

PostgreSQL runs when ``BORDER_MAP_TEST_POSTGRES_URL`` names a server where the user may create
databases (``.ci/run`` starts one); each test gets a database of its own, dropped after it.
Without the variable the PostgreSQL tests skip, except under CI (``CI`` set) or with
``REQUIRE_POSTGRES=1``, where they fail.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from storage.store import Store, open_store

POSTGRES_ENV = "BORDER_MAP_TEST_POSTGRES_URL"
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def postgres_required() -> bool:
    """Return True when a missing PostgreSQL must fail the suite (CI)."""
    return os.environ.get("REQUIRE_POSTGRES") == "1" or bool(os.environ.get("CI"))


class FakeClock:
    """A clock that moves 1 ms a reading (times stay distinct and ordered) and jumps on demand."""

    def __init__(self) -> None:
        self.base = START
        self._ticks = itertools.count()

    def __call__(self) -> dt.datetime:
        return self.base + dt.timedelta(milliseconds=next(self._ticks))

    def advance(self, **delta: float) -> dt.datetime:
        self.base += dt.timedelta(**delta)
        return self()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A new, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'border-map.db'}"
        return
    server = os.environ.get(POSTGRES_ENV, "").strip()
    if not server:
        message = f"{POSTGRES_ENV} is not set (a PostgreSQL server to test against)"
        if postgres_required():
            pytest.fail(f"{message}, but CI/REQUIRE_POSTGRES=1 requires it")
        pytest.skip(message)
    name = f"border_map_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url, tmp_path, clock) -> Iterator[Store]:
    opened = open_store(tmp_path, database_url, clock=clock)
    yield opened
    opened.close()
