"""Who is using the app: sign-in with Streamlit's OIDC, with a local account, or none (a laptop).

:func:`identify` returns the :class:`Identity` of the session's user, drawing the sidebar's
sign-in form or "Signed in as" line on the way. The mode (:func:`sign_in_mode`):

- ``"oidc"``: ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's
  ``st.login``; Authlib). The user is ``st.user``, mapped to a store user by the e-mail
  address (when the identity provider does not say it is unverified) or else the ``sub``
  claim.
- ``"local"``: some user has a password (``border-map user add NAME``). The sidebar asks for
  name and password; a wrong one gets one message that does not say which was wrong, and after
  :data:`MAX_FAILURES` failures for a name that name is refused for :data:`LOCKOUT_SECONDS`
  (across the server process, whatever the session). Also the mode when the server listens
  beyond this machine or sits behind a proxy with no account yet: then no one can sign in.
- ``"none"``: no sign-in configured, served on a loopback address: everyone is the one local
  user (``webapp.app_store.LOCAL_USER``) and no sign-in is shown.

A signed-in session that has not run for ``BORDER_MAP_SESSION_MINUTES`` (default 60) minutes is
signed out at its next run, which says why. Signing out (or timing out) clears the session's
state. A local sign-in lasts as long as the browser tab's session (reloading the page asks
again); an OIDC one as long as Streamlit's identity cookie, within the same timeout.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st
from streamlit import config

from i18n import _
from storage.store import Store
from webapp.markdown_text import plain
from webapp.serving import is_loopback, oidc_configured, oidc_provider, oidc_settings

Mode = Literal["none", "local", "oidc"]

SESSION_MINUTES_ENV = "BORDER_MAP_SESSION_MINUTES"
DEFAULT_SESSION_MINUTES = 60.0
#: Failed sign-ins for one name before the name is refused for a while.
MAX_FAILURES = 5
#: Seconds a name is refused after :data:`MAX_FAILURES` failed sign-ins.
LOCKOUT_SECONDS = 60.0
#: Failures older than this (seconds) are forgotten.
FAILURE_MEMORY_SECONDS = 15 * 60.0
#: Request headers a reverse proxy adds: the app is reached through one.
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")

#: The current time in seconds (tests replace it with a fake clock).
clock: Callable[[], float] = time.time

_USER = "identity_user"  # (user id, name) of the signed-in user (local mode)
_SEEN = "identity_seen"  # time of the session's last run while signed in
_NOTICE = "identity_notice"  # (kind, text) to show at the next run: timed out, wrong password
_NAME = "identity_name"
_PASSWORD = "identity_password"


@dataclass(frozen=True)
class Identity:
    """The session's user: ``user_id`` None for a signed-out visitor.

    Attributes
    ----------
    user_id
        The store's id of the user (pass it to ``storage.Store`` calls), or None.
    name
        The user's name ('' when signed out).
    mode
        How users sign in: ``"none"`` (a laptop: the one local user), ``"local"`` or ``"oidc"``.
    """

    user_id: str | None
    name: str
    mode: Mode

    @property
    def signed_in(self) -> bool:
        """Return whether a user is known (always True in mode ``"none"``)."""
        return self.user_id is not None


class Throttle:
    """Failed sign-ins per name, process-wide: too many refuse the name for a while.

    Parameters
    ----------
    failures
        Failures (within :data:`FAILURE_MEMORY_SECONDS`) that lock the name.
    seconds
        How long a locked name is refused.
    """

    def __init__(self, failures: int = MAX_FAILURES, seconds: float = LOCKOUT_SECONDS) -> None:
        self.failures, self.seconds = failures, seconds
        self._lock = threading.Lock()
        self._failed: dict[str, list[float]] = {}
        self._locked: dict[str, float] = {}

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().casefold()

    def wait(self, name: str, now: float) -> float:
        """Return the seconds ``name`` must still wait before another try (0: may try now)."""
        with self._lock:
            until = self._locked.get(self._key(name), 0.0)
        return max(0.0, until - now)

    def failed(self, name: str, now: float) -> float:
        """Record a failed sign-in for ``name``; return the seconds it must now wait (or 0)."""
        key = self._key(name)
        with self._lock:
            recent = [t for t in self._failed.get(key, []) if now - t < FAILURE_MEMORY_SECONDS]
            recent.append(now)
            if len(recent) >= self.failures:
                self._locked[key] = now + self.seconds
                recent = []
            self._failed[key] = recent
            if len(self._failed) > 10_000:  # forget stale names: bounded memory
                self._forget(now)
            return max(0.0, self._locked.get(key, 0.0) - now)

    def succeeded(self, name: str) -> None:
        """Forget the failures of ``name`` (signed in)."""
        key = self._key(name)
        with self._lock:
            self._failed.pop(key, None)
            self._locked.pop(key, None)

    def _forget(self, now: float) -> None:
        for key, times in list(self._failed.items()):
            if not times or now - times[-1] >= FAILURE_MEMORY_SECONDS:
                del self._failed[key]
        for key, until in list(self._locked.items()):
            if until <= now:
                del self._locked[key]


#: The server process's record of failed local sign-ins.
THROTTLE = Throttle()
#: OIDC: user id -> time of their last run in any session of this process.
_OIDC_SEEN: dict[str, float] = {}


def session_seconds() -> float:
    """Return the session timeout: ``BORDER_MAP_SESSION_MINUTES`` (default 60) in seconds.

    A value that is not a positive number counts as the default.
    """
    text = os.environ.get(SESSION_MINUTES_ENV, "").strip()
    try:
        minutes = float(text) if text else DEFAULT_SESSION_MINUTES
    except ValueError:
        minutes = DEFAULT_SESSION_MINUTES
    if not minutes > 0 or minutes == float("inf"):
        minutes = DEFAULT_SESSION_MINUTES
    return minutes * 60


def server_address() -> str:
    """Return Streamlit's ``server.address`` ('' when unset: every interface)."""
    return str(config.get_option("server.address") or "")


