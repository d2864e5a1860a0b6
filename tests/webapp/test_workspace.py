import os
import time
from pathlib import Path

import pytest

from tests.factories import make_events
from webapp.workspace import (
    DEFAULT_QUOTA_MB,
    STALE_TMP_MINUTES,
    Workspace,
    WorkspaceFull,
    dataset_id_for,
    default_quota_bytes,
    default_workspace_dir,
    read_events,
)

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MB = 1024 * 1024


@pytest.fixture
def events():
    return make_events(
        [
            {"date_start": "2023-10-09", "count_best": 500, "lat": 40.1, "lon": 124.4},
            {"date_start": "2021-07-01", "date_end": "2021-07-31", "date_precision": "month"},
        ],
        joined=False,
    )


def test_save_list_load_delete(tmp_path, events):
    ws = Workspace(tmp_path)
    saved = ws.save(b"a,b\n1,2\n", "my data.csv", events, rows=3, problems=1)
    assert saved.valid == 2 and saved.rows == 3 and saved.problems == 1
    assert (tmp_path / saved.dataset_id / "original.csv").read_bytes() == b"a,b\n1,2\n"
    # a new Workspace object over the same directory (an app restart) finds it
    again = Workspace(tmp_path)
    assert [s.dataset_id for s in again.list()] == [saved.dataset_id]
    loaded = again.load_events(saved.dataset_id)
    assert list(loaded["event_id"]) == ["e1", "e2"]
    assert loaded["count_best"].dtype == "Int64"
    assert str(loaded["date_start"].iloc[1].date()) == "2021-07-01"
    assert loaded.geometry.iloc[0].x == pytest.approx(124.4)
    again.delete(saved.dataset_id)
    assert again.list() == [] and not any(tmp_path.iterdir())


def test_same_content_saved_once(tmp_path, events):
    ws = Workspace(tmp_path)
    first = ws.save(b"x", "a.csv", events, rows=2, problems=0)
    second = ws.save(b"x", "b.csv", events, rows=2, problems=0)
    assert first == second and len(ws.list()) == 1
    assert first.dataset_id == dataset_id_for(b"x")


def test_the_same_file_read_as_another_format_is_another_dataset(tmp_path, events):
    ws = Workspace(tmp_path)
    detected = ws.save(b"x", "a.csv", events, rows=2, problems=0)
    as_acled = ws.save(b"x", "a.csv", events, rows=2, problems=0, read_as="acled")
    assert detected.dataset_id != as_acled.dataset_id == dataset_id_for(b"x", "acled")
    assert "read as an ACLED export, 2 of 2 rows valid" in as_acled.label
    assert "read as" not in detected.label
    assert {s.read_as for s in Workspace(tmp_path).list()} == {"auto", "acled"}


def test_interrupted_save_leaves_no_dataset(tmp_path, events, monkeypatch):
    ws = Workspace(tmp_path)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(events), "to_parquet", crash)
    with pytest.raises(OSError):
        ws.save(b"y", "a.csv", events, rows=2, problems=0)
    assert ws.list() == [] and not any(tmp_path.iterdir())


def test_half_written_directory_is_not_listed(tmp_path):
    (tmp_path / ".tmp-abc").mkdir()
    (tmp_path / "deadbeef").mkdir()  # no meta.json: not a complete dataset
    assert Workspace(tmp_path).list() == []


def test_bad_dataset_id_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a dataset id"):
        Workspace(tmp_path).delete("../etc")


def test_workspace_dir_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "ws"))
    assert default_workspace_dir() == tmp_path / "ws"
    monkeypatch.delenv("BORDER_MAP_WORKSPACE")
    assert default_workspace_dir().name == "workspace"
    assert os.fspath(default_workspace_dir()).find("border-events-map") > 0


