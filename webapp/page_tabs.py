"""The tabs under the timeline: events, cross-checks and export, each drawn only while open.

The tabs are stateful (``on_change="rerun"``): a run draws the open tab's content alone, so
the page's first run sends no export panel or cross-checks, and the browser loads their
code when they are opened. The open tab is kept by its untranslated name, so it stays open
when the language changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from i18n import N_, _
from webapp.widget_state import keep_fields

EVENTS = N_("Events")
CROSS_CHECKS = N_("Cross-checks")
EXPORT = N_("Export")
TABS = (EVENTS, CROSS_CHECKS, EXPORT)
#: The tabs widget's key (its value: the open tab's label in the page's language).
TABS_KEY = "page_tabs"
_OPEN = "_page_tab_open"  # the open tab's untranslated name


def render_tabs(
    draw: dict[str, Callable[[], None]], kept: dict[str, Iterable[str]] | None = None
) -> None:
    """Draw the tabs and, in the open one, its content.

    Parameters
    ----------
    draw
        Tab name (:data:`EVENTS`, :data:`CROSS_CHECKS`, :data:`EXPORT`) -> what draws its
        content.
    kept
        Tab name -> keys of its fields, whose values are kept while the tab is closed.
    """
    labels = [_(name) for name in TABS]
    if st.session_state.get(TABS_KEY) not in (None, *labels):  # the language changed
        st.session_state[TABS_KEY] = _(st.session_state.get(_OPEN, EVENTS))
    tabs = st.tabs(labels, key=TABS_KEY, on_change="rerun")
    for name, tab in zip(TABS, tabs, strict=True):
        keep_fields(f"tab_{name}", (kept or {}).get(name, ()), bool(tab.open))
        if tab.open:
            st.session_state[_OPEN] = name
            with tab:
                draw[name]()
