"""The workspace directory, its quota, and the layout uploads were saved in before the store.

The app now saves uploads in its store (``storage.store``, SQLite in this directory by
default; ``webapp.datasets``); :class:`Workspace` still names the directory (stories, the
events cache, the SQLite file) and its quota (``BORDER_MAP_WORKSPACE_QUOTA_MB``), and describes
the old layout that ``webapp.legacy_import`` imports on first start:

Each dataset lives in ``<workspace>/<dataset_id>/`` with ``original.<ext>``, ``events.parquet``
(the validated, normalised events) and ``meta.json``; the id is a hash of the file's content.

Saving is atomic and safe under concurrency, between threads and processes alike, without
locks: a dataset is written into its own hidden temporary directory (``.tmp-*``) and moved into
place with one ``os.rename``. A directory named after a dataset id therefore only ever appears
complete. When the rename finds the dataset already there (another session saved the same
content first), that dataset is the result: both saves succeed and one dataset remains.

Temporary directories that outlive an interrupted save are removed when a workspace is opened
once they are :data:`STALE_TMP_MINUTES` old. A save that would take the saved datasets beyond
the workspace's quota (``BORDER_MAP_WORKSPACE_QUOTA_MB``, default :data:`DEFAULT_QUOTA_MB`) is
refused with :class:`WorkspaceFull`, whose message says what to do. A dataset deleted by
another session simply disappears: listing skips it and reading it returns ``None``.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
from platformdirs import user_data_dir

from geo.reference.schema import CRS
from geo.validate.layouts import FORMAT_NAMES
from i18n import _
from i18n.formats import number

WORKSPACE_ENV = "BORDER_MAP_WORKSPACE"
#: Environment variable holding the workspace's storage quota in MB (decimals allowed).
QUOTA_ENV = "BORDER_MAP_WORKSPACE_QUOTA_MB"
DEFAULT_QUOTA_MB = 500
#: Age after which a temporary directory is debris of an interrupted save or delete.
STALE_TMP_MINUTES = 15
_MB = 1024 * 1024
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
    #: What the file was read as when the user chose (``geo.validate.layouts.FORMATS``).
    read_as: str = "auto"

    @property
    def label(self) -> str:
        """Return a short label for choosing the dataset in a list (in the page's language)."""
        counts = {
            "file": self.filename,
            "valid": number(self.valid),
            "rows": number(self.rows),
            "saved": self.saved_at,
        }
        if self.read_as == "auto":
            return _("{file} ({valid} of {rows} rows valid, saved {saved})").format(**counts)
        name = _(FORMAT_NAMES.get(self.read_as, self.read_as))
        return _("{file} (read as {format}, {valid} of {rows} rows valid, saved {saved})").format(
            format=name, **counts
        )


class WorkspaceFull(OSError):
    """A save refused because it would exceed the workspace's storage quota.

    ``str(error)`` is the message for the user: the quota, the space used, what to do.

    Attributes
    ----------
    quota, used, needed
        The quota, the bytes the saved datasets use, the bytes the refused dataset needs.
    """

    def __init__(self, quota: int, used: int, needed: int) -> None:
        self.quota, self.used, self.needed = quota, used, needed
        super().__init__(
            _(
                "Not saved: the workspace is full. Saved datasets use {used} of its {quota} "
                "quota and this file needs {needed} more. Delete saved datasets you no longer "
                "need (choose one under Dataset in the sidebar, then “Delete this dataset” "
                "under “Manage this dataset”); this file is then saved and mapped. Whoever runs "
                "the app can raise the quota with {variable}."
            ).format(used=_mb(used), quota=_mb(quota), needed=_mb(needed), variable=QUOTA_ENV)
        )

    @property
    def usage(self) -> str:
        """Return the space used and the quota, e.g. ``499.2 MB of 500 MB used``."""
        return _("{used} of {quota} used").format(used=_mb(self.used), quota=_mb(self.quota))


def _mb(size: int) -> str:
    text = f"{size / _MB:.1f}"
    return f"{text.removesuffix('.0')} MB"


def default_workspace_dir() -> Path:
    """Return the workspace directory: env ``BORDER_MAP_WORKSPACE``, else the user data dir."""
    configured = os.environ.get(WORKSPACE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("border-events-map", appauthor=False)) / "workspace"


def default_quota_bytes() -> int:
    """Return the storage quota: env ``BORDER_MAP_WORKSPACE_QUOTA_MB`` (MB), else 500 MB.

    Raises
    ------
    ValueError
        The variable is set but is not a number of MB (0 or more).
    """
    configured = os.environ.get(QUOTA_ENV, "").strip()
    if not configured:
        return DEFAULT_QUOTA_MB * _MB
    try:
        megabytes = float(configured)
    except ValueError:
        megabytes = -1.0
    if not (math.isfinite(megabytes) and megabytes >= 0):
        raise ValueError(f"{QUOTA_ENV}={configured!r}: give the quota in MB, e.g. 500")
    return int(megabytes * _MB)


def dataset_id_for(content: bytes, fmt: str = "auto") -> str:
    """Return the id a file's content is saved under (the same content is saved once).

    The same file read as another format (``geo.validate.layouts.FORMATS``) is another dataset.
    """
    chosen = b"" if fmt == "auto" else b"\0read as " + fmt.encode()
    return hashlib.sha256(content + chosen).hexdigest()[:16]


def read_events(content: bytes) -> gpd.GeoDataFrame:
    """Return saved events from the bytes of an ``events.parquet`` file, in the schema CRS.

    A dataset saved before validation recorded its assumptions gets an empty ``assumed``;
    one saved before the ``cites`` and ``claim_scope`` columns, empty ``cites`` and claims
    about the whole ``event``.
    """
    events = gpd.read_parquet(io.BytesIO(content)).set_crs(CRS, allow_override=True)
    for column, default in (("assumed", ""), ("cites", ""), ("claim_scope", "event")):
        if column not in events:
            events[column] = default
    return events


class Workspace:
    """A directory of saved datasets.

    Opening a workspace removes the debris of interrupted saves and deletes (temporary
    directories older than :data:`STALE_TMP_MINUTES`).

    Parameters
    ----------
    root
        The workspace directory; created when missing. Default: ``default_workspace_dir()``.
    quota_bytes
        Most bytes the saved datasets may take together. Default: ``default_quota_bytes()``.
    """

    def __init__(self, root: Path | None = None, *, quota_bytes: int | None = None) -> None:
        self.root = Path(root) if root is not None else default_workspace_dir()
        self.quota_bytes = default_quota_bytes() if quota_bytes is None else quota_bytes
        self.root.mkdir(parents=True, exist_ok=True)
        self.remove_stale_temporaries()

    def save(
        self,
        content: bytes,
        filename: str,
        events: gpd.GeoDataFrame,
        rows: int,
        problems: int,
        read_as: str = "auto",
    ) -> SavedDataset:
        """Save an upload atomically and return its description.

        Saving content that is already saved (by this or another session, even at the same
        moment) returns the saved dataset's description; nothing is written twice.

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
        read_as
            The format the user chose to read the file as (``"auto"``: its headers decided).

        Raises
        ------
        WorkspaceFull
            The dataset would take the workspace beyond its quota; nothing is saved.
        """
        dataset_id = dataset_id_for(content, read_as)
        final = self.root / dataset_id
        saved = self._saved(final)
        if saved is not None:
            return saved
        self._check_quota(len(content))
        meta = SavedDataset(
            dataset_id=dataset_id,
            filename=Path(filename).name,
            saved_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            rows=rows,
            valid=len(events),
            problems=problems,
            read_as=read_as,
        )
        tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.root))
        try:
            suffix = Path(filename).suffix.lower() or ".bin"
            (tmp / f"original{suffix}").write_bytes(content)
            events.to_parquet(tmp / _EVENTS)
            (tmp / _META).write_text(json.dumps(asdict(meta), ensure_ascii=False), "utf-8")
            return self._move_into_place(tmp, final, meta)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def used_bytes(self) -> int:
        """Return the bytes the complete saved datasets take (temporary directories aside)."""
        return sum(_size(d) for d in self._dataset_dirs())

    def list(self) -> list[SavedDataset]:
        """Return the complete saved datasets, newest first (one deleted meanwhile is skipped)."""
        found = [s for s in map(self._saved, self._dataset_dirs()) if s is not None]
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    def events_path(self, dataset_id: str) -> Path:
        """Return the path of a saved dataset's validated events file.

        The file may vanish at any moment when another session deletes the dataset; read it
        with :meth:`events_bytes`, which handles that.
        """
        return self._dir(dataset_id) / _EVENTS

    def events_bytes(self, dataset_id: str) -> bytes | None:
        """Return the bytes of a saved dataset's events file, or None when it is gone.

        None when the dataset is not (or no longer) saved, e.g. deleted by another session
        since it was listed. Once open, a file is read whole even if it is deleted meanwhile.
        """
        try:
            return self.events_path(dataset_id).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def load_events(self, dataset_id: str) -> gpd.GeoDataFrame:
        """Return a saved dataset's validated events.

        Raises
        ------
        FileNotFoundError
            The dataset is not (or no longer) saved.
        """
        content = self.events_bytes(dataset_id)
        if content is None:
            raise FileNotFoundError(f"no saved dataset {dataset_id!r} in {self.root}")
        return read_events(content)

    def delete(self, dataset_id: str) -> None:
        """Delete a saved dataset (moved aside first, so a crash never leaves half of it).

        Deleting a dataset that is gone already (another session deleted it) does nothing.
        """
        target = self._dir(dataset_id)
        if not target.exists():
            return
        doomed = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.root))
        try:
            os.rename(target, doomed / dataset_id)
        except FileNotFoundError:
            pass  # deleted by another session meanwhile
        finally:
            shutil.rmtree(doomed, ignore_errors=True)

    def remove_stale_temporaries(self, max_age_minutes: float = STALE_TMP_MINUTES) -> None:
        """Remove temporary directories (``.tmp-*``) older than ``max_age_minutes``.

        They are the remains of a save or delete that was interrupted (a crash, a killed
        server); a save in progress updates its directory within seconds, so it is kept.
        """
        limit = time.time() - max_age_minutes * 60
        for entry in self.root.iterdir():
            if not entry.name.startswith(_TMP_PREFIX):
                continue
            try:
                if entry.lstat().st_mtime >= limit:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue  # removed by another session meanwhile

    def _move_into_place(self, tmp: Path, final: Path, meta: SavedDataset) -> SavedDataset:
        """Rename the complete ``tmp`` to ``final``; the dataset saved there first wins."""
        self._check_quota(_size(tmp), final=final)
        for _attempt in range(5):
            try:
                os.rename(tmp, final)
                return meta
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
            # Another session saved the same content first: that dataset is the result.
            saved = self._saved(final)
            if saved is not None:
                return saved
            if final.exists():  # not a dataset (no meta.json): move it out of the way
                self._discard(final)
        raise FileExistsError(errno.EEXIST, "cannot save the dataset", str(final))

    def _check_quota(self, needed: int, *, final: Path | None = None) -> None:
        """Raise ``WorkspaceFull`` when ``needed`` more bytes would exceed the quota.

        With ``final`` given, a dataset saved there meanwhile (same content, another session)
        is not refused: the caller's rename then finds it and returns it.
        """
        used = self.used_bytes()
        if used + needed <= self.quota_bytes:
            return
        if final is not None and self._saved(final) is not None:
            return
        raise WorkspaceFull(self.quota_bytes, used, needed)

    def _discard(self, path: Path) -> None:
        doomed = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.root))
        try:
            os.rename(path, doomed / path.name)
        except FileNotFoundError:
            pass
        finally:
            shutil.rmtree(doomed, ignore_errors=True)

    def _dataset_dirs(self) -> tuple[Path, ...]:
        return tuple(
            d for d in self.root.iterdir() if not d.name.startswith(_TMP_PREFIX) and d.is_dir()
        )

    def _dir(self, dataset_id: str) -> Path:
        if not dataset_id.isalnum():
            raise ValueError(f"{dataset_id!r} is not a dataset id (letters and digits only)")
        return self.root / dataset_id

    @staticmethod
    def _saved(directory: Path) -> SavedDataset | None:
        """Return the dataset saved in ``directory``; None when there is none (or no longer).

        A directory whose ``meta.json`` cannot be read as one (damaged by hand) is no dataset
        either: it is not listed, and saving the same content replaces it.
        """
        try:
            return SavedDataset(**json.loads((directory / _META).read_text("utf-8")))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (ValueError, TypeError):  # not JSON, not UTF-8, or not our fields
            return None


def _size(directory: Path) -> int:
    """Return the bytes of the files in ``directory`` (0 when it vanished meanwhile)."""
    total = 0
    for folder, _dirs, files in os.walk(directory):  # errors (a vanished folder) are skipped
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                continue
    return total
