"""The data panel on the store under AppTest, run as different users of one workspace.

``panel`` runs ``webapp.datasets.render_data_panel`` alone with an injected store and user
(None: a visitor who is not signed in), as the app will once sign-in is wired.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from storage.permissions import Role
from storage.store import Store, open_store
from webapp.events_cache import CACHE_DIR, Counts, EventsCache
from webapp.legacy_import import MARKER, import_legacy_workspace
from webapp.markdown_text import plain
from webapp.uploads import AS_VERSION_KEY, SHIPPED
from webapp.workspace import Workspace

ONE = b"date,count,place,source_url\n2023-10-09,about 60,Dandong,https://example.org/a\n"
TWO = ONE + b"2024-04-26,5,Hunchun,https://example.org/b\n"
BAD = b"nothing,to,see\n1,2,3\n"
#: A file name that Markdown would make a link: shown as typed.
HOSTILE = "[click](javascript:alert(1)) *b*.csv"


def panel_script(store, user, root) -> None:
    """The data panel alone, the link kept as the app keeps it (``webapp.links``)."""
    from pathlib import Path

    import streamlit as st

    from webapp.datasets import render_data_panel
    from webapp.links import APPLIED_KEY
    from webapp.workspace import Workspace

    choice = render_data_panel(store, user, Workspace(Path(root)))
    if choice.key == "shipped":
        st.query_params.pop("dataset", None)
    else:
        st.query_params["dataset"] = choice.key
    st.session_state[APPLIED_KEY] = [st.query_params.to_dict()]
    for notice in choice.notices:
        st.warning(notice)
    st.text(f"shown {choice.key} {len(choice.shown.events)} events, version {choice.version}")


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def store(root):
    opened = open_store(root)
    yield opened
    opened.close()


@pytest.fixture
def people(store):
    return store.add_user("alice").id, store.add_user("bob").id


def panel(store: Store, user: str | None, root: Path, query: dict | None = None) -> AppTest:
    at = AppTest.from_function(panel_script, args=(store, user, str(root)), default_timeout=60)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    return [t.value for t in at.text if t.value.startswith("shown ")][-1]


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="upload").upload(name, content, "text/csv")
    return run(at)


def table(at: AppTest, column: str):
    """The first table shown with ``column`` (AppTest does not keep a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def keys(at: AppTest, kind: str) -> set[str]:
    return {w.key for w in getattr(at, kind)}


def test_an_upload_is_a_private_dataset_of_its_owner_saved_once(store, people, root):
    alice, bob = people
    at = upload(panel(store, alice, root), "mine.csv", TWO)
    (mine,) = store.list_datasets(alice)
    assert (mine.name, mine.owner_id, mine.public, mine.latest) == ("mine.csv", alice, False, 1)
    assert shown(at) == f"shown {mine.id} 2 events, version 1"
    run(at)
    run(at)  # reruns with the file still in the uploader save nothing more
    assert [d.id for d in store.list_datasets(alice)] == [mine.id]
    assert store.versions(alice, mine.id)[-1].number == 1
    label = at.selectbox(key="dataset").format_func(mine.id)
    assert label == "mine.csv (version 1; 2 of 2 rows valid)"

    other = panel(store, bob, root)
    assert other.selectbox(key="dataset").options == ["Shipped events (data/events.csv)"]
    assert store.list_datasets(bob) == []


def test_a_link_to_anothers_private_dataset_says_not_found_like_an_unknown_id(store, people, root):
    alice, bob = people
    mine = store.create_dataset(alice, TWO, "mine.csv")
    for dataset_id in (mine.id, "A" * 22):
        at = panel(store, bob, root, {"dataset": dataset_id})
        assert shown(at).startswith("shown shipped")
        (notice,) = [w.value for w in at.warning]
        assert notice.startswith(f"Ignored dataset={dataset_id}: there is no dataset with this id")
    owner = panel(store, alice, root, {"dataset": mine.id})
    assert shown(owner) == f"shown {mine.id} 2 events, version 1" and not owner.warning


def test_a_file_that_fails_validation_is_not_saved(store, people, root):
    alice, _bob = people
    at = upload(panel(store, alice, root), "bad.csv", BAD)
    assert store.list_datasets(alice) == []
    assert shown(at).startswith("shown shipped")


def test_an_upload_beyond_the_quota_is_refused(store, people, root, monkeypatch):
    alice, _bob = people
    store.create_dataset(alice, b"x" * 2000, "big.csv")
    monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", "0.002")  # 2,097 bytes
    at = upload(panel(store, alice, root), "mine.csv", TWO)
    assert "Not saved: the workspace is full" in at.sidebar.error[0].value.replace("\\", "")
    assert [d.name for d in store.list_datasets(alice)] == ["big.csv"]


def test_a_new_version_then_restoring_the_first(store, people, root):
    alice, _bob = people
    at = run(upload(panel(store, alice, root), "first.csv", ONE))
    (mine,) = store.list_datasets(alice)
    assert at.checkbox(key=AS_VERSION_KEY).value is False
    at.checkbox(key=AS_VERSION_KEY).check()
    upload(run(at), "second.csv", TWO)
    assert [d.id for d in store.list_datasets(alice)] == [mine.id]  # no new dataset
    assert [v.filename for v in store.versions(alice, mine.id)] == ["first.csv", "second.csv"]
    assert shown(at) == f"shown {mine.id} 2 events, version 2"
    versions = table(at, "uploaded by")
    assert list(versions["version"]) == [2, 1] and list(versions["uploaded by"]) == ["alice"] * 2

    at.selectbox(key="restore_version_pick").set_value(1)
    at.button(key="restore_version").click()
    run(at)
    newest = store.versions(alice, mine.id)[-1]
    assert (newest.number, newest.restored_from, newest.filename) == (3, 1, "first.csv")
    assert shown(at) == f"shown {mine.id} 1 events, version 3"
    assert "Version 1 is the newest again, as version 3." in at.sidebar.success[0].value


def test_a_viewer_sees_and_exports_but_has_no_controls_to_change(store, people, root):
    alice, bob = people
    at = upload(panel(store, alice, root), "mine.csv", TWO)
    (mine,) = store.list_datasets(alice)
    at.text_input(key="share_name").input("bob")
    at.selectbox(key="share_role").set_value("viewer")
    at.button(key="share_dataset").click()
    run(at)
    assert "Shared with bob as viewer." in at.sidebar.success[0].value
    assert [t.value for t in at.toast] == ["Shared with bob as viewer."]  # seen by the button
    assert [s.grantee_name for s in store.shares_of(alice, mine.id)] == ["bob"]
    assert {"delete_dataset", "share_dataset", "unshare_user_" + bob} <= keys(at, "button")

    viewer = panel(store, bob, root)
    label = viewer.selectbox(key="dataset").format_func(mine.id)
    assert label == "mine.csv (version 1; 2 of 2 rows valid; shared with you, viewer)"
    viewer.selectbox(key="dataset").set_value(mine.id)
    run(viewer)
    assert shown(viewer) == f"shown {mine.id} 2 events, version 1"
    assert table(viewer, "uploaded by")["file"][0] == "mine.csv"
    assert keys(viewer, "button") == set()  # no delete, share, restore
    assert AS_VERSION_KEY not in keys(viewer, "checkbox") and not viewer.toggle
    assert viewer.file_uploader(key="upload") is not None  # an upload is a dataset of bob's

    at.button(key="unshare_user_" + bob).click()
    run(at)
    run(viewer)
    assert shown(viewer).startswith("shown shipped")
    assert "no longer available to you" in viewer.warning[0].value


def test_an_editor_may_upload_a_version(store, people, root):
    alice, bob = people
    mine = store.create_dataset(alice, ONE, "mine.csv")
    store.share(alice, mine.id, Role.EDITOR, user=bob)
    at = panel(store, bob, root, {"dataset": mine.id})
    at.checkbox(key=AS_VERSION_KEY).check()
    upload(run(at), "update.csv", TWO)
    newest = store.versions(alice, mine.id)[-1]
    assert (newest.number, newest.uploaded_by) == (2, bob)
    assert "delete_dataset" not in keys(at, "button")


def test_delete_then_restore_from_the_deleted_list(store, people, root):
    alice, _bob = people
    at = upload(panel(store, alice, root), HOSTILE, TWO)
    (mine,) = store.list_datasets(alice)
    assert "restored for 30 days" in " ".join(c.value for c in at.sidebar.caption)
    at.button(key="delete_dataset").click()
    run(at)
    assert shown(at).startswith("shown shipped")
    assert store.list_datasets(alice) == [] and at.selectbox(key="dataset").options == [
        "Shipped events (data/events.csv)"
    ]
    assert "It can be restored for 30 days" in at.sidebar.success[0].value
    deleted = " ".join(c.value for c in at.sidebar.caption)
    assert f"{plain(HOSTILE)}: deleted" in deleted and "[click](" not in deleted
    at.button(key=f"restore_dataset_{mine.id}").click()
    run(at)
    assert shown(at) == f"shown {mine.id} 2 events, version 1"
    assert at.sidebar.success[0].value == f"Restored {plain(HOSTILE)}."
    assert [e.action for e in store.audit_trail(alice, mine.id)] == ["upload", "delete", "restore"]
    activity = table(at, "action")
    assert list(activity["action"]) == ["upload", "delete", "restore"]


def test_a_public_link_opens_read_only_for_a_signed_out_visitor(store, people, root):
    alice, _bob = people
    mine = store.create_dataset(alice, TWO, "<b>mine</b>.csv")
    visitor = panel(store, None, root, {"dataset": mine.id})
    assert shown(visitor).startswith("shown shipped") and "no dataset with this id" in (
        visitor.warning[0].value
    )

    owner = panel(store, alice, root, {"dataset": mine.id})
    owner.toggle(key=f"public_{mine.id}").set_value(True)
    run(owner)
    assert store.dataset(None, mine.id).public
    assert any(f"?dataset={mine.id}" in c.value for c in owner.code)

    visitor = panel(store, None, root, {"dataset": mine.id})
    assert shown(visitor) == f"shown {mine.id} 2 events, version 1"
    assert not visitor.warning
    assert "public, read-only" in visitor.selectbox(key="dataset").format_func(mine.id)
    assert keys(visitor, "button") == set() and not visitor.toggle and not visitor.checkbox
    assert "upload" not in {w.key for w in visitor.get("file_uploader")}
    assert store.list_datasets(None) == []


def test_a_legacy_workspace_is_imported_once_with_its_names_and_times(store, root):
    import geopandas as gpd

    from geo.validate import load_events

    workspace = Workspace(root)
    result = load_events(TWO, "old.csv")
    first = workspace.save(TWO, "old.csv", result.events, result.rows, 0)
    second = workspace.save(ONE, "acled.csv", gpd.GeoDataFrame(result.events), 1, 0, "acled")
    run(AppTest.from_function(panel_script, args=(store, None, str(root))))  # first start
    local = store.user_named("local")
    assert local is not None
    listed = {d.name: d for d in store.list_datasets(local.id)}
    assert set(listed) == {"old.csv", "acled.csv"}
    version = store.versions(local.id, listed["acled.csv"].id)[0]
    assert version.read_as == "acled" and store.read_version(local.id, version.dataset_id) == ONE
    saved_at = dt.datetime.strptime(first.saved_at, "%Y-%m-%d %H:%M UTC").replace(tzinfo=dt.UTC)
    (upload_event,) = store.audit_trail(local.id, listed["old.csv"].id)
    assert (upload_event.action, upload_event.at, upload_event.detail) == (
        "upload", saved_at, "old.csv"
    )  # fmt: skip
    for saved in (first, second):
        marker = json.loads((root / saved.dataset_id / MARKER).read_text())
        assert marker["dataset_id"] in {d.id for d in listed.values()}
        assert (root / saved.dataset_id / "events.parquet").exists()  # nothing deleted
    at = panel(store, local.id, root)
    label = at.selectbox(key="dataset").format_func(listed["acled.csv"].id)
    assert label.startswith("acled.csv (version 1; read as an ACLED export")
    assert import_legacy_workspace(store, root, local.id) == []  # once
    assert len(store.list_datasets(local.id)) == 2


def test_two_processes_starting_at_once_import_each_dataset_once(store, root):
    from geo.validate import load_events

    workspace = Workspace(root)
    result = load_events(TWO, "old.csv")
    for n in range(4):
        workspace.save(TWO + b"#" * n, f"old{n}.csv", result.events, result.rows, 0)
    owner = store.add_user("local").id
    done: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: done.append(import_legacy_workspace(store, root, owner)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(ids) for ids in done) == [0, 4]
    assert len(store.list_datasets(owner)) == 4


def test_a_saved_version_is_validated_once_then_read_from_the_events_cache(
    store, people, root, monkeypatch
):
    import webapp.data_loading as loading

    validations: list[str] = []
    real = loading.load_dataset

    def counted(content, filename, **kwargs):
        validations.append(filename)
        return real(content, filename, **kwargs)

    monkeypatch.setattr(loading, "load_dataset", counted)
    alice, _bob = people
    st.cache_resource.clear()
    at = upload(panel(store, alice, root), "mine.csv", TWO)
    (mine,) = store.list_datasets(alice)
    fresh = at  # the upload's own validation
    assert validations == ["mine.csv"]
    version = store.versions(alice, mine.id)[0]
    assert EventsCache(root).counts(version.sha256, "auto") == Counts(2, 2, 1)

    st.cache_resource.clear()  # a restart: only the disk remembers
    restarted = panel(store, alice, root, {"dataset": mine.id})
    assert shown(restarted) == f"shown {mine.id} 2 events, version 1"
    assert validations == ["mine.csv"]  # no second validation
    del fresh

    st.cache_resource.clear()
    for path in (root / CACHE_DIR).iterdir():
        path.unlink()  # a cache deleted by hand costs a validation, nothing else
    again = panel(store, alice, root, {"dataset": mine.id})
    assert shown(again) == f"shown {mine.id} 2 events, version 1"
    assert validations == ["mine.csv", "mine.csv"]


def test_the_cached_events_are_the_validated_events(store, people, root):
    """What the disk cache gives back joins to the same frame as a fresh validation."""
    import pandas as pd

    from geo.pipeline import dataset_from_events, load_dataset
    from webapp.data_loading import validated_events

    fresh = load_dataset(TWO, "mine.csv")
    cache = EventsCache(root)
    cache.put("0" * 64, "auto", validated_events(fresh), Counts(2, 2, 0))
    hit = cache.get("0" * 64, "auto")
    assert hit is not None
    again = dataset_from_events(hit[0], "mine.csv")
    pd.testing.assert_frame_equal(
        pd.DataFrame(again.events), pd.DataFrame(fresh.events), check_like=True
    )


def test_two_sessions_uploading_at_once_both_land(store, people, root):
    alice, bob = people
    sessions = [panel(store, alice, root), panel(store, bob, root)]
    for at, name in zip(sessions, ("a.csv", "b.csv"), strict=True):
        at.file_uploader(key="upload").upload(name, TWO + name.encode(), "text/csv")
    threads = [threading.Thread(target=at.run) for at in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [d.name for d in store.list_datasets(alice)] == ["a.csv"]
    assert [d.name for d in store.list_datasets(bob)] == ["b.csv"]


def test_the_shipped_data_is_not_audited_a_saved_dataset_is(store, people):
    from storage.store import NotFound
    from webapp.dataset_audit import record_export

    alice, bob = people
    mine = store.create_dataset(alice, TWO, "mine.csv")
    record_export(store, alice, SHIPPED, "csv")
    record_export(store, alice, mine.id, "xlsx", 1)
    (_upload, export) = store.audit_trail(alice, mine.id)
    assert (export.action, export.detail, export.version) == ("export", "xlsx", 1)
    with pytest.raises(NotFound):
        record_export(store, bob, mine.id, "csv")


def test_expired_datasets_are_purged_at_most_once_a_day(root, monkeypatch):
    from sqlalchemy import select

    import webapp.datasets as datasets
    from storage.schema import datasets as table

    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    store = open_store(root, clock=lambda: now[0])
    alice = store.add_user("alice").id
    first = store.create_dataset(alice, ONE, "first.csv")
    second = store.create_dataset(alice, TWO, "second.csv")
    store.delete(alice, first.id)
    now[0] += dt.timedelta(days=31)
    ticks = [1_000.0]
    monkeypatch.setattr(datasets.time, "monotonic", lambda: ticks[0])
    datasets.housekeeping(store, Workspace(root))
    assert store.deleted_datasets(alice) == []  # purged: gone for good
    store.delete(alice, second.id)
    now[0] += dt.timedelta(days=31)
    ticks[0] += 60 * 60  # an hour later: not again
    datasets.housekeeping(store, Workspace(root))
    with store.engine.connect() as conn:
        assert conn.execute(select(table.c.id)).scalars().all() == [second.id]
    ticks[0] += datasets.PURGE_EVERY  # a day later
    datasets.housekeeping(store, Workspace(root))
    with store.engine.connect() as conn:
        assert conn.execute(select(table.c.id)).scalars().all() == []
    store.close()
