"""Widget values kept through runs that do not draw the widget, or that relabel its options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st


def set_values(values: Mapping[str, Any]) -> None:
    """Set widgets' values (session-state key -> value), only those that differ.

    A value set from Python is sent to the browser, which then shows it instead of its own:
    set again on a run that the user's next change overtakes (a link applied again, a range
    clamped to what it already was), it would undo that change, or the browser drop it.
    """
    for key, value in values.items():
        if key not in st.session_state or st.session_state[key] != value:
            st.session_state[key] = value


def keep_values(keys: Iterable[str]) -> None:
    """Write the widgets' values back as values set by the app, so Streamlit keeps them.

    Streamlit forgets the value of a widget that a run does not draw (a closed panel or tab),
    and the browser sends back a relabelled option's old label; a value written back before
    the widget is drawn survives both. Keys without a value are left alone.
    """
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def keep_fields(part: str, keys: Iterable[str], shown: bool) -> None:
    """Keep the fields ``keys`` of a part drawn only while open (a tab, an expander).

    While ``part`` is closed their values are kept (:func:`keep_values`); on the run that
    opens it again they are written back once more before the fields are drawn, so the
    browser, which dropped the closed fields, is sent their values instead of the defaults.
    """
    flag = f"_shown_{part}"
    if not shown or not st.session_state.get(flag):
        keep_values(keys)
    st.session_state[flag] = shown
