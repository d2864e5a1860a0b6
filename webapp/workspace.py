"""Saved uploads: the original file and its validated events, kept in a local directory.

Each dataset lives in ``<workspace>/<dataset_id>/`` with ``original.<ext>``, ``events.parquet``
(the validated, normalised events) and ``meta.json``. A dataset is written into a hidden
temporary directory first and moved into place with one ``os.replace``, so an interrupted save
never leaves a half-written dataset behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
from platformdirs import user_data_dir

from geo.reference.schema import CRS

WORKSPACE_ENV = "BORDER_MAP_WORKSPACE"
_TMP_PREFIX = ".tmp-"
_META = "meta.json"
_EVENTS = "events.parquet"


@dataclass(frozen=True)
class SavedDataset:
    """What the workspace knows about one saved upload."""

    dataset_id: str
    filename: str
    saved_at: str
    rows: int
    valid: int
    problems: int

    @property
    def label(self) -> str:
        """Return a short label for choosing the dataset in a list."""
        return f"{self.filename} ({self.valid} of {self.rows} rows valid, saved {self.saved_at})"


def default_workspace_dir() -> Path:
    """Return the workspace directory: env ``BORDER_MAP_WORKSPACE``, else the user data dir."""
    configured = os.environ.get(WORKSPACE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("border-events-map", appauthor=False)) / "workspace"


def dataset_id_for(content: bytes) -> str:
    """Return the id a file's content is saved under (the same content is saved once)."""
    return hashlib.sha256(content).hexdigest()[:16]


def read_events(content: bytes) -> gpd.GeoDataFrame:
    """Return saved events from the bytes of an ``events.parquet`` file, in the schema CRS."""
    return gpd.read_parquet(io.BytesIO(content)).set_crs(CRS, allow_override=True)


class Workspace:
    """A directory of saved datasets.

    Parameters
    ----------
    root
        The workspace directory; created when missing.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_workspace_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def save(
        self, content: bytes, filename: str, events: gpd.GeoDataFrame, rows: int, problems: int
    ) -> SavedDataset:
        """Save an upload atomically and return its description.

        Parameters
        ----------
        content
            The original file's bytes.
        filename
            The file's name as uploaded (only its suffix is used for the stored copy).
        events
            The validated, normalised events.
        rows, problems
            Record and problem counts of the validation, kept for the listing.
        """
        dataset_id = dataset_id_for(content)
        final = self.root / dataset_id
        meta = SavedDataset(
            dataset_id=dataset_id,
            filename=Path(filename).name,
            saved_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            rows=rows,
            valid=len(events),
            problems=problems,
        )
        if (final / _META).is_file():
            return self._read_meta(final)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.root))
        try:
            suffix = Path(filename).suffix.lower() or ".bin"
            (tmp / f"original{suffix}").write_bytes(content)
            events.to_parquet(tmp / _EVENTS)
            (tmp / _META).write_text(json.dumps(asdict(meta), ensure_ascii=False), "utf-8")
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return meta

    def list(self) -> list[SavedDataset]:
        """Return the complete saved datasets, newest first."""
        found = [
            self._read_meta(d)
            for d in self.root.iterdir()
            if d.is_dir() and not d.name.startswith(_TMP_PREFIX) and (d / _META).is_file()
        ]
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    def events_path(self, dataset_id: str) -> Path:
        """Return the path of a saved dataset's validated events file."""
        return self._dir(dataset_id) / _EVENTS

    def load_events(self, dataset_id: str) -> gpd.GeoDataFrame:
        """Return a saved dataset's validated events."""
        return read_events(self.events_path(dataset_id).read_bytes())

    def delete(self, dataset_id: str) -> None:
        """Delete a saved dataset (moved aside first, so a crash never leaves half of it)."""
        target = self._dir(dataset_id)
        if not target.exists():
            return
        doomed = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.root))
        os.replace(target, doomed / dataset_id)
        shutil.rmtree(doomed, ignore_errors=True)

    def _dir(self, dataset_id: str) -> Path:
        if not dataset_id.isalnum():
            raise ValueError(f"{dataset_id!r} is not a dataset id (letters and digits only)")
        return self.root / dataset_id

    @staticmethod
    def _read_meta(directory: Path) -> SavedDataset:
        return SavedDataset(**json.loads((directory / _META).read_text("utf-8")))
