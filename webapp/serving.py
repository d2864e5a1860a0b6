"""How the app is served: anti-framing headers, and no look-up of the server's external address.

``streamlit run app.py`` finds ``app`` (an ``st.App``) in app.py and serves it with this
module's ``MIDDLEWARE``; each session still runs app.py as its script.

- **Framing.** Streamlit 1.67 has no setting for response headers, so ``AntiFraming`` adds
  ``Content-Security-Policy: frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` to every
  HTTP response: no other site can frame the app (click-jacking). The only pages the app
  frames itself, custom components such as the map (``/component/...``,
  ``/_stcore/bidi-components/...``), get ``'self'`` / ``SAMEORIGIN`` instead.
- **No third-party request.** At start-up Streamlit asks checkip.amazonaws.com for the
  machine's external address unless ``server.address`` or ``browser.serverAddress`` is set
  (both are, in .streamlit/config.toml). It also asks whenever a WebSocket arrives from a
  foreign origin (``server_util.is_url_from_allowed_origins``), which config cannot turn off;
  ``no_external_ip_lookup`` makes that look-up answer "unknown" at once. Same-origin
  connections and ``server.corsAllowedOrigins`` work as before.
- **This machine only, unless sign-in is configured.** With no sign-in, anyone who reaches the
  app could open, export and delete every saved upload, and the records name people.
  ``refuse_open_address`` stops the server at start-up when ``server.address`` is anything but a
  loopback address (set in .streamlit/config.toml to ``127.0.0.1``; unset, Streamlit listens on
  every interface) and no sign-in is configured: neither Streamlit's OIDC (an ``[auth]``
  section in .streamlit/secrets.toml) nor a local account in the app's database
  (``border-map user add NAME``). An ``[auth]`` section Streamlit cannot use stops it too.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config, net_util

#: Path prefixes (after ``server.baseUrlPath``) of pages the app shows in its own iframes.
SELF_FRAMED = ("component/", "_stcore/bidi-components/")
DENY_HEADERS = (("Content-Security-Policy", "frame-ancestors 'none'"), ("X-Frame-Options", "DENY"))
SELF_HEADERS = (
    ("Content-Security-Policy", "frame-ancestors 'self'"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


def framing_headers(path: str, base_url_path: str = "") -> tuple[tuple[str, str], ...]:
    """Return the anti-framing headers for a request path.

    Parameters
    ----------
    path
        The request path, e.g. ``/`` or ``/component/streamlit_folium.st_folium/index.html``.
    base_url_path
        Streamlit's ``server.baseUrlPath`` ('' when served at the root).

    Returns
    -------
    tuple of (name, value)
        ``SELF_HEADERS`` for the app's own component pages, else ``DENY_HEADERS``.
    """
    relative = path.lstrip("/")
    base = base_url_path.strip("/")
    if base and relative.startswith(base + "/"):
        relative = relative[len(base) + 1 :]
    return SELF_HEADERS if relative.startswith(SELF_FRAMED) else DENY_HEADERS


class AntiFraming:
    """ASGI middleware adding ``framing_headers`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        base = str(config.get_option("server.baseUrlPath") or "")
        headers = framing_headers(scope.get("path", ""), base)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers:
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _unknown_external_ip() -> None:
    """Stand in for ``streamlit.net_util.get_external_ip``: never ask a third party."""
    return None


def no_external_ip_lookup() -> None:
    """Make Streamlit's external-address look-up answer None without any network request."""
    patched: Callable[[], Any] = _unknown_external_ip
    net_util.get_external_ip = patched


#: The middleware ``st.App`` serves the app with (app.py).
MIDDLEWARE = [Middleware(AntiFraming)]


def is_loopback(address: str) -> bool:
    """Return whether ``server.address`` serves this machine only (``''``: every interface)."""
    host = address.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # empty (every interface) or a host name: not known to be this machine
        return False


def oidc_settings() -> Mapping[str, Any] | None:
    """Return the ``[auth]`` section of Streamlit's secrets, or None when there is none."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("auth")
    except Exception:  # an unreadable secrets file: no OIDC (Streamlit logs why)
        return None
    return section if isinstance(section, Mapping) and section else None


def oidc_provider(settings: Mapping[str, Any]) -> str | None:
    """Return the provider ``st.login`` is called with: None (``[auth]``'s own), else the one named.

    ``[auth]`` may hold the provider's settings itself (``client_id``...) or in one subsection
    (``[auth.google]``); with several subsections the first one is used.
    """
    if "client_id" in settings:
        return None
    named = [key for key, value in settings.items() if isinstance(value, Mapping)]
    return named[0] if named else None


def oidc_configured() -> bool:
    """Return whether Streamlit's OIDC sign-in is configured (secrets have ``[auth]``)."""
    return oidc_settings() is not None


def open_address_message(address: str, database: str = "") -> str:
    """Return why the server does not start on ``address`` and how to configure sign-in.

    ``database``: where local accounts were looked for (shown when given).
    """
    where = repr(address) if address else "every network interface (server.address is unset)"
    looked = f" (looked in {database})" if database else ""
    return (
        f"border-map: not serving on {where}: no sign-in is configured, so anyone who can reach "
        "that address could open, export and delete every saved upload, and the records name "
        "people. To serve a team, configure sign-in first: add local accounts with "
        "`border-map user add NAME` (run it as the user who runs the server, or with the same "
        f"BORDER_MAP_WORKSPACE or BORDER_MAP_DATABASE_URL){looked}, or configure your identity "
        "provider (OIDC) in an [auth] section of .streamlit/secrets.toml; see the README. To use "
        "the app on this machine only, serve on 127.0.0.1 (server.address = \"127.0.0.1\", the "
        "default in .streamlit/config.toml, or --server.address 127.0.0.1)."
    )


def _oidc_problem() -> str | None:
    """Return why the ``[auth]`` secrets cannot sign anyone in, or None (none, or usable)."""
    settings = oidc_settings()
    if settings is None:
        return None
    try:
        from streamlit.auth_util import is_authlib_installed, validate_auth_credentials
        from streamlit.errors import StreamlitAuthError
    except ImportError:  # another Streamlit: st.login reports problems when called
        return None
    if not is_authlib_installed():
        return "Streamlit's sign-in needs Authlib 1.3.2 or newer: pip install 'Authlib>=1.3.2'"
    try:
        validate_auth_credentials(oidc_provider(settings) or "default")
    except StreamlitAuthError as exc:
        return " ".join(str(exc).split())
    return None


def _local_accounts() -> tuple[bool, str]:
    """Return whether the app's database has a local account, and where that database is.

    Raises
    ------
    SystemExit
        The database cannot be opened (status 2, with the reason on stderr).
    """
    from sqlalchemy.engine import make_url

    from storage.engine import database_url
    from storage.store import open_store
    from webapp.workspace import default_workspace_dir

    workspace = default_workspace_dir()
    url = database_url(workspace)
    try:
        where = make_url(url).render_as_string(hide_password=True)
        store = open_store(workspace, url)
    except Exception as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:500]
        print(f"border-map: cannot open the app's database to look for local accounts: {reason}",
              file=sys.stderr, flush=True)  # fmt: skip
        raise SystemExit(2) from None
    try:
        return store.has_local_accounts(), where
    finally:
        store.close()


def refuse_open_address(address: str | None = None) -> None:
    """Exit the server process (status 2) when it would listen beyond this machine unconfigured.

    Beyond this machine (``address`` not loopback; default Streamlit's ``server.address``)
    the server starts only with sign-in configured: OIDC secrets, or a local account in the
    app's database. Broken OIDC secrets stop it on any address. Served beyond this machine
    without TLS (``server.sslCertFile``), it warns that passwords and data cross the network
    unencrypted.
    """
    if address is None:
        address = str(config.get_option("server.address") or "")
    problem = _oidc_problem()
    if problem is not None:
        print(f"border-map: the [auth] section of .streamlit/secrets.toml cannot sign anyone "
              f"in: {problem}", file=sys.stderr, flush=True)  # fmt: skip
        raise SystemExit(2)
    if is_loopback(address):
        return
    if not oidc_configured():
        has_accounts, database = _local_accounts()
        if not has_accounts:
            print(open_address_message(address, database), file=sys.stderr, flush=True)
            raise SystemExit(2)
    if not config.get_option("server.sslCertFile"):
        print(
            f"border-map: warning: serving on {address or 'every network interface'} over plain "
            "HTTP: passwords and data cross the network unencrypted. Put a reverse proxy with "
            "TLS in front (and serve on 127.0.0.1), or set server.sslCertFile and "
            "server.sslKeyFile.",
            file=sys.stderr,
            flush=True,
        )