def _age(path, minutes):
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_stale_temporary_folders_are_removed_when_a_workspace_opens(tmp_path, events):
    saved = Workspace(tmp_path).save(b"keep", "a.csv", events, rows=2, problems=0)
    stale = tmp_path / ".tmp-crashed"
    (stale / "inner").mkdir(parents=True)
    (stale / "inner" / "events.parquet").write_bytes(b"PAR1 half")
    _age(stale, STALE_TMP_MINUTES + 1)
    (tmp_path / ".tmp-file").write_bytes(b"x")
    _age(tmp_path / ".tmp-file", STALE_TMP_MINUTES * 10)
    fresh = tmp_path / ".tmp-in-progress"  # another session's save, still being written
    fresh.mkdir()
    _age(fresh, STALE_TMP_MINUTES - 1)
    ws = Workspace(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-in-progress", saved.dataset_id]
    assert ws.list() == [saved]


def test_quota_from_the_environment(monkeypatch):
    monkeypatch.delenv("BORDER_MAP_WORKSPACE_QUOTA_MB", raising=False)
    assert default_quota_bytes() == DEFAULT_QUOTA_MB * MB == 500 * MB
    monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", " 2.5 ")
    assert default_quota_bytes() == int(2.5 * MB)
    assert Workspace.__init__.__kwdefaults__ == {"quota_bytes": None}
    for bad in ("lots", "-1", "nan", "inf"):
        monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", bad)
        with pytest.raises(ValueError, match="BORDER_MAP_WORKSPACE_QUOTA_MB"):
            default_quota_bytes()


def test_a_save_beyond_the_quota_is_refused_with_what_to_do(tmp_path, events, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", "0.01")  # 10 KiB
    ws = Workspace(tmp_path)
    assert ws.quota_bytes == int(0.01 * MB)
    with pytest.raises(WorkspaceFull) as refused:
        ws.save(b"z" * 20_000, "big.csv", events, rows=2, problems=0)
    message = str(refused.value)
    assert message.startswith("Not saved: the workspace is full.")
    assert "Saved datasets use 0 MB of its 0 MB quota" in message  # rounded to 0.1 MB
    assert "Delete saved datasets you no longer need" in message
    assert refused.value.usage == "0 MB of 0 MB used"
    assert not any(tmp_path.iterdir())  # nothing half-written left behind
    # The exact size counts: the copy written first is measured before it is moved in.
    small = Workspace(tmp_path, quota_bytes=100)
    with pytest.raises(WorkspaceFull) as refused:
        small.save(b"tiny", "t.csv", events, rows=2, problems=0)
    assert refused.value.needed > 100 and not any(tmp_path.iterdir())


def test_quota_message_names_the_sizes():
    full = WorkspaceFull(quota=500 * MB, used=int(499.25 * MB), needed=3 * MB)
    assert "use 499.2 MB of its 500 MB quota and this file needs 3 MB more" in str(full)
    assert full.usage == "499.2 MB of 500 MB used"


def test_content_already_saved_is_not_refused_when_full(tmp_path, events):
    saved = Workspace(tmp_path).save(b"x", "a.csv", events, rows=2, problems=0)
    full = Workspace(tmp_path, quota_bytes=1)
    assert full.save(b"x", "again.csv", events, rows=2, problems=0) == saved


def test_a_dataset_deleted_by_another_session_is_gone_not_an_error(tmp_path, events):
    ws = Workspace(tmp_path)
    saved = ws.save(b"x", "a.csv", events, rows=2, problems=0)
    assert ws.events_bytes(saved.dataset_id).startswith(b"PAR1")
    Workspace(tmp_path).delete(saved.dataset_id)  # another session
    assert ws.events_bytes(saved.dataset_id) is None
    assert ws.list() == []
    ws.delete(saved.dataset_id)  # deleting it again does nothing
    with pytest.raises(FileNotFoundError, match="no saved dataset"):
        ws.load_events(saved.dataset_id)


def test_delete_racing_another_delete(tmp_path, events, monkeypatch):
    ws = Workspace(tmp_path)
    saved = ws.save(b"x", "a.csv", events, rows=2, problems=0)
    real_rename = os.rename

    def other_session_first(src, dst):  # the other session's delete wins the race
        monkeypatch.setattr(os, "rename", real_rename)
        Workspace(tmp_path).delete(saved.dataset_id)
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", other_session_first)
    ws.delete(saved.dataset_id)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("meta", [None, b"{not json", b"\xff\xfe", b'{"other": 1}'])
def test_a_folder_without_a_readable_meta_does_not_block_saving(tmp_path, events, meta):
    blocker = tmp_path / dataset_id_for(b"x")
    blocker.mkdir()
    (blocker / "junk").write_bytes(b"not a dataset")
    if meta is not None:
        (blocker / "meta.json").write_bytes(meta)
    assert Workspace(tmp_path).list() == []
    saved = Workspace(tmp_path).save(b"x", "a.csv", events, rows=2, problems=0)
    assert Workspace(tmp_path).list() == [saved]
    files = sorted(p.name for p in blocker.iterdir())
    assert files == ["events.parquet", "meta.json", "original.csv"]


def test_the_app_shows_the_quota_refusal_in_the_upload_report(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", "0")
    at = AppTest.from_file(APP)
    at.run(timeout=120)
    content = b"date,count,place,source_url\n2023-10-09,about 60,Dandong,https://example.org/a\n"
    at.file_uploader(key="upload").upload("mine.csv", content, "text/csv")
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    (shown,) = [e.value for e in at.sidebar.error]
    assert "workspace is full" in shown and "Delete saved datasets" in shown
    report = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert report["problem"].iloc[0].startswith("Not saved: the workspace is full.")
    assert report["value"].iloc[0] == "0 MB of 0 MB used"
    from storage.store import open_store

    store = open_store(tmp_path / "ws")
    assert store.list_datasets(store.ensure_user("local").id) == [] and store.content_bytes() == 0
    store.close()
    assert at.selectbox(key="dataset").value == "shipped"


def test_after_deleting_to_make_room_the_refused_upload_is_saved_and_shown(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    workspace = tmp_path / "ws"
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(workspace))
    header = b"date,count,place,source_url\n"
    first = header + b"2023-10-09,about 60,Dandong,https://example.org/a\n"
    second = header + b"2024-04-26,about 70,Tumen,https://example.org/b\n"

    def run(at):
        at.run(timeout=120)
        assert not at.exception, [e.message for e in at.exception]
        return at

    from storage.store import open_store

    store = open_store(workspace)
    local = store.ensure_user("local").id
    at = run(AppTest.from_file(APP))
    at.file_uploader(key="upload").upload("first.csv", first, "text/csv")
    run(at)
    (kept,) = store.list_datasets(local)
    assert at.selectbox(key="dataset").value == kept.id
    # Room for one dataset only: the second upload is refused, and says what to do.
    used_mb = store.content_bytes() / MB
    monkeypatch.setenv("BORDER_MAP_WORKSPACE_QUOTA_MB", f"{used_mb * 1.5:.6f}")
    at.file_uploader(key="upload").upload("second.csv", second, "text/csv")
    run(at)
    assert [e.value for e in at.sidebar.error] and "workspace is full" in at.sidebar.error[0].value
    assert store.list_datasets(local) == [kept]
    at.button(key="delete_dataset").click()  # delete the first, as the message says
    run(at)
    (saved,) = store.list_datasets(local)
    assert saved.name == "second.csv" and not at.sidebar.error
    assert at.selectbox(key="dataset").value == saved.id
    store.close()


def test_a_dataset_saved_before_assumptions_were_recorded_reads_with_none(events):
    import io

    from geo.aggregate import assumed

    old = events.drop(columns=["assumed"], errors="ignore")
    buffer = io.BytesIO()
    old.to_parquet(buffer)
    loaded = read_events(buffer.getvalue())
    assert loaded["assumed"].tolist() == [""] * len(old)
    assert not assumed(loaded, "event_type").any()


def test_a_dataset_saved_before_cites_and_claim_scope_reads_and_joins(events):
    import io

    from geo.pipeline import dataset_from_events

    old = events.drop(columns=["cites", "claim_scope"], errors="ignore")
    buffer = io.BytesIO()
    old.to_parquet(buffer)
    loaded = read_events(buffer.getvalue())
    assert loaded["cites"].eq("").all() and loaded["claim_scope"].eq("event").all()
    joined = dataset_from_events(loaded, "old").events
    assert joined["independent_sources"].ge(1).all()
