import os

import pytest

from tests.factories import make_events
from webapp.workspace import Workspace, dataset_id_for, default_workspace_dir


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
