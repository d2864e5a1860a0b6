"""The map first: a session's first page stops after the map, the rest follows once it is drawn.

The timeline, tables and export panel below the map cost the browser more work than the map
itself (their Vega and data-grid code, their layout). Drawn in the same run, they delay the
map by seconds on a slow machine or projector laptop. So a session's first run draws the page
down to the map and stops; when the map reports its first view (``webapp.map_view``), the
whole page reruns with everything. If the map never reports (its script failed), a timer
draws the rest after :data:`FALLBACK_SECONDS`.
"""

from __future__ import annotations

import streamlit as st

#: Session-state key: False while the rest of the page waits for the map, True after.
REST_KEY = "page_rest_due"
_WATCH_KEY = "page_rest_watch"
#: Seconds after the first page when the rest is drawn even if the map has not reported.
FALLBACK_SECONDS = 8


def rest_waits_for_map() -> bool:
    """Return True on a session's first run (draw nothing below the map yet); False after.

    Call it right after the map is drawn; while it returns True it also starts the fallback
    timer.
    """
    if REST_KEY in st.session_state:
        st.session_state[REST_KEY] = True
        return False
    st.session_state[REST_KEY] = False
    _fallback()
    return True


def map_drawn() -> bool:
    """Note that the map has shown itself; rerun the whole page if its rest is still waiting.

    Returns whether it asked for that rerun (from a widget callback: after the callback).
    """
    if st.session_state.get(REST_KEY) is not False:
        return False
    st.session_state[REST_KEY] = True
    st.rerun()
    return True


@st.fragment(run_every=FALLBACK_SECONDS)
def _fallback() -> None:
    """On its first timed run, draw the rest of the page if the map has not done it."""
    if not st.session_state.get(_WATCH_KEY):
        st.session_state[_WATCH_KEY] = True  # the run inside the first page
        return
    map_drawn()
