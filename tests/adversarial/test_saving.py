"""Nothing lost: a failed upload or a crash mid-save leaves the saved datasets as they were.

Sessions racing each other (threads and processes saving the same file at once, reading while
another deletes) all succeed, and a full workspace refuses a save with a message, not an error.
"""

import json
import multiprocessing as mp
import os
import threading
import tomllib
from pathlib import Path

import pytest

from geo.validate import load_events
from tests.adversarial.corpus import csv_bytes, row
from webapp import uploads
from webapp.workspace import Workspace, WorkspaceFull

ROOT = Path(__file__).resolve().parents[2]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the complete datasets, by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).parts[0].startswith(".tmp-")
    }


def saved_first(root: Path) -> Workspace:
    ws = Workspace(root)
    content = csv_bytes([row(), row(event_id="e2", date="n.d.")])
    result = load_events(content, "first.csv")
    ws.save(content, "first.csv", result.events, rows=result.rows, problems=len(result.problems))
    return ws


def _crash_while_saving(root: str) -> None:
    """Child: start saving a dataset and die (no clean-up runs) half-way through."""
    import geopandas as gpd

    def half_then_die(self, path, *args, **kwargs):
        Path(path).write_bytes(b"PAR1 half a file")
        os._exit(9)

    gpd.GeoDataFrame.to_parquet = half_then_die
    content = csv_bytes([row(event_id="new", notes="second file")])
    result = load_events(content, "second.csv")
    Workspace(Path(root)).save(content, "second.csv", result.events, rows=1, problems=0)


def test_listing_carries_the_validation_summary(tmp_path):
    [saved] = saved_first(tmp_path).list()
    assert (saved.filename, saved.rows, saved.valid, saved.problems) == ("first.csv", 2, 1, 1)
    assert saved.label.startswith("first.csv (1 of 2 rows valid, saved ")


def test_a_crash_mid_save_leaves_no_half_dataset_and_the_others_intact(tmp_path):
    ws = saved_first(tmp_path)
    before, listed = snapshot(tmp_path), ws.list()
    child = mp.get_context("fork").Process(target=_crash_while_saving, args=(str(tmp_path),))
    child.start()
    child.join()
    assert child.exitcode == 9
    assert any(p.name.startswith(".tmp-") for p in tmp_path.iterdir())  # the debris is there
    again = Workspace(tmp_path)
    assert again.list() == listed  # ... but never listed as a dataset
    assert snapshot(tmp_path) == before
    assert again.load_events(listed[0].dataset_id)["event_id"].tolist() == ["e1"]


def test_an_unreadable_upload_gives_nothing_to_save(tmp_path):
    # webapp.uploads saves an upload only when it has valid events.
    ws = saved_first(tmp_path)
    before = snapshot(tmp_path)
    for content, name in [(b"\x00\x01binary", "x.csv"), (b"PK\x03\x04junk", "x.xlsx"),
                          (csv_bytes([row(date="n.d.")]), "all_bad.csv")]:  # fmt: skip
        loaded = uploads.validated_dataset(content, name)
        assert loaded.events is None or loaded.events.empty
        assert loaded.problems and loaded.problems[0].severity == "error"
    assert snapshot(tmp_path) == before and len(ws.list()) == 1


def test_upload_limit_is_enforced_by_the_server_and_the_app_alike():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == uploads.MAX_UPLOAD_MB == 20


# --- Two sessions saving the same file at once ------------------------------------------------

RUNS = 20


def _same_upload() -> tuple[bytes, object]:
    content = csv_bytes([row(), row(event_id="e2", notes="same file, two sessions")])
    return content, load_events(content, "same.csv").events


def _dataset_files(root: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for d in root.iterdir() for p in sorted(d.iterdir()) if p.is_file()
    }


def _save_together(root: Path, content: bytes, events, names=("a.csv", "b.csv")) -> list:
    """Save ``content`` from one thread per name, released together by a barrier."""
    barrier = threading.Barrier(len(names))
    results: list = [None] * len(names)

    def session(i: int) -> None:
        ws = Workspace(root)
        barrier.wait()
        try:
            results[i] = ws.save(content, names[i], events, rows=2, problems=0)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = error

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(names))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _assert_one_dataset(root: Path, results: list, content: bytes) -> None:
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len(set(results)) == 1  # both sessions are told about the same dataset
    (saved,) = [p for p in root.iterdir() if not p.name.startswith(".tmp-")]
    assert [p.name for p in root.iterdir()] == [saved.name]  # and no debris
    assert Workspace(root).list() == [results[0]]
    assert (saved / "original.csv").read_bytes() == content


