"""The map first: on a session's first page, the timeline and the events table follow the map.

Streamlit shows a run's elements together once the code of every kind of element in it has
loaded in the browser; the timeline's chart (Vega) and the events table's grid are the
largest, and drawn in the same run they delay the map by about a second on a slow machine.
So on the first run of a session in a browser they wait (:func:`waits_for_map`), and the
map's first report (``webapp.map_view``) reruns them (:func:`first_report_parts`): they are
drawn the moment the map is on screen. Any later run of the page draws them whatever the map
did, and so does a run with no browser (``st.context.url`` unknown, as in ``AppTest``),
where no map will report.
"""

from __future__ import annotations

import streamlit as st

from webapp.links import TABLE_PART, TIMELINE_PART, page_runs

_MAP_REPORTED = "_map_reported"  # the map has reported what it shows
_WAITED = "_parts_waited"  # parts were held back for the map's first report


def waits_for_map() -> bool:
    """Return True while the parts below the map wait for it: the session's first page only."""
    waits = (
        page_runs() <= 1
        and not st.session_state.get(_MAP_REPORTED)
        and st.context.url is not None
    )
    if waits:
        st.session_state[_WAITED] = True
    return waits


def first_report_parts() -> list[str]:
    """Record the map's report; return the parts that waited for it, if any did."""
    st.session_state[_MAP_REPORTED] = True
    return [TIMELINE_PART, TABLE_PART] if st.session_state.pop(_WAITED, False) else []
