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
- **This machine only.** The app has no sign-in yet: anyone who reaches it can open, export and
  delete every saved upload, and the records name people. ``refuse_open_address`` stops the
  server at start-up when ``server.address`` is anything but a loopback address (set in
  .streamlit/config.toml to ``127.0.0.1``; unset, Streamlit listens on every interface).
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from typing import Any

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


def open_address_message(address: str) -> str:
    """Return why the server does not start on ``address`` and what to do instead."""
    where = repr(address) if address else "every network interface (server.address is unset)"
    return (
        f"border-map: not serving on {where}. The app has no sign-in yet: anyone who can reach "
        "that address could open, export and delete every saved upload, and the records name "
        "people. Serve on this machine only (server.address = \"127.0.0.1\", the default in "
        ".streamlit/config.toml, or --server.address 127.0.0.1); to serve a team, put a reverse "
        "proxy with TLS and sign-in in front of it on the same machine (see the README)."
    )


def refuse_open_address(address: str | None = None) -> None:
    """Exit the server process (status 2) when it would listen beyond this machine.

    ``address``: default Streamlit's ``server.address`` option.
    """
    if address is None:
        address = str(config.get_option("server.address") or "")
    if not is_loopback(address):
        print(open_address_message(address), file=sys.stderr, flush=True)
        raise SystemExit(2)
