"""Deployment defaults: local only, not frameable, no request to a third party, no error details.

The shipped ``.streamlit/config.toml`` is read as Streamlit reads it (``streamlit config
show``), then the real server is started (``streamlit run app.py --server.headless true
--server.port <free>``, no other option) with its HTTP(S) proxy pointing at a local socket
and an audit hook recording every connection or name look-up of a non-local host; neither may
see anything during start-up, page and health requests, or a cross-origin WebSocket attempt.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app_server import free_port, stop_process, wait_healthy
from webapp.serving import DENY_HEADERS, SELF_HEADERS, framing_headers, is_loopback

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"

#: Runs streamlit (or ``-c CODE``) with an audit hook writing non-local network use to a file.
LAUNCHER = """
import runpy, socket, sys

LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0", "::", ""}
log = open(sys.argv[1], "a", encoding="utf-8")

def host_of(event, args):
    if event in ("socket.connect", "socket.sendto"):
        address = args[-1]
        return str(address[0]) if isinstance(address, tuple) else None
    if event == "socket.getaddrinfo":
        host = args[0]
        return host.decode() if isinstance(host, bytes) else (None if host is None else str(host))
    return None

def hook(event, args):
    host = host_of(event, args)
    if host is not None and host not in LOCAL:
        udp = event == "socket.connect" and args[0].type == socket.SOCK_DGRAM
        log.write(f"{event}{'/udp' if udp else ''} {host}\\n")
        log.flush()

sys.addaudithook(hook)
if sys.argv[2] == "-c":
    exec(sys.argv[3])
else:
    sys.argv = ["streamlit", *sys.argv[2:]]
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)
"""


class ProxyTrap:
    """A local socket standing in for the HTTP(S) proxy: records what connects, answers nothing."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.requests.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


@pytest.fixture
def trap() -> Iterator[ProxyTrap]:
    proxy = ProxyTrap()
    yield proxy
    proxy.close()


def trapped_env(proxy: ProxyTrap, workspace: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "all_proxy")}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env[name] = proxy.url
    env["BORDER_MAP_WORKSPACE"] = str(workspace)
    return env


@pytest.fixture
def launcher(tmp_path) -> Path:
    path = tmp_path / "launch_with_audit.py"
    path.write_text(LAUNCHER, encoding="utf-8")
    return path


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """GET ``url`` directly (no proxy); return the status and the headers (lower-case names)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}


def websocket_handshake(port: int, origin: str) -> bytes:
    """Open ``/_stcore/stream`` with ``origin``; return the status line of the answer."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(4096).split(b"\r\n", 1)[0]


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (Linux /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
                    found.add(socket.inet_ntop(socket.AF_INET6, raw))
    return found


# --- the shipped configuration ----------------------------------------------------------------


def test_config_file_sets_the_hardened_defaults():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["browser"]["serverAddress"] == "localhost"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["showErrorLinks"] is False
    assert config["server"]["fileWatcherType"] == "none"  # no source watching: CPU per rerun


def test_streamlit_reads_the_config_as_intended():
    proc = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    shown = proc.stdout
    for setting in (
        'address = "127.0.0.1"',
        'serverAddress = "localhost"',
        "gatherUsageStats = false",
        'showErrorDetails = "none"',
        "showErrorLinks = false",
        'fileWatcherType = "none"',
    ):
        assert f"\n{setting}\n" in shown, setting


def test_app_module_is_served_as_an_st_app_with_the_boundary_and_middleware():
    code = (
        "import app, streamlit as st, webapp.errors as e, webapp.serving as s\n"
        "assert isinstance(app.app, st.App)\n"
        "assert app.app._on_script_error is e.report_script_error\n"
        "assert [m.cls for m in app.app._user_middleware] == [s.AntiFraming]\n"
        "import streamlit.net_util as n\n"
        "assert n.get_external_ip() is None\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
        ("[::1]", True), ("", False), ("0.0.0.0", False), ("::", False),
        ("192.168.1.20", False), ("example.org", False),
    ],
)  # fmt: skip
def test_only_loopback_addresses_count_as_this_machine(address, local):
    assert is_loopback(address) is local


def server_env(workspace: Path) -> dict[str, str]:
    """The environment of a test server: its own workspace (and so its own database)."""
    env = {k: v for k, v in os.environ.items() if k != "BORDER_MAP_DATABASE_URL"}
    env["BORDER_MAP_WORKSPACE"] = str(workspace)
    return env


def serve(port: int, address: str, workspace: Path, *options: str) -> subprocess.Popen:
    """Start ``streamlit run app.py`` on ``address``; its output goes to workspace/../server.log."""
    log = (workspace.parent / "server.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", address, *options],
        cwd=ROOT, env=server_env(workspace), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def add_local_account(workspace: Path, name: str = "alice") -> None:
    from storage.store import open_store

    store = open_store(workspace)
    try:
        store.add_user(name)
        store.set_password(name, "correct horse battery")
    finally:
        store.close()


@pytest.mark.parametrize("address", ["0.0.0.0", "::"])
def test_the_server_refuses_to_listen_beyond_this_machine(address, tmp_path):
    """With no sign-in, another address than a loopback one stops the server with the reason."""
    port = free_port()
    workspace = tmp_path / "workspace"
    run = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", address],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=server_env(workspace),
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"border-map: not serving on {address!r}: no sign-in is configured" in run.stderr
    assert "border-map user add NAME" in run.stderr  # how to configure sign-in
    assert "[auth] section of .streamlit/secrets.toml" in run.stderr
    assert f"looked in sqlite:///{workspace.resolve() / 'border-map.db'}" in run.stderr
    assert 'server.address = "127.0.0.1"' in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert listening_addresses(port) == set()


