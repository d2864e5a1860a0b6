"""The map in the app: ``build_map`` rendered through ``st_folium`` with local assets and font.

The map is a fragment with a key (``webapp.links.MAP_PART``); a rerun of it alone does not pass
through ``app.py``'s ``main``, so the map sets the view's language itself.

What the map reports reaches the server through one callback, :func:`_reported`: on every
``moveend`` streamlit-folium sends the extent, zoom and centre, and ``selected_tags``, which the
map marks ``"moved"`` once the user moved it (``render.webmap.view_report``: the opening fit is
not recorded) and the time slider sets ``"at"`` and ``"mode"`` in when it is released, paused
or switched (``render.webmap.time_slider``; never while playing). The callback records them
(``webapp.links.set_live``, the address bar) and reruns only what shows them: the link (after
a pan or zoom), the timeline and the link (after the slider moved), the whole page (after the
mode changed, so the sidebar shows it). The map itself is not rerun for its own report.

A map is built again only when what it should show differs from what it shows: another view,
other events, or a slider date or mode set elsewhere (a link, a click on the timeline). Each
build gets a new component key, so the browser draws the new map even when its page is the same
as an earlier one's. A new map opens where the user left the last one (the live zoom and centre).
Otherwise a run does not build it again: it hands ``st_folium`` a copy of the map it built
(``st_folium`` changes a map it renders), the same page, which Streamlit does not send again
(the browser holds it under its hash) and the browser does not redraw.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit_folium import st_folium

from geo.view import SLIDER_MODES, ViewParams
from webapp.export_panel import Bounds, normalise_bounds
from webapp.links import (
    LINK_PART,
    MAP_PART,
    TIMELINE_PART,
    drawn,
    live_view,
    rerun_parts,
    set_live,
    write_query,
)
from webapp.page_order import first_report_parts
from webapp.static_assets import publish_data, publish_font, served_assets_url

if TYPE_CHECKING:
    import folium

    from geo.pipeline import ViewData

MAP_HEIGHT = 620
PRESENTATION_HEIGHT = 740  # the frame's height until the CSS below sizes it to the window
#: The map's frame on the page: never taller than the window (so that, scrolled into view,
#: its scale bar and credits show); when presenting, the window's height less what is above
#: it (Streamlit's header and the line of figures, ``webapp.sidebar.apply_presentation_mode``).
#: The map's own page fits its map above its control bar (``render.webmap.layout``).
_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_CSS = f"<style>{_FRAME} {{ max-height: calc(100vh - 1rem); }}</style>"
PRESENT_MAP_CSS = (
    f"<style>{_FRAME} {{ height: calc(100vh - var(--bem-above-map)) !important; "
    "max-height: none; }</style>"
)
BOUNDS_KEY = "map_bounds"
#: What the map on screen shows (:class:`_Shown`).
SHOWN_KEY = "map_shown"


@dataclasses.dataclass
class _Shown:
    """The map on screen: what it shows, the view it was built with, its number, its map."""

    shows: tuple
    built: ViewParams
    number: int
    page: folium.Map | None = None


@st.fragment(key=MAP_PART)
def render_map(data: ViewData, regions, *, present: bool = False) -> None:
    """Draw the view's map (component key ``map-<n>``) at the live zoom, centre and slider date.

    Parameters
    ----------
    data
        The view's events and summary.
    regions
        ``geo.reference.Reference``.
    present
        Presentation mode: the map fills the window's height below the line of figures.
    """
    from render.webmap.build import build_map
    from render.webmap.published import app_page

    drawn(MAP_PART, data.view.lang)
    shown = _shown(data)
    if shown.page is None:
        built = shown.built
        opening = None
        if built.zoom is not None or built.centre is not None:
            lat, lon = built.centre or (None, None)
            opening = (lat, lon, built.zoom)
        shown.page = build_map(dataclasses.replace(data, view=built), regions, opening=opening)
        app_page(shown.page, data.view.lang, assets_url=served_assets_url(),
                 publish_font=publish_font, publish_data=publish_data)  # fmt: skip
    st.html(PRESENT_MAP_CSS if present else MAP_CSS)
    st_folium(
        copy.deepcopy(shown.page),
        key=f"map-{shown.number}",
        height=PRESENTATION_HEIGHT if present else MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["bounds", "zoom", "center", "selected_tags"],
        on_change=partial(_reported, f"map-{shown.number}", data.view),
    )


def _shows(view: ViewParams, data: ViewData) -> tuple:
    """Return what a map of ``view`` shows: all of the view but where it is looked at."""
    return (view.with_changes(zoom=None, centre=None), tuple(data.events["event_id"]))


def _shown(data: ViewData) -> _Shown:
    """Return the map on screen, or a new one when the live view asks for something else."""
    view = live_view(data.view)
    shows = _shows(view, data)
    shown = st.session_state.get(SHOWN_KEY)
    if shown is None or shown.shows != shows:
        if shown is not None:  # st_folium keeps its last value under its key: the old map's
            st.session_state.pop(f"map-{shown.number}", None)
        shown = _Shown(shows, view, shown.number + 1 if shown else 0)
        st.session_state[SHOWN_KEY] = shown
    return shown


def _reported(key: str, view: ViewParams) -> None:
    """Record what the map reported (``st_folium``'s value under ``key``); rerun what shows it.

    ``view``: the view the map was drawn for (its filters), for the address bar.
    """
    state: dict[str, Any] = st.session_state.get(key) or {}
    shown: _Shown | None = st.session_state.get(SHOWN_KEY)
    # A map replaced meanwhile (a late report of it) no longer says where the map is.
    if shown is None or key != f"map-{shown.number}":
        return
    # Before the browser reports its view, st_folium returns bounds of None values.
    # The export panel reads it when "Make the file" reruns the page.
    if normalise_bounds(state.get("bounds")) is None:
        return
    st.session_state[BOUNDS_KEY] = state["bounds"]
    parts = [LINK_PART, *first_report_parts()]
    tags = state.get("selected_tags")
    centre = state.get("center") or {}
    moved = isinstance(tags, dict) and tags.get("moved") is True  # by the user, not the fit
    if moved and state.get("zoom") is not None and {"lat", "lng"} <= set(centre):
        set_live(zoom=int(state["zoom"]), centre=(float(centre["lat"]), float(centre["lng"])))
    slider = _slider(tags)
    mode_changed = False
    if slider is not None:
        at, mode = slider
        if at != live_view(view).at:
            set_live(at=at)
            parts.append(TIMELINE_PART)
        mode_changed = mode != st.session_state.get("mode")
        st.session_state["mode"] = mode
        # The map shows this date and mode now: no need to build it again for them.
        shown.shows = (shown.shows[0].with_changes(at=at, mode=mode), shown.shows[1])
    write_query(live_view(view))
    if mode_changed:
        st.rerun()  # the whole page: the sidebar shows the mode
    else:
        rerun_parts(*parts)


def _slider(tags: object) -> tuple[dt.date | None, str] | None:
    """Return the slider's ``(at, mode)`` from ``selected_tags``; None when it has not reported.

    ``selected_tags`` is ``[]`` until the map reports, then holds ``"moved": true`` once the
    user moved the map (``render.webmap.view_report``) and ``"at": "YYYY-MM-DD" | None``,
    ``"mode"`` once the slider was left somewhere (``render.webmap.time_slider``); anything
    else is ignored.
    """
    if not isinstance(tags, dict) or tags.get("mode") not in SLIDER_MODES:
        return None
    at = tags.get("at")
    if at is None:
        return None, str(tags["mode"])
    try:
        return dt.date.fromisoformat(str(at)), str(tags["mode"])
    except ValueError:
        return None


def shown_bounds() -> Bounds:
    """Return the extent the map last showed (``st_folium``'s ``bounds``), or None."""
    return st.session_state.get(BOUNDS_KEY)
