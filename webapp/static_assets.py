"""Serve the map's JavaScript, CSS and CJK font from this app, never from a CDN.

At start-up the XStatic files that ``render.webmap.assets.asset_files()`` lists are copied into
``static/vendor/`` next to app.py (git-ignored); Streamlit serves that folder at
``/app/static/`` when ``server.enableStaticServing`` is on. The map's CJK font subsets
(``render.webmap.fonts``) are written to ``static/vendor/fonts/`` by :func:`publish_font`, and the
map's fixed geometry (``render.webmap.published``) to ``static/vendor/data/`` by
:func:`publish_data`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = APP_DIR / "static" / "vendor"
#: Where the browser finds ``VENDOR_DIR`` (absolute, because the map runs in a component
#: iframe whose own address is elsewhere on the same server).
VENDOR_URL = "/app/static/vendor"


def _write_atomically(destination: Path, write: Callable[[str], object]) -> None:
    """Write ``destination`` via ``write(temp path)`` and ``os.replace`` (never half a file)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-")
    os.close(handle)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    finally:
        Path(tmp).unlink(missing_ok=True)


def copy_assets(files: dict[str, Path], target: Path = VENDOR_DIR) -> Path:
    """Copy asset files into ``target`` (each via a temp file and ``os.replace``).

    Parameters
    ----------
    files
        Relative file name (may contain ``/``) -> source path.
    target
        The folder served as ``VENDOR_URL``.
    """
    for name, source in files.items():
        destination = target / name
        if destination.is_file() and destination.stat().st_size == source.stat().st_size:
            continue
        _write_atomically(destination, partial(shutil.copyfile, source))
    return target


#: Files kept in each published folder (``fonts/``, ``data/``): a page loads its files when it
#: is shown, so only recently used ones are needed.
MAX_PUBLISHED_FILES = 64


def publish_file(folder: str, name: str, data: bytes, target: Path = VENDOR_DIR) -> str:
    """Write ``data`` to ``target/folder/name`` (once) and return its URL on this host.

    Parameters
    ----------
    folder
        ``fonts`` (CJK font subsets, ``render.webmap.fonts``) or ``data`` (the map's fixed
        geometry, ``render.webmap.published``).
    name
        A content-addressed file name: an existing file of that name already holds these bytes.
    data
        The file.
    target
        The folder served as ``VENDOR_URL``.
    """
    destination = target / folder / name
    if destination.is_file():
        destination.touch()  # recently used: kept by _prune
    else:
        _write_atomically(destination, lambda tmp: Path(tmp).write_bytes(data))
        _prune(destination.parent)
    return f"{VENDOR_URL}/{folder}/{name}"


#: Publish a CJK font subset: ``(name, bytes) -> URL``.
publish_font = partial(publish_file, "fonts")
#: Publish a script file of map geometry: ``(name, bytes) -> URL``.
publish_data = partial(publish_file, "data")


def _prune(folder: Path) -> None:
    """Delete all but the ``MAX_PUBLISHED_FILES`` most recently used files in ``folder``.

    Each view with new characters publishes a font subset; without this the folder grows for
    as long as the server runs.
    """
    files = sorted(
        (f for f in folder.iterdir() if f.is_file() and not f.name.startswith(".tmp-")),
        key=lambda f: f.stat().st_mtime,
        reverse=True,
    )
    for old in files[MAX_PUBLISHED_FILES:]:
        old.unlink(missing_ok=True)


@st.cache_resource(show_spinner=False)
def served_assets_url() -> str:
    """Copy the map assets into ``static/vendor/`` once per process and return their URL."""
    from render.webmap.assets import asset_files

    copy_assets(asset_files())
    return VENDOR_URL
