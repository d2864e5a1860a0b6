"""The storage interface on each backend (tests/storage/conftest.py: SQLite, PostgreSQL)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from render.markup import FORMULA_STARTS, restore
from storage.permissions import Role
from storage.schema import audit_events, contents, metadata
from storage.store import (
    AUDIT_CSV_COLUMNS,
    NameTaken,
    NotFound,
    PermissionDenied,
    Store,
    open_store,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(store):
    return store.add_user("alice"), store.add_user("bob"), store.add_user("carol")


def _denied_everything(store: Store, user, dataset_id: str) -> None:
    """``user`` can neither find nor touch the dataset: every call says it does not exist."""
    assert dataset_id not in {d.id for d in store.list_datasets(user)}
    calls = [
        lambda: store.dataset(user, dataset_id),
        lambda: store.versions(user, dataset_id),
        lambda: store.read_version(user, dataset_id),
        lambda: store.record_export(user, dataset_id, 1, "csv"),
    ]
    if user is not None:
        calls += [
            lambda: store.upload_version(user, dataset_id, b"mine now", "x.csv"),
            lambda: store.delete(user, dataset_id),
            lambda: store.restore(user, dataset_id),
            lambda: store.set_public(user, dataset_id, True),
            lambda: store.share(user, dataset_id, Role.EDITOR, user=user),
            lambda: store.audit_trail(user, dataset_id),
        ]
    for call in calls:
        with pytest.raises(NotFound):
            call()


def test_migrations_build_the_declared_schema_and_rerun_as_a_no_op(store, database_url, tmp_path):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    open_store(tmp_path, database_url).close()  # a second start: nothing to upgrade
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0002"


def test_a_dataset_is_private_to_its_owner_by_default(store, people):
    alice, bob, _carol = people
    mine = store.create_dataset(alice.id, b"a,b\n1,2\n", "incidents.csv")
    assert (mine.role, mine.public, mine.latest, mine.name) == ("owner", False, 1, "incidents.csv")
    assert len(mine.id) >= 22 and mine.id != store.create_dataset(alice.id, b"x", "x.csv").id
    assert [d.id for d in store.list_datasets(alice.id)][-1] == mine.id
    _denied_everything(store, bob.id, mine.id)
    _denied_everything(store, None, mine.id)
    # the same answer as for an id that does not exist: ids cannot be probed
    with pytest.raises(NotFound):
        store.dataset(bob.id, "no-such-dataset")
    assert store.read_version(alice.id, mine.id) == b"a,b\n1,2\n"


def test_a_viewer_sees_and_exports_but_cannot_change(store, people):
    alice, bob, carol = people
    data = store.create_dataset(alice.id, b"v1", "a.csv")
    store.share(alice.id, data.id, Role.VIEWER, user=bob.id)
    assert [(d.id, d.role) for d in store.list_datasets(bob.id)] == [(data.id, "viewer")]
    assert store.read_version(bob.id, data.id) == b"v1"
    store.record_export(bob.id, data.id, 1, "xlsx")
    for refused in (
        lambda: store.upload_version(bob.id, data.id, b"v2", "a.csv"),
        lambda: store.restore_version(bob.id, data.id, 1),
        lambda: store.delete(bob.id, data.id),
        lambda: store.share(bob.id, data.id, Role.VIEWER, user=carol.id),
        lambda: store.set_public(bob.id, data.id, True),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    with pytest.raises(NotFound):  # the trail is the owner's
        store.audit_trail(bob.id, data.id)
    _denied_everything(store, carol.id, data.id)


def test_an_editor_uploads_versions_and_an_unshare_takes_it_all_back(store, people):
    alice, bob, _carol = people
    data = store.create_dataset(alice.id, b"v1", "a.csv")
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    version = store.upload_version(bob.id, data.id, b"v2 by bob", "a2.csv")
    assert (version.number, version.uploaded_by) == (2, bob.id)
    assert store.read_version(alice.id, data.id) == b"v2 by bob"
    with pytest.raises(PermissionDenied):
        store.delete(bob.id, data.id)
    store.share(alice.id, data.id, Role.VIEWER, user=bob.id)  # replaces the role
    with pytest.raises(PermissionDenied):
        store.upload_version(bob.id, data.id, b"v3", "a.csv")
    store.unshare(alice.id, data.id, user=bob.id)
    _denied_everything(store, bob.id, data.id)


def test_a_team_share_reaches_its_members_only_and_the_strongest_role_wins(store, people):
    alice, bob, carol = people
    team = store.add_team("field researchers", members=(bob.id,))
    data = store.create_dataset(alice.id, b"v1", "a.csv")
    store.share(alice.id, data.id, Role.VIEWER, team=team.id)
    assert store.dataset(bob.id, data.id).role == "viewer"
    _denied_everything(store, carol.id, data.id)
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    assert store.dataset(bob.id, data.id).role == "editor"
    store.upload_version(bob.id, data.id, b"v2", "a.csv")
    store.unshare(alice.id, data.id, user=bob.id)
    assert store.dataset(bob.id, data.id).role == "viewer"  # the team's share remains
    with pytest.raises(ValueError):
        store.share(alice.id, data.id, Role.VIEWER, user=bob.id, team=team.id)


def test_a_public_dataset_is_read_only_for_anyone_and_only_the_owner_publishes(store, people):
    alice, bob, _carol = people
    data = store.create_dataset(alice.id, b"published", "a.csv")
    store.set_public(alice.id, data.id, True)
    for visitor in (None, bob.id):
        assert store.dataset(visitor, data.id).role == "public"
        assert store.read_version(visitor, data.id) == b"published"
        store.record_export(visitor, data.id, 1, "html")
    assert store.list_datasets(bob.id) == []  # opened by its id, never listed
    for refused in (
        lambda: store.upload_version(bob.id, data.id, b"defaced", "a.csv"),
        lambda: store.delete(bob.id, data.id),
        lambda: store.set_public(bob.id, data.id, False),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    store.set_public(alice.id, data.id, False)
    _denied_everything(store, bob.id, data.id)
    _denied_everything(store, None, data.id)


def test_every_upload_is_a_version_and_an_earlier_one_is_restored_as_the_newest(store, people):
    alice, _bob, _carol = people
    data = store.create_dataset(alice.id, b"first", "a.csv", name="Returns 2023")
    store.upload_version(alice.id, data.id, b"second", "b.csv")
    store.upload_version(alice.id, data.id, b"third", "c.xlsx", read_as="acled")
    restored = store.restore_version(alice.id, data.id, 1)
    assert (restored.number, restored.restored_from, restored.filename) == (4, 1, "a.csv")
    listed = store.versions(alice.id, data.id)
    assert [(v.number, v.filename, v.read_as) for v in listed] == [
        (1, "a.csv", "auto"),
        (2, "b.csv", "auto"),
        (3, "c.xlsx", "acled"),
        (4, "a.csv", "auto"),
    ]
    assert [store.read_version(alice.id, data.id, n) for n in (1, 2, 3)] == [
        b"first",
        b"second",
        b"third",
    ]
    assert store.read_version(alice.id, data.id) == b"first"
    assert store.dataset(alice.id, data.id).latest == 4
    assert listed[0].sha256 == listed[3].sha256 and listed[3].size == 5
    with pytest.raises(NotFound):
        store.read_version(alice.id, data.id, 9)


def _content_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(contents)).scalar_one())


def test_a_deleted_dataset_is_restored_within_30_days_then_purged(store, people, clock):
    alice, bob, _carol = people
    data = store.create_dataset(alice.id, b"kept", "a.csv")
    store.upload_version(alice.id, data.id, b"only here", "a.csv")
    other = store.create_dataset(alice.id, b"kept", "same content.csv")
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    store.delete(alice.id, data.id)
    _denied_everything(store, bob.id, data.id)
    assert store.list_datasets(alice.id) == [store.dataset(alice.id, other.id)]
    with pytest.raises(NotFound):  # hidden from its owner too, until restored
        store.read_version(alice.id, data.id)
    assert [d.id for d in store.deleted_datasets(alice.id)] == [data.id]
    assert store.deleted_datasets(bob.id) == []
    clock.advance(days=29)
    assert store.purge_expired(clock()) == []
    store.restore(alice.id, data.id)
    assert store.read_version(bob.id, data.id, 1) == b"kept"  # shares come back too
    with pytest.raises(PermissionDenied):
        store.restore(alice.id, data.id)  # not deleted
    store.delete(alice.id, data.id)
    clock.advance(days=30, seconds=1)
    with pytest.raises(PermissionDenied):
        store.restore(alice.id, data.id)
    assert store.deleted_datasets(alice.id) == []
    before = _content_rows(store)
    assert store.purge_expired(clock()) == [data.id]
    assert store.purge_expired(clock()) == []
    with pytest.raises(NotFound):
        store.restore(alice.id, data.id)
    assert _content_rows(store) == before - 1  # "only here" went, "kept" is still used
    assert store.read_version(alice.id, other.id) == b"kept"


def test_concurrent_uploads_of_two_users_all_land(store, people, database_url, tmp_path):
    alice, bob, _carol = people
    data = store.create_dataset(alice.id, b"v1", "a.csv")
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    rounds = 6
    start = threading.Barrier(2, timeout=60)
    failures: list[BaseException] = []
    created: list[str] = []

    def upload(user: str) -> None:
        own = open_store(tmp_path, database_url)  # its own engine and connections
        try:
            start.wait()
            for n in range(rounds):
                own.upload_version(user, data.id, f"{user} {n}".encode(), f"{n}.csv")
            created.append(own.create_dataset(user, user.encode(), "new.csv").id)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=upload, args=(u,)) for u in (alice.id, bob.id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    listed = store.versions(alice.id, data.id)
    assert [v.number for v in listed] == list(range(1, 2 * rounds + 2))
    landed = {store.read_version(alice.id, data.id, v.number) for v in listed[1:]}
    assert landed == {f"{u} {n}".encode() for u in (alice.id, bob.id) for n in range(rounds)}
    assert len(created) == 2 and len(store.list_datasets(bob.id)) == 2


CRASHING_UPLOAD = """
import sys, time
from pathlib import Path
from sqlalchemy import event
from storage.store import open_store

