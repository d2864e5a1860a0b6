"""The permission rules (storage.permissions) and the choice of database (storage.engine)."""

from __future__ import annotations

import datetime as dt
import stat

import pytest

from storage import permissions as rules
from storage.engine import DATABASE_URL_ENV, database_url
from storage.permissions import Access, Role
from storage.store import open_store

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
RULES = (
    rules.can_view,
    rules.can_export,
    rules.can_upload_version,
    rules.can_delete,
    rules.can_share,
    rules.can_read_audit,
)


def allowed(access: Access) -> tuple[bool, ...]:
    return tuple(rule(access) for rule in RULES)


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        # view, export, upload, delete, share, audit
        (Access(True, None, False, None), (True, True, True, True, True, True)),
        (Access(False, Role.EDITOR, False, None), (True, True, True, False, False, False)),
        (Access(False, Role.VIEWER, False, None), (True, True, False, False, False, False)),
        (Access(False, None, True, None), (True, True, False, False, False, False)),
        (Access(False, None, False, None), (False,) * 6),
        (Access(False, Role.EDITOR, True, NOW), (False,) * 6),
        (Access(True, None, True, NOW), (False, False, False, False, False, True)),
    ],
    ids=["owner", "editor", "viewer", "public", "stranger", "deleted-editor", "deleted-owner"],
)
def test_who_may_do_what(access, expected):
    assert allowed(access) == expected


def test_only_the_owner_restores_and_only_for_30_days():
    deleted = NOW - dt.timedelta(days=rules.RESTORE_DAYS)
    assert rules.can_restore(Access(True, None, False, deleted), NOW)
    assert not rules.can_restore(Access(True, None, False, deleted), NOW + dt.timedelta(seconds=1))
    assert not rules.can_restore(Access(False, Role.EDITOR, False, deleted), NOW)
    assert not rules.can_restore(Access(True, None, False, None), NOW)
    assert rules.purge_cutoff(NOW) == deleted


def test_the_default_database_is_an_owner_only_sqlite_file_in_the_workspace(tmp_path, monkeypatch):
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    workspace = tmp_path / "workspace"
    url = database_url(workspace)
    assert url == f"sqlite:///{workspace / 'border-map.db'}"
    open_store(workspace).close()
    assert stat.S_IMODE((workspace / "border-map.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(workspace.stat().st_mode) == 0o700
    monkeypatch.setenv(DATABASE_URL_ENV, " postgresql+psycopg://team@db.internal/border ")
    assert database_url(workspace) == "postgresql+psycopg://team@db.internal/border"
