"""Serve the map's JavaScript, CSS and CJK font from this app, never from a CDN.

At start-up the XStatic files that ``render.webmap.assets.asset_files()`` lists are copied into
``static/vendor/`` next to app.py (git-ignored); Streamlit serves that folder at
``/app/static/`` when ``server.enableStaticServing`` is on. The map's CJK font subsets
(``render.webmap.fonts``) are written to ``static/vendor/fonts/`` by :func:`publish_font`.
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


#: Font subsets kept in ``static/vendor/fonts/`` (a page loads its subset when it is shown).
MAX_PUBLISHED_FONTS = 64


def publish_font(name: str, data: bytes, target: Path = VENDOR_DIR) -> str:
    """Write a font subset to ``target/fonts/name`` (once) and return its URL on this host.

    Parameters
    ----------
    name
        A content-addressed file name (``render.webmap.fonts.font_file_name``): an existing
        file of that name already holds these bytes.
    data
        The font file.
    target
        The folder served as ``VENDOR_URL``.
    """
    destination = target / "fonts" / name
    if destination.is_file():
        destination.touch()  # recently used: kept by _prune_fonts
    else:
        _write_atomically(destination, lambda tmp: Path(tmp).write_bytes(data))
        _prune_fonts(destination.parent)
    return f"{VENDOR_URL}/fonts/{name}"


def _prune_fonts(folder: Path) -> None:
    """Delete all but the ``MAX_PUBLISHED_FONTS`` most recently used subsets in ``folder``.

    Each view with new characters publishes a subset; without this the folder grows for as
    long as the server runs.
    """
    fonts = sorted(folder.glob("*.woff*"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in fonts[MAX_PUBLISHED_FONTS:]:
        old.unlink(missing_ok=True)


@st.cache_resource(show_spinner=False)
def served_assets_url() -> str:
    """Copy the map assets into ``static/vendor/`` once per process and return their URL."""
    from render.webmap.assets import asset_files

    copy_assets(asset_files())
    return VENDOR_URL
