"""Results derived from the shipped files, built once and kept on disk for later processes.

Every ``border-map`` command and the app's first session need the reference data (provinces,
border sectors, the land union, the gazetteer) and the shipped events validated and joined:
about a second of work that gives the same answer each time. :func:`disk_cached` keeps such a
result in the user's cache folder (``$BORDER_MAP_CACHE``, else ``$XDG_CACHE_HOME/border-map``,
else ``~/.cache/border-map``) under a checksum of everything it depends on: the input files'
bytes, this package's source code and the versions of the libraries whose objects it holds.
Change any of them and the result is built again. Only shipped files are cached this way,
never a user's upload (their records stay where the user put them).

A cache that cannot be read or written (a read-only home, a damaged file, or one that another
user owns or may write, which is not unpickled) is ignored: the result is built as if there
were none.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: The environment variable naming the cache folder.
CACHE_ENV = "BORDER_MAP_CACHE"
_PACKAGE = Path(__file__).resolve().parent
#: Libraries whose objects a cached result holds: a new version builds it again.
_LIBRARIES = ("numpy", "pandas", "pyarrow", "shapely", "geopandas")


def cache_folder() -> Path:
    """Return the folder the results are kept in (not created here)."""
    named = os.environ.get(CACHE_ENV)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "border-map"


@cache
def code_checksum() -> str:
    """Return a checksum of this package's source and of the libraries' versions."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={_version(library)}".encode())
    return digest.hexdigest()


def _version(library: str) -> str:
    """Return the version of an installed library ("none" when it is not installed).

    The module's ``__version__`` (the libraries are imported by then: no look-up in the
    installed packages' metadata), else the package's metadata.
    """
    try:
        return str(import_module(library).__version__)
    except (ImportError, AttributeError):
        pass
    try:
        return version(library)
    except PackageNotFoundError:
        return "none"


def file_checksum(paths: Iterable[Path]) -> str:
    """Return a checksum of the files' names and bytes."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def disk_cached(name: str, key: str, build: Callable[[], T]) -> T:
    """Return ``build()``, kept on disk under ``name`` for the same ``key`` and code.

    Parameters
    ----------
    name
        What is kept (a file name stem, e.g. ``"reference"``).
    key
        A checksum of what the result depends on besides this package's code
        (:func:`file_checksum` of its input files).
    build
        Builds the result; called when no kept result matches, or it cannot be read.
    """
    checksum = hashlib.sha256(f"{key}:{code_checksum()}".encode()).hexdigest()
    path = cache_folder() / f"{name}-{checksum[:32]}.pickle"
    try:
        with path.open("rb") as file:
            if not _own(os.fstat(file.fileno())):
                raise PermissionError(path)  # written by someone else: not unpickled
            kept = pickle.load(file)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == checksum:
            return kept[1]
    except Exception:  # noqa: BLE001 (none kept, damaged or foreign: build it)
        pass
    result = build()
    _keep(path, (checksum, result))
    return result


def _own(info: os.stat_result) -> bool:
    """Tell whether a kept file is this user's and writable by no one else (safe to unpickle)."""
    owner = info.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return owner and not info.st_mode & 0o022


def _keep(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` atomically, readable by its owner only; drop older ones.

    A read-only or full disk is no error: the result is simply not kept.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # noqa: BLE001 (not picklable, disk full: not kept)
        Path(temporary).unlink(missing_ok=True)
        return
    stem = path.name.rsplit("-", 1)[0]
    for older in path.parent.glob(f"{stem}-*.pickle"):
        if older != path:
            older.unlink(missing_ok=True)
