"""Serve the map's JavaScript and CSS from this app, never from a CDN.

At start-up the XStatic files that ``render.webmap.assets.asset_files()`` lists are copied into
``static/vendor/`` next to app.py (git-ignored); Streamlit serves that folder at
``/app/static/`` when ``server.enableStaticServing`` is on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = APP_DIR / "static" / "vendor"
#: Where the browser finds ``VENDOR_DIR`` (absolute, because the map runs in a component
#: iframe whose own address is elsewhere on the same server).
VENDOR_URL = "/app/static/vendor"


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
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-")
        os.close(handle)
        try:
            shutil.copyfile(source, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, destination)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return target


@st.cache_resource(show_spinner=False)
def served_assets_url() -> str:
    """Copy the map assets into ``static/vendor/`` once per process and return their URL."""
    from render.webmap.assets import asset_files

    copy_assets(asset_files())
    return VENDOR_URL