def _request_headers() -> Mapping[str, str]:
    try:
        return {k.lower(): v for k, v in st.context.headers.items()}
    except Exception:  # no session (AppTest, bare mode)
        return {}


def behind_proxy() -> bool:
    """Return whether this session's request came through a reverse proxy (forwarding headers)."""
    headers = _request_headers()
    return any(name in headers for name in PROXY_HEADERS)


def sign_in_mode(store: Store) -> Mode:
    """Return how users sign in: ``"oidc"``, ``"local"`` or ``"none"`` (see the module)."""
    if oidc_configured():
        return "oidc"
    if store.has_local_accounts():
        return "local"
    if not is_loopback(server_address()) or behind_proxy():
        return "local"  # reachable by others and no account: no one is let in
    return "none"


def identify(store: Store, *, where: Any = None) -> Identity:
    """Return the session's user, drawing sign-in or sign-out in ``where`` (default the sidebar).

    Signed out, ``Identity.user_id`` is None: the app shows public links only (and
    :func:`sign_in_page` otherwise). Call it once per run, before anything that needs the user.
    """
    where = st.sidebar if where is None else where
    mode = sign_in_mode(store)
    if mode == "none":
        from webapp.app_store import LOCAL_USER

        user = store.ensure_user(LOCAL_USER)
        return Identity(user.id, user.name, "none")
    _show_notice(where)
    if mode == "oidc":
        return _identify_oidc(store, where)
    return _identify_local(store, where)


def _show_notice(where: Any) -> None:
    notice = st.session_state.pop(_NOTICE, None)
    if notice is None:
        return
    kind, text = notice
    (where.error if kind == "error" else where.warning)(text, icon="🔒")


def _timed_out_text() -> str:
    minutes = f"{session_seconds() / 60:g}"
    return _(
        "You were signed out after {minutes} minutes without activity. Sign in again to go on."
    ).format(minutes=minutes)


def _end_session(notice: tuple[str, str] | None = None) -> None:
    """Forget everything of the session (signed out), keeping only ``notice`` for the next run."""
    st.session_state.clear()
    if notice is not None:
        st.session_state[_NOTICE] = notice


# --- local accounts ----------------------------------------------------------------------------


def _identify_local(store: Store, where: Any) -> Identity:
    state = st.session_state
    signed = state.get(_USER)
    now = clock()
    if signed is not None:
        user_id, name = signed
        if now - float(state.get(_SEEN, now)) > session_seconds():
            _end_session(("warning", _timed_out_text()))
            st.rerun()
        if not store.has_password(user_id):  # disabled (or password taken) meanwhile
            _end_session(("warning", _("You were signed out: your account was disabled.")))
            st.rerun()
        state[_SEEN] = now
        _signed_in_as(where, name, _sign_out_local)
        return Identity(user_id, name, "local")
    with where.form("identity_sign_in", enter_to_submit=True):
        st.markdown("**" + _("Sign in") + "**")
        st.text_input(_("Name"), key=_NAME, autocomplete="username")
        st.text_input(
            _("Password"), key=_PASSWORD, type="password", autocomplete="current-password"
        )
        st.form_submit_button(_("Sign in"), on_click=_attempt_sign_in, args=(store,))
    if not store.has_local_accounts():
        where.caption(
            _("No one can sign in yet: whoever runs the server adds accounts with {command}.")
            .format(command="`border-map user add NAME`")
        )  # fmt: skip
    return Identity(None, "", "local")