def test_two_threads_saving_the_same_file_at_once_both_succeed(tmp_path):
    content, events = _same_upload()
    reference = tmp_path / "reference"
    Workspace(reference).save(content, "a.csv", events, rows=2, problems=0)
    expected = {k: v for k, v in _dataset_files(reference).items() if k != "meta.json"}
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        results = _save_together(root, content, events)
        _assert_one_dataset(root, results, content)
        files = _dataset_files(root)
        assert {k: v for k, v in files.items() if k != "meta.json"} == expected  # byte-identical
        assert json.loads(files["meta.json"])["filename"] in ("a.csv", "b.csv")


def test_renames_that_collide_every_time_still_give_one_dataset(tmp_path, monkeypatch):
    # Force the worst interleaving: both sessions have written their copy before either
    # moves it into place, so one rename always finds the other's dataset there.
    content, events = _same_upload()
    for sessions in (2, 5):
        written = threading.Barrier(sessions)
        original = type(events).to_parquet

        def write_then_wait(self, *args, _original=original, _written=written, **kwargs):
            _original(self, *args, **kwargs)
            _written.wait(timeout=30)

        monkeypatch.setattr(type(events), "to_parquet", write_then_wait)
        root = tmp_path / f"sessions{sessions}"
        names = tuple(f"s{i}.csv" for i in range(sessions))
        _assert_one_dataset(root, _save_together(root, content, events, names), content)
        monkeypatch.undo()


def _save_in_process(root: str, content: bytes, events, barrier, results) -> None:
    """Child: one app session (its own process) saving ``content`` when the barrier opens."""
    ws = Workspace(Path(root))
    barrier.wait(timeout=60)
    try:
        results.put(ws.save(content, f"pid{os.getpid()}.csv", events, rows=2, problems=0))
    except Exception as error:  # noqa: BLE001 - the parent asserts there is none
        results.put(repr(error))


def test_two_processes_saving_the_same_file_at_once_both_succeed(tmp_path):
    content, events = _same_upload()
    context = mp.get_context("fork")
    for run in range(4):
        root = tmp_path / f"run{run}"
        barrier, results = context.Barrier(2), context.Queue()
        children = [
            context.Process(
                target=_save_in_process, args=(str(root), content, events, barrier, results)
            )
            for _ in range(2)
        ]
        for child in children:
            child.start()
        outcome = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(timeout=60)
            assert child.exitcode == 0
        _assert_one_dataset(root, outcome, content)


# --- Reading while another session deletes ----------------------------------------------------


def test_reading_while_another_session_deletes_never_fails(tmp_path):
    content, events = _same_upload()
    ws = Workspace(tmp_path)
    dataset_id = ws.save(content, "a.csv", events, rows=2, problems=0).dataset_id
    stop = threading.Event()
    errors: list[BaseException] = []

    def churn() -> None:  # another session saving and deleting the dataset, over and over
        other = Workspace(tmp_path)
        try:
            while not stop.is_set():
                other.delete(dataset_id)
                other.save(content, "a.csv", events, rows=2, problems=0)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=churn)
    thread.start()
    seen = set()
    try:
        for _ in range(300):
            listed = ws.list()
            assert [s.dataset_id for s in listed] in ([], [dataset_id])
            content_now = ws.events_bytes(dataset_id)
            seen.add(content_now is None)
            if content_now is not None:
                assert content_now.startswith(b"PAR1")
            ws.delete(dataset_id)  # two sessions deleting at once: no error either
            assert ws.used_bytes() >= 0
    finally:
        stop.set()
        thread.join()
    assert not errors, errors


# --- The storage quota ------------------------------------------------------------------------


def test_a_full_workspace_refuses_the_save_and_says_what_to_do(tmp_path):
    ws = saved_first(tmp_path)
    before = snapshot(tmp_path)
    full = Workspace(tmp_path, quota_bytes=ws.used_bytes() + 10)
    content = csv_bytes([row(event_id="new", notes="x" * 500)])
    result = load_events(content, "second.csv")
    with pytest.raises(WorkspaceFull) as refused:
        full.save(content, "second.csv", result.events, rows=1, problems=0)
    message = str(refused.value)
    assert "workspace is full" in message and "quota" in message
    assert "Delete saved datasets" in message and "BORDER_MAP_WORKSPACE_QUOTA_MB" in message
    assert refused.value.used == ws.used_bytes() and refused.value.needed > 10
    assert snapshot(tmp_path) == before and [p.name for p in tmp_path.iterdir()] == [
        ws.list()[0].dataset_id
    ]  # nothing written, no debris
