"""The keys of a presentation clicker in presentation mode: a tiny Streamlit component.

Its page (``webapp/presenter_keys/index.html``, static HTML and JavaScript speaking Streamlit's
component protocol by hand, no build step) listens for keys on the app's page: Page Down and
Page Up become the component's value (``{"key": "PageDown", "n": <unique>}``), handed to
``on_key`` before the rerun; ←/→ step the map's time slider and the space bar plays or pauses
it, in the map's frame (``window.bemPresenter``), without a rerun. Keys typed into a field are
left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

#: The component's key (its value in the session state).
KEYS_KEY = "presenter_keys"
#: The keys that step slides, and their step.
SLIDE_STEPS = {"PageDown": 1, "PageUp": -1}

_component = components.declare_component(
    "presenter_keys", path=str(Path(__file__).with_name("presenter_keys"))
)


def _pressed(on_key: Callable[[int], None]) -> None:
    value = st.session_state.get(KEYS_KEY)
    if isinstance(value, dict) and value.get("key") in SLIDE_STEPS:
        on_key(SLIDE_STEPS[str(value["key"])])


def presenter_keys(on_key: Callable[[int], None]) -> None:
    """Listen for the presenter's keys on this page (draw it in presentation mode only).

    Parameters
    ----------
    on_key
        Called with +1 (Page Down) or -1 (Page Up) before the rerun the key starts.
    """
    _component(key=KEYS_KEY, default=None, on_change=partial(_pressed, on_key))
