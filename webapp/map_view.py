"""The map in the app: ``build_map`` rendered through ``st_folium`` with local assets and font.

The map sits in a Streamlit fragment: panning or zooming reruns only the fragment (to record
the extent shown, for "export the map as shown on screen"), never the whole page. Such a
rerun does not pass through ``app.py``'s ``main``, so the map sets the view's language itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit_folium import st_folium

from i18n import set_language
from webapp.export_panel import Bounds, normalise_bounds
from webapp.static_assets import publish_font, served_assets_url

if TYPE_CHECKING:
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
#: The zoom and centre the map last showed, and the view a map was last built to open at
#: (with what it showed): a new map (another language, filter or mode) opens where the user
#: left the last one, while panning keeps the same map (no rebuild).
VIEW_KEY = "map_zoom_centre"
OPENING_KEY = "map_opening"


@st.fragment
def render_map(data: ViewData, regions, *, present: bool = False) -> None:
    """Draw the view's map (key ``map``) and keep the extent shown in the session state.

    Parameters
    ----------
    data
        The view's events and summary.
    regions
        ``geo.reference.Reference``.
    present
        Presentation mode: the map fills the window's height below the line of figures.
    """
    from render.webmap.assets import localise
    from render.webmap.build import build_map
    from render.webmap.fonts import add_cjk_font

    set_language(data.view.lang)  # a rerun of the fragment alone starts without it
    fmap = build_map(data, regions, opening=_opening(data))
    localise(fmap, served_assets_url())
    add_cjk_font(fmap, data.view.lang, publish=publish_font)
    st.html(PRESENT_MAP_CSS if present else MAP_CSS)
    state = st_folium(
        fmap,
        key="map",
        height=PRESENTATION_HEIGHT if present else MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["bounds", "zoom", "center"],
    )
    # Before the browser reports its view, st_folium returns bounds of None values.
    # The export panel reads it when "Make the file" reruns the page.
    if state and normalise_bounds(state.get("bounds")) is not None:
        st.session_state[BOUNDS_KEY] = state["bounds"]
        centre = state.get("center") or {}
        if state.get("zoom") is not None and {"lat", "lng"} <= set(centre):
            st.session_state[VIEW_KEY] = (centre["lat"], centre["lng"], int(state["zoom"]))


def _opening(data: ViewData) -> tuple[float, float, int] | None:
    """Return where the map opens: where the last map was left, when the map is a new one.

    A map is new when its view or its events differ from the last one built; the same map
    keeps the opening it was built with, so its page does not change while the user pans.
    """
    shown = (data.view, tuple(data.events["event_id"]))
    last_shown, opening = st.session_state.get(OPENING_KEY, (None, None))
    if shown != last_shown:
        opening = st.session_state.get(VIEW_KEY)
        st.session_state[OPENING_KEY] = (shown, opening)
    return opening


def shown_bounds() -> Bounds:
    """Return the extent the map last showed (``st_folium``'s ``bounds``), or None."""
    return st.session_state.get(BOUNDS_KEY)
