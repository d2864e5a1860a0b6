"""Links to the view: where the map is left, the address bar, and the absolute link to copy.

The view's filters are widgets (``webapp.sidebar``); where the map is left is not. The time
slider's date (``at``), the zoom and the centre live in the session state: a link sets them
(:func:`apply_link`), the map's reports and the timeline's clicks change them
(:func:`set_live`), and :func:`live_view` lays them over a view. That view is "the current
view": what a link, a story slide or an export of this moment should hold.

:func:`write_query` keeps the address bar in step, from a full run or from a callback, and
remembers the last few query strings it wrote: :func:`is_link` tells a link to read (a first
run, an address changed outside the app) from one of the app's own addresses, which a rerun
the browser asked for before it received the newest one may still carry.
:func:`view_url` is the absolute link built from the address the browser used
(``st.context.url``); the export panel shows it (:func:`render_view_link`) and the report
pack prints it. The map, the timeline and the link are fragments with keys
(:data:`MAP_PART`, :data:`TIMELINE_PART`, :data:`LINK_PART`): a callback reruns only those
that show what changed (:func:`rerun_parts`), when the page shows them (:func:`drawn`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.view import ViewParams, query_link
from i18n import _, set_language
from render.markup import safe_url
from webapp.language import visitor_language

AT_KEY = "map_at"
ZOOM_KEY = "map_zoom"
CENTRE_KEY = "map_centre"
#: The query strings the app wrote lately, newest last: another one in the address bar is a link.
#: The link's parameters of the open story (``webapp.stories``), kept beside the view's.
STORY_PARAM = "story"
SLIDE_PARAM = "slide"
STORY_PARAMS = (STORY_PARAM, SLIDE_PARAM)
APPLIED_KEY = "_view_query_applied"
#: How many written query strings count as the app's own. A rerun the browser asked for just
#: before it received the newest address (a map report writes it from a callback) carries
#: an older one; that is no link to apply.
WRITTEN_KEPT = 8
#: The keys of the fragments a change of the live view reruns.
MAP_PART, TIMELINE_PART, LINK_PART = "bem_map_part", "bem_timeline_part", "bem_link_part"
#: The events table's fragment (it waits for the map on a first page: ``webapp.page_order``).
TABLE_PART = "bem_table_part"
_DRAWN = "_parts_drawn"  # the parts the page's last run drew (drawn, rerun_parts)
_RUNS = "_page_runs"  # runs of the whole page in this session (start_page_run)
_UNSET = object()
_LIVE_KEYS = (AT_KEY, ZOOM_KEY, CENTRE_KEY, "mode")  # what live_view lays over a view


def live_view(view: ViewParams) -> ViewParams:
    """Return ``view`` with the map's live slider date, mode, zoom and centre.

    The one function for "the current view, as the map shows it now": links, story slides
    and exports call it. Outside a session (a bare script, a test) the view is returned as it is.
    """
    try:  # each value by its key ("mode": the radio's value now)
        state = {key: st.session_state[key] for key in _LIVE_KEYS if key in st.session_state}
    except Exception:  # noqa: BLE001 (no session: nothing is live)
        return view
    return view.with_changes(
        at=state.get(AT_KEY, view.at),
        zoom=state.get(ZOOM_KEY, view.zoom),
        centre=state.get(CENTRE_KEY, view.centre),
        mode=state.get("mode", view.mode),
    )


def apply_link(view: ViewParams) -> None:
    """Make the link's slider date, zoom and centre the live ones (None: the map's defaults)."""
    set_live(at=view.at, zoom=view.zoom, centre=view.centre)


def set_live(at: Any = _UNSET, zoom: Any = _UNSET, centre: Any = _UNSET) -> None:
    """Record where the map is: the slider's date, the zoom, the centre (each when given).

    Parameters
    ----------
    at
        ``datetime.date`` or None (the slider's last step).
    zoom
        Leaflet's zoom level, or None.
    centre
        ``(lat, lon)`` or None.
    """
    for key, value in ((AT_KEY, at), (ZOOM_KEY, zoom), (CENTRE_KEY, centre)):
        if value is not _UNSET:
            st.session_state[key] = value


def live_at() -> dt.date | None:
    """Return the slider's live date (None: its last step)."""
    return st.session_state.get(AT_KEY)


def written_query(view: ViewParams) -> dict[str, str]:
    """Return the query string of ``view``; it names English when the browser's is another.

    ``ViewParams.to_query`` leaves the default language out; a link without ``lang`` opens
    in the browser's language, so English chosen over it is written (``lang=en``).
    """
    written = view.to_query()
    if "lang" not in written and visitor_language() != view.lang:
        written["lang"] = view.lang
    return written


def write_query(view: ViewParams) -> None:
    """Put the query string of ``view`` in the address bar (when it differs) and note it.

    The open story's parameters (:data:`STORY_PARAMS`) stay beside the view's.
    """
    shown = st.query_params.to_dict()
    written = written_query(view) | {k: v for k, v in shown.items() if k in STORY_PARAMS}
    if written != shown:
        st.query_params.from_dict(written)
    kept = [q for q in st.session_state.get(APPLIED_KEY, []) if q != written]
    st.session_state[APPLIED_KEY] = [*kept, written][-WRITTEN_KEPT:]


def is_link() -> bool:
    """Return whether the address bar holds a link to read.

    It does on a session's first run, and when it holds a query string the app did not write
    lately (one changed outside the app).
    """
    return st.query_params.to_dict() not in st.session_state.get(APPLIED_KEY, [])


def page_address() -> str | None:
    """Return the address the browser used for the page, without its query (None: unknown)."""
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 (no session context)
        return None
    return safe_url(url) if url else None  # http(s) with a host, or none


def view_url(view: ViewParams, base_url: str | None = None) -> str:
    """Return the link that reopens ``view``: absolute from the page's address when known.

    Parameters
    ----------
    view
        The view (its :func:`live_view`, for where the map is now).
    base_url
        The app's address; default: the one the browser used (:func:`page_address`).
        Without either, the query string alone (a relative link).
    """
    return query_link(written_query(view), base_url or page_address() or "")


def start_page_run() -> None:
    """Count a run of the whole page and forget which parts it drew: called as it starts."""
    st.session_state[_RUNS] = page_runs() + 1
    st.session_state[_DRAWN] = set()


def page_runs() -> int:
    """Return how many runs of the whole page this session has started."""
    return int(st.session_state.get(_RUNS, 0))


def drawn(part: str, lang: str) -> None:
    """Begin a fragment's run: ``part`` (its key) is on the page, drawn in the page's ``lang``.

    :func:`rerun_parts` may then rerun it. A fragment's rerun alone does not run the page's
    script, where the language is set (``app.main``), so every fragment sets it here.
    """
    set_language(lang)
    st.session_state.setdefault(_DRAWN, set()).add(part)


def rerun_parts(*parts: str) -> None:
    """From a callback, rerun only the named fragments that the page shows.

    Nothing when the callback opens a run of the whole page. A part not drawn in the page's
    last run (the link, while the Export tab is closed) is left out; with none left, the
    interaction's own rerun (the widget's fragment) is enough.
    """
    ctx = get_script_run_ctx()
    if ctx is not None and not ctx.fragment_ids_this_run:
        # The callback opens a run of the whole page, which draws these parts itself. A keyed
        # rerun would replace that run with one of the parts alone (Streamlit 1.67 lets it
        # preempt): what the same interaction changed elsewhere (the sidebar's dates, say)
        # would then stay undrawn, the figures of the old view on screen.
        return
    shown = [part for part in parts if part in st.session_state.get(_DRAWN, ())]
    if not shown:
        return
    try:
        st.rerun(shown)
    except StreamlitAPIException:  # not registered in this session after all
        st.rerun()


@st.fragment(key=LINK_PART)
def render_view_link(view: ViewParams) -> None:
    """Show the absolute link to the current view, with a copy button (key ``view_link``).

    A fragment: the map's reports rerun it, so the link follows the slider, zoom and centre.
    """
    drawn(LINK_PART, view.lang)
    with st.container(key="view_link"):
        st.caption(_("Link to this view (the button at its right copies it):"))
        st.code(view_url(live_view(view)), language=None, wrap_lines=True)