def test_with_a_local_account_the_server_listens_beyond_this_machine(tmp_path):
    """A local account in the workspace's database is sign-in: 0.0.0.0 serves, with a warning."""
    workspace = tmp_path / "workspace"
    add_local_account(workspace)
    port = free_port()
    process = serve(port, "0.0.0.0", workspace)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        assert "0.0.0.0" in listening_addresses(port)
    finally:
        stop_process(process)
    printed = (tmp_path / "server.log").read_text(errors="replace")
    assert "not serving" not in printed
    assert "border-map: warning: serving on 0.0.0.0 over plain HTTP" in printed


def test_oidc_secrets_are_sign_in_and_broken_ones_stop_the_server(tmp_path):
    """An [auth] section Streamlit can use lets 0.0.0.0 serve; an incomplete one stops it."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "https://maps.example.org/oauth2callback"\n'
        'cookie_secret = "a long random secret for the identity cookie"\n'
        'client_id = "border-map"\n'
        'client_secret = "not a real secret"\n'
        'server_metadata_url = "https://id.example.org/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    workspace = tmp_path / "workspace"
    port = free_port()
    process = serve(port, "0.0.0.0", workspace, "--secrets.files", str(secrets))
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        stop_process(process)

    secrets.write_text('[auth]\nclient_id = "border-map"\n', encoding="utf-8")  # incomplete
    run = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(free_port()), "--secrets.files", str(secrets)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=server_env(workspace),
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "the [auth] section of .streamlit/secrets.toml cannot sign anyone in" in run.stderr
    assert "redirect_uri" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/", "", DENY_HEADERS),
        ("/_stcore/health", "", DENY_HEADERS),
        ("/app/static/vendor/leaflet.js", "", DENY_HEADERS),
        ("/component/streamlit_folium.st_folium/index.html", "", SELF_HEADERS),
        ("/_stcore/bidi-components/x/index.js", "", SELF_HEADERS),
        ("/maps/component/streamlit_folium.st_folium/index.html", "/maps/", SELF_HEADERS),
        ("/maps/", "maps", DENY_HEADERS),
        ("/componentx", "", DENY_HEADERS),
    ],
)
def test_framing_headers_by_path(path, base, expected):
    assert framing_headers(path, base) == expected


# --- the running server -----------------------------------------------------------------------


def test_trap_and_audit_hook_see_the_external_ip_lookup(trap, launcher, tmp_path):
    """Control: the detectors catch Streamlit's look-up and a direct connection."""
    audit = tmp_path / "audit.log"
    code = (
        "import socket\n"
        "from streamlit import net_util\n"
        "net_util.get_external_ip()\n"
        "s = socket.socket(); s.settimeout(0.01)\n"
        "try:\n    s.connect(('192.0.2.1', 9))\nexcept OSError:\n    pass\n"
    )
    subprocess.run(
        [sys.executable, str(launcher), str(audit), "-c", code],
        cwd=ROOT, env=trapped_env(trap, tmp_path), check=True, timeout=120,
    )  # fmt: skip
    deadline = time.monotonic() + 5
    while not trap.requests and time.monotonic() < deadline:
        time.sleep(0.05)  # the trap's thread records the connection
    assert any(b"checkip.amazonaws.com" in r for r in trap.requests), trap.requests
    assert "socket.connect 192.0.2.1" in audit.read_text(encoding="utf-8")


def test_served_app_is_local_unframeable_and_asks_no_third_party(trap, launcher, tmp_path):
    port = free_port()
    audit = tmp_path / "audit.log"
    audit.touch()
    command = [
        sys.executable, str(launcher), str(audit), "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=trapped_env(trap, tmp_path / "workspace"),
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process)
            assert listening_addresses(port) <= {"127.0.0.1"}

            for path in ("/", "/_stcore/health", "/_stcore/host-config", "/no-such-page"):
                status, headers = fetch(url + path)
                assert status in (200, 404), path
                assert headers.get("x-frame-options") == "DENY", path
                assert headers.get("content-security-policy") == "frame-ancestors 'none'", path
            _, headers = fetch(url + "/component/streamlit_folium.st_folium/index.html")
            assert headers.get("x-frame-options") == "SAMEORIGIN"
            assert headers.get("content-security-policy") == "frame-ancestors 'self'"

            # A page on another site opening the app's WebSocket makes Streamlit check the
            # origin, which would ask checkip.amazonaws.com for the server's address.
            status_line = websocket_handshake(port, "http://evil.example")
            assert b" 101 " not in status_line, status_line
        finally:
            stop_process(process)
        output.seek(0)
        printed = output.read().decode(errors="replace")
    assert f"URL: http://localhost:{port}" in printed, printed
    assert "External URL" not in printed and "Network URL" not in printed
    assert trap.requests == [], trap.requests
    assert network_use(audit) == []


def network_use(audit: Path) -> list[str]:
    """What the audit hook recorded, except UDP ``connect`` calls: those send no packet.

    (Streamlit's origin check "connects" a UDP socket to 8.8.8.8 to learn which local
    address routes outwards, ``net_util.get_internal_ip``; nothing leaves the machine.)
    """
    lines = audit.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("socket.connect/udp ")]
