"""The app's one storage: ``storage.Store`` opened once per server process.

``BORDER_MAP_DATABASE_URL`` picks the database (``storage.engine``); unset, a SQLite file in
the workspace directory (``webapp.workspace.default_workspace_dir``).
"""

from __future__ import annotations

import os

import streamlit as st

from storage.engine import DATABASE_URL_ENV
from storage.store import Store, open_store
from webapp.workspace import default_workspace_dir

#: The one user of a laptop that serves 127.0.0.1 with no sign-in configured.
LOCAL_USER = "local"


@st.cache_resource(show_spinner=False)
def _store(workspace: str, url: str) -> Store:
    return open_store(default_workspace_dir(), url or None)


def app_store() -> Store:
    """Return the store, created or upgraded on the first call of the process.

    One per workspace directory and database URL (tests change them; a server does not).
    """
    return _store(str(default_workspace_dir()), os.environ.get(DATABASE_URL_ENV, "").strip())
