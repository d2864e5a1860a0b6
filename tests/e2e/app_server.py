"""Run ``streamlit run app.py`` headless on a free port, in its own workspace, for browser tests.

The browser tests share one server per test session (the ``app_server`` fixture of
tests/conftest.py); ``running_app`` starts a server for one ``with`` block (used by bench/).
``save_validated`` puts a large dataset in a server's workspace without validating it there.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parents[2]
APP_FILE = "app.py"


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok`` (fails if the server exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        time.sleep(0.2)  # polling interval, not a wait for readiness
    raise TimeoutError(f"{url} not healthy after {timeout} s")


def stop_process(process: subprocess.Popen) -> None:
    """Terminate ``process``; kill it if it has not ended after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class AppServer:
    """One ``streamlit run app.py`` process with ``BORDER_MAP_WORKSPACE`` set to ``workspace``.

    ``url`` is the base URL of the running server; ``restart()`` stops it and starts a new one
    on the same workspace (and a new port, so ``url`` changes).
    """

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.url = ""
        self._process: subprocess.Popen | None = None
        self._log = None

    def start(self) -> str:
        """Start the server and wait until it is healthy; return its URL."""
        port = free_port()
        env = {**os.environ, "BORDER_MAP_WORKSPACE": str(self.workspace)}
        command = [
            sys.executable, "-m", "streamlit", "run", APP_FILE,
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall it
        self._process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, self._process)
        except (RuntimeError, TimeoutError) as exc:
            self._log.seek(0)
            output = self._log.read()[-4000:].decode(errors="replace")
            self.stop()
            raise RuntimeError(f"{exc}; server output:\n{output}") from exc
        self.url = url
        return url

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 15 s)."""
        process, self._process = self._process, None
        if process is not None:
            stop_process(process)
        if self._log is not None:
            self._log.close()
            self._log = None
        self.url = ""

    def restart(self) -> str:
        """Stop the server and start a new one on the same workspace; return its URL."""
        self.stop()
        return self.start()


@contextlib.contextmanager
def running_app(workspace: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` headless on a free port; yield its base URL."""
    server = AppServer(workspace)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def save_validated(workspace: Path, name: str, content: bytes, events: gpd.GeoDataFrame) -> str:
    """Save ``events`` as the local user's dataset ``name`` in the workspace's store.

    The store keeps ``content`` as the dataset's file; the events cache holds ``events``
    (validated and joined already) under its version, so the app shows them without reading
    ``content``. Returns the name the app lists the dataset under.
    """
    from storage.store import open_store
    from webapp.app_store import LOCAL_USER
    from webapp.events_cache import Counts, EventsCache

    store = open_store(workspace)  # the server's own store (SQLite in the workspace)
    try:
        local = store.ensure_user(LOCAL_USER).id
        saved = store.create_dataset(local, content, name)
        version = store.versions(local, saved.id)[0]
    finally:
        store.close()
    counts = Counts(len(events), len(events), 0)
    EventsCache(workspace).put(version.sha256, version.read_as, events, counts)
    return saved.name
