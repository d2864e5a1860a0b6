"""The app's error boundary: a failure shows a short message and a reference, never a traceback.

An unexpected exception while a page is drawn is logged on the server (logger
``border_map.app``, full traceback) under a reference of eight hex digits; the user sees only
``FAILURE_MESSAGE`` with that reference, which ties what they report to the log entry.

Two entry points share ``report_failure``:

- ``run_guarded(body)`` runs the page's script body (``app.py``'s ``main``). Streamlit's
  control-flow exceptions (``st.stop``, ``st.rerun``: ``StopException``, ``RerunException``)
  pass through untouched.
- ``report_script_error`` is Streamlit's ``on_script_error`` handler: it handles what fails
  outside the body's ``try`` (a fragment such as the map, widget callbacks) and suppresses
  Streamlit's own exception box. ``run_guarded`` installs it for the session's script runs;
  ``app.py`` passes it to ``st.App`` too.

``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` stays as the last line of
defence: whatever still reaches Streamlit is shown without type, message or traceback.

The message is in the page's language: the run's (``app.py`` sets it first), or, for a
failure outside the page's run (a callback), the language picker's.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner import RerunException, StopException, get_script_run_ctx

from i18n import LANGUAGES, N_, _, current_language, language

LOGGER = logging.getLogger("border_map.app")
#: What the user sees (translated where shown); ``{reference}`` is the log entry's reference.
FAILURE_MESSAGE = N_(
    "Something went wrong while drawing this page, and it could not be finished. "
    "The problem has been logged with reference **{reference}**; please quote it when you "
    "report it."
)


def _page_language() -> str:
    """Return the language picker's value (the run's language when there is none)."""
    try:
        chosen = st.session_state.get("lang")
    except Exception:  # noqa: BLE001 (no session: the error must still be reported)
        chosen = None
    return chosen if chosen in LANGUAGES else current_language()


def new_reference() -> str:
    """Return a fresh reference for one failure: eight lower-case hex digits."""
    return secrets.token_hex(4)


def report_failure(exc: BaseException) -> str:
    """Log ``exc`` with its traceback under a new reference; show the short message.

    Parameters
    ----------
    exc
        The unexpected exception.

    Returns
    -------
    str
        The reference shown to the user and written to the log.
    """
    reference = new_reference()
    LOGGER.error("Unexpected error, reference %s", reference, exc_info=exc)
    with language(_page_language()):
        st.error(_(FAILURE_MESSAGE).format(reference=reference), icon="⚠️")
    return reference


def report_script_error(exc: Exception) -> bool:
    """Handle an exception Streamlit caught (``on_script_error``): report it, hide the details.

    Parameters
    ----------
    exc
        The exception raised by a fragment, a widget callback or the script.

    Returns
    -------
    bool
        True: Streamlit shows nothing more (no exception box).
    """
    report_failure(exc)
    return True


def run_guarded(body: Callable[[], None]) -> None:
    """Run the page's script body under the error boundary.

    Parameters
    ----------
    body
        Draws the page. ``st.stop`` and ``st.rerun`` pass through; any other exception is
        logged with a reference and replaced by ``FAILURE_MESSAGE``.
    """
    ctx = get_script_run_ctx()
    if ctx is not None:  # fragments and callbacks of this session report the same way
        ctx.on_script_error = report_script_error
    try:
        body()
    except (StopException, RerunException):
        raise
    except FragmentHandledException:
        return  # a fragment failed: report_script_error has logged and shown it
    except Exception as exc:
        report_failure(exc)
