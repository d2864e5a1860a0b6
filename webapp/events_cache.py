"""Validated events of saved datasets, kept on disk per content so a restart does not revalidate.

``<workspace>/events-cache/<sha256>-<read_as>.parquet`` holds the validated, normalised events
(``geo.validate``'s shape, before the join: ``webapp.workspace.read_events`` reads them back)
of one content read one way; ``<sha256>-<read_as>.json`` beside it holds the validation's counts
(records, valid events, problems) and a checksum of the code and reference data that validated
them. The JSON is written last: an entry without it, or whose checksum differs (the app or its
gazetteer changed since), is not used. Each file is written to a temporary file and renamed
into place, so a reader never sees half of one. The folder is a cache: deleting it (or any
entry) only costs a validation. Only the app's store decides who may open a dataset; this
cache is read after that check, by the content's sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd

from geo.disk_cache import code_checksum, file_checksum
from geo.reference import paths
from geo.validate.layouts import FORMATS
from webapp.workspace import read_events

CACHE_DIR = "events-cache"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Counts:
    """What validating a file found: records read, valid events, problems."""

    rows: int
    valid: int
    problems: int


@cache
def validation_checksum() -> str:
    """Return a checksum of what validation depends on: the code and the reference files."""
    digest = hashlib.sha256(code_checksum().encode())
    digest.update(file_checksum(paths.REFERENCE_FILES).encode())
    return digest.hexdigest()


class EventsCache:
    """The events cache of one workspace directory.

    Parameters
    ----------
    workspace
        The workspace directory; the cache is its ``events-cache`` folder (made when needed).
    """

    def __init__(self, workspace: Path) -> None:
        self.root = Path(workspace) / CACHE_DIR

    def _paths(self, sha256: str, read_as: str) -> tuple[Path, Path]:
        if not _SHA256.fullmatch(sha256) or read_as not in FORMATS:
            raise ValueError(f"not a content and format: {sha256!r}, {read_as!r}")
        stem = self.root / f"{sha256}-{read_as}"
        return stem.with_suffix(".parquet"), stem.with_suffix(".json")

    def counts(self, sha256: str, read_as: str) -> Counts | None:
        """Return the counts of a cached entry (cheap: for labels), or None when there is none."""
        _events, meta = self._paths(sha256, read_as)
        try:
            saved = json.loads(meta.read_text("utf-8"))
            if saved.pop("checksum") != validation_checksum():
                return None
            return Counts(**saved)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def get(self, sha256: str, read_as: str) -> tuple[gpd.GeoDataFrame, Counts] | None:
        """Return the cached events and counts, or None when there are none (or unreadable)."""
        counts = self.counts(sha256, read_as)
        if counts is None:
            return None
        events, _meta = self._paths(sha256, read_as)
        try:
            return read_events(events.read_bytes()), counts
        except Exception:  # noqa: BLE001 - damaged or vanished: a cache miss, validated again
            return None

    def put(self, sha256: str, read_as: str, events: gpd.GeoDataFrame, counts: Counts) -> None:
        """Keep ``events`` (validated, not joined) and ``counts``; a failure to write is ignored."""
        events_path, meta = self._paths(sha256, read_as)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_atomically(events_path, lambda path: events.to_parquet(path))
            text = json.dumps({**asdict(counts), "checksum": validation_checksum()})
            _write_atomically(meta, lambda path: path.write_text(text, "utf-8"))
        except OSError:
            return  # a read-only or full disk: the dataset is validated again next time


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write ``target`` through ``write(tmp_path)`` on a temporary file, then rename it."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
