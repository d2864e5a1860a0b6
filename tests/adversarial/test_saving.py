"""Nothing lost: a failed upload or a crash mid-save leaves the saved datasets as they were."""

import multiprocessing as mp
import os
import tomllib
from pathlib import Path

from geo.validate import load_events
from tests.adversarial.corpus import csv_bytes, row
from webapp import uploads
from webapp.workspace import Workspace

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