def _attempt_sign_in(store: Store) -> None:
    """Check the sign-in form's name and password (its callback), or say why not."""
    state = st.session_state
    name = str(state.get(_NAME) or "").strip()
    password = str(state.get(_PASSWORD) or "")
    state[_PASSWORD] = ""  # not kept in the session
    now = clock()
    wait = THROTTLE.wait(name, now)
    if wait <= 0:
        user = store.verify_password(name, password) if name and password else None
        if user is not None:
            THROTTLE.succeeded(name)
            state[_USER] = (user.id, user.name)
            state[_SEEN] = now
            state[_NAME] = ""
            return
        wait = THROTTLE.failed(name, now)
        if wait <= 0:
            state[_NOTICE] = ("error", _("Wrong name or password."))
            return
    state[_NOTICE] = (
        "error",
        _("Too many failed sign-ins for this name. Wait {seconds} seconds, then try again.")
        .format(seconds=int(wait + 0.999)),
    )  # fmt: skip


def _sign_out_local() -> None:
    _end_session()


def _signed_in_as(where: Any, name: str, on_sign_out: Callable[[], None]) -> None:
    where.caption(_("Signed in as {name}").format(name=plain(name)))
    where.button(_("Sign out"), key="identity_sign_out", on_click=on_sign_out)


# --- OIDC (Streamlit's st.login) ---------------------------------------------------------------


def _oidc_claims() -> dict[str, Any] | None:
    """Return the signed-in user's identity claims (``st.user``), or None when signed out."""
    if not st.user.is_logged_in:
        return None
    return dict(st.user.to_dict())


def oidc_user_name(claims: Mapping[str, Any]) -> str | None:
    """Return the store user name for OIDC ``claims``: the e-mail, else ``oidc:<sub>``.

    An e-mail the identity provider marks unverified (``email_verified`` false) is not used.
    """
    email = str(claims.get("email") or "").strip()
    if email and claims.get("email_verified") not in (False, "false"):
        return email
    sub = str(claims.get("sub") or "").strip()
    return f"oidc:{sub}" if sub else None


def _identify_oidc(store: Store, where: Any) -> Identity:
    claims = _oidc_claims()
    name = None if claims is None else oidc_user_name(claims)
    if claims is None or name is None:
        if claims is not None:  # signed in, but with no usable claim: say so, offer sign-out
            where.error(_("Your identity provider gave no e-mail address or subject."))
            where.button(_("Sign out"), key="identity_sign_out", on_click=_oidc_logout)
            return Identity(None, "", "oidc")
        where.button(_("Sign in"), key="identity_sign_in", on_click=_oidc_login)
        return Identity(None, "", "oidc")
    user = store.ensure_user(name)
    now = clock()
    last = _OIDC_SEEN.get(user.id, st.session_state.get(_SEEN))
    issued = claims.get("iat")
    if last is None and isinstance(issued, int | float):
        last = float(issued)  # a new session: the time of the sign-in
    if last is not None and now - float(last) > session_seconds():
        _OIDC_SEEN.pop(user.id, None)
        _oidc_logout()
        return Identity(None, "", "oidc")
    _OIDC_SEEN[user.id] = now
    st.session_state[_SEEN] = now
    _signed_in_as(where, name, _oidc_logout)
    return Identity(user.id, name, "oidc")


def _oidc_login() -> None:
    settings = oidc_settings() or {}
    provider = oidc_provider(settings)
    if provider is None:
        st.login()
    else:
        st.login(provider)


def _oidc_logout() -> None:
    st.session_state.clear()
    st.logout()


# --- the page for a signed-out visitor -----------------------------------------------------------


def sign_in_page(identity: Identity) -> None:
    """Draw the main area's prompt for a signed-out visitor who opened no public link."""
    st.title(_("Border events map"))
    if identity.mode == "oidc":
        st.info(_("Sign in to see this team's datasets."), icon="🔒")
        st.button(_("Sign in"), key="identity_sign_in_page", on_click=_oidc_login)
    else:
        st.info(
            _("Sign in to see this team's datasets: enter your name and password in the sidebar."),
            icon="🔒",
        )
    st.caption(
        _(
            "The records name people who were detained and returned, and the sources who "
            "reported them; only signed-in members of the team see them. A link someone shared "
            "with you opens after you sign in, or at once if its owner made it public."
        )
    )
