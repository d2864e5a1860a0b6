"""Import the uploads saved before the store (``webapp.workspace``'s layout) into it, once.

Before issue 16 the app saved each upload as ``<workspace>/<16 hex digits>/`` with
``original.<ext>``, ``meta.json`` and ``events.parquet``. On the first start with the store,
each such directory becomes a private dataset of the given owner (the local user), with its
file name, the format it was read as and the time it was saved; the store's audit trail
records it as an upload at that time. A marker file (:data:`MARKER`, naming the new dataset) in
the directory says it was imported, so it is imported once; the imports run under an
exclusive lock on ``<workspace>/.import.lock``, so two processes starting at once do not both
import it. Nothing is deleted from disk: the old directories stay, and may be removed by hand.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.store import Store
from webapp.workspace import SavedDataset

#: The file written into a legacy dataset's directory once it is in the store.
MARKER = "imported-to-store.json"
LOCK = ".import.lock"
_LEGACY_ID = re.compile(r"[0-9a-f]{16}")
_SAVED_AT = "%Y-%m-%d %H:%M UTC"


def legacy_directories(root: Path) -> list[Path]:
    """Return the workspace's saved-upload directories not imported yet, oldest name first."""
    if not root.is_dir():
        return []
    return sorted(
        d
        for d in root.iterdir()
        if _LEGACY_ID.fullmatch(d.name) and d.is_dir() and not (d / MARKER).exists()
    )


def import_legacy_workspace(store: Store, root: Path, owner: str) -> list[str]:
    """Import each saved upload of the old layout in ``root`` as a dataset of ``owner``.

    Returns the new datasets' ids. A directory without a readable ``meta.json`` or original
    file is left alone (not a complete dataset).
    """
    if not legacy_directories(root):
        return []
    imported: list[str] = []
    with _exclusive(root / LOCK):
        for directory in legacy_directories(root):  # again: another process may have done some
            dataset_id = _import_one(store, directory, owner)
            if dataset_id is not None:
                imported.append(dataset_id)
    return imported


def _import_one(store: Store, directory: Path, owner: str) -> str | None:
    try:
        meta = SavedDataset(**json.loads((directory / "meta.json").read_text("utf-8")))
        original = next(iter(sorted(directory.glob("original.*"))), None)
        if original is None:
            return None
        content = original.read_bytes()
    except (OSError, ValueError, TypeError):
        return None
    saved_at = _saved_time(meta.saved_at, directory)
    at_save_time = Store(store.engine, clock=lambda: saved_at)
    info = at_save_time.create_dataset(owner, content, meta.filename, read_as=meta.read_as)
    record = {"dataset_id": info.id, "imported": store.clock().isoformat(timespec="seconds")}
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(tmp, directory / MARKER)
    return info.id


def _saved_time(text: str, directory: Path) -> dt.datetime:
    """Return when the dataset was saved: its ``meta.json``'s time, else the file's."""
    try:
        return dt.datetime.strptime(text, _SAVED_AT).replace(tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime.fromtimestamp((directory / "meta.json").stat().st_mtime, dt.UTC)


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (between processes and threads alike)."""
    with open(lock_file, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