url, workspace, user, dataset_id = sys.argv[1:]
store = open_store(Path(workspace), url)

@event.listens_for(store.engine, "before_cursor_execute")
def stop_before_the_version_row(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO VERSIONS"):
        print("writing", flush=True)  # the content is written, the version row is not
        time.sleep(600)

store.upload_version(user, dataset_id, b"half-written " * 100_000, "crash.csv")
"""


def test_an_upload_killed_mid_write_leaves_every_earlier_version_intact(
    store, people, database_url, tmp_path
):
    alice, _bob, _carol = people
    data = store.create_dataset(alice.id, b"version one", "a.csv")
    store.upload_version(alice.id, data.id, b"version two", "a.csv")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", CRASHING_UPLOAD, database_url, str(tmp_path), alice.id, data.id]
    with subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    store.close()
    reopened = open_store(tmp_path, database_url)  # a restarted server
    try:
        assert [v.number for v in reopened.versions(alice.id, data.id)] == [1, 2]
        assert reopened.read_version(alice.id, data.id, 1) == b"version one"
        assert reopened.read_version(alice.id, data.id) == b"version two"
        assert _content_rows(reopened) == 2  # the half-written content went with its transaction
        assert reopened.upload_version(alice.id, data.id, b"three", "a.csv").number == 3
        assert [e.action for e in reopened.audit_trail(alice.id, data.id)] == ["upload"] * 3
    finally:
        reopened.close()


def test_the_audit_trail_records_each_action_with_user_and_time(store, people, clock):
    alice, bob, _carol = people
    data = store.create_dataset(alice.id, b"v1", "a.csv")
    store.share(alice.id, data.id, Role.EDITOR, user=bob.id)
    store.upload_version(bob.id, data.id, b"v2", "b.csv")
    store.record_export(bob.id, data.id, 2, "pdf")
    store.restore_version(alice.id, data.id, 1)
    store.unshare(alice.id, data.id, user=bob.id)
    store.set_public(alice.id, data.id, True)
    store.delete(alice.id, data.id)
    store.restore(alice.id, data.id)
    trail = store.audit_trail(alice.id, data.id)
    assert [(e.user_name, e.action, e.version, e.detail) for e in trail] == [
        ("alice", "upload", 1, "a.csv"),
        ("alice", "share", None, "user bob as editor"),
        ("bob", "upload", 2, "b.csv"),
        ("bob", "export", 2, "pdf"),
        ("alice", "restore", 3, "version 1"),
        ("alice", "unshare", None, "user bob"),
        ("alice", "publish", None, "made public"),
        ("alice", "delete", None, ""),
        ("alice", "restore", None, ""),
    ]
    times = [e.at for e in trail]
    assert times == sorted(times) and times[0] >= clock.base and times[-1] < clock()
    assert all(e.at.tzinfo is not None and e.dataset_id == data.id for e in trail)
    store.delete(alice.id, data.id)
    purged_at = clock.advance(days=31)
    store.purge_expired(purged_at)
    with store.engine.connect() as conn:  # the trail outlives the purged dataset
        rows = conn.execute(
            select(audit_events.c.action, audit_events.c.user_id, audit_events.c.detail)
            .where(audit_events.c.dataset_id == data.id)
            .order_by(audit_events.c.id)
        ).all()
    assert len(rows) == len(trail) + 2 and tuple(rows[-1]) == ("delete", None, "purged")


def test_the_audit_csv_is_formula_safe_and_the_owners_alone(store, clock):
    owner = store.add_user('=HYPERLINK("http://evil.example")')
    friend = store.add_user("bob")
    data = store.create_dataset(owner.id, b"v1", "-2+3 incidents.csv")
    store.share(owner.id, data.id, Role.VIEWER, user=friend.id)
    store.record_export(friend.id, data.id, 1, "@SUM(1+1)")
    text = store.audit_csv(owner.id, data.id)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == AUDIT_CSV_COLUMNS and len(rows) == 4
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert [restore(rows[1][5]), restore(rows[3][5])] == ["-2+3 incidents.csv", "@SUM(1+1)"]
    assert rows[1][0] == clock.base.isoformat(timespec="seconds")
    with pytest.raises(NotFound):
        store.audit_csv(friend.id, data.id)


def test_users_and_teams_have_unique_names(store, people):
    alice, bob, _carol = people
    assert store.user_named("alice") == alice and store.user_named("nobody") is None
    with pytest.raises(NameTaken):
        store.add_user("alice")
    store.add_team("editors", members=(alice.id, bob.id))
    with pytest.raises(NameTaken):
        store.add_team("editors")


def test_ensure_user_adds_a_user_once(store):
    first = store.ensure_user("local")
    assert store.ensure_user("local") == first
    assert store.user_named("local") == first


def test_content_bytes_count_each_content_once_and_not_deleted_datasets(store, people):
    alice, bob, _carol = people
    assert store.content_bytes() == 0
    first = store.create_dataset(alice.id, b"a" * 100, "a.csv")
    store.create_dataset(bob.id, b"a" * 100, "same.csv")  # the same content: counted once
    store.upload_version(alice.id, first.id, b"b" * 50, "a.csv")
    assert store.content_bytes() == 150
    second = store.create_dataset(bob.id, b"c" * 10, "c.csv")
    assert store.content_bytes() == 160
    store.delete(bob.id, second.id)
    assert store.content_bytes() == 150  # a deleted dataset frees its quota
    store.restore(bob.id, second.id)
    assert store.content_bytes() == 160


def test_shares_of_lists_users_and_teams_by_name_for_the_owner_only(store, people):
    alice, bob, carol = people
    team = store.add_team("field team", (carol.id,))
    assert store.team_named("field team") == team and store.team_named("nobody") is None
    dataset = store.create_dataset(alice.id, b"x", "x.csv")
    store.share(alice.id, dataset.id, Role.VIEWER, user=bob.id)
    store.share(alice.id, dataset.id, Role.EDITOR, team=team.id)
    shown = [(s.kind, s.grantee_name, s.role) for s in store.shares_of(alice.id, dataset.id)]
    assert shown == [("user", "bob", Role.VIEWER), ("team", "field team", Role.EDITOR)]
    with pytest.raises(PermissionDenied):
        store.shares_of(bob.id, dataset.id)
    assert store.user_names([alice.id, bob.id, "nobody"]) == {alice.id: "alice", bob.id: "bob"}
    assert store.user_names([]) == {}
