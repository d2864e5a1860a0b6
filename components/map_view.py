"""The map in the app: ``build_map`` rendered through ``st_folium`` with local assets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from streamlit_folium import st_folium

from components.static_assets import served_assets_url

if TYPE_CHECKING:
    from geo.pipeline import ViewData

MAP_HEIGHT = 560
PRESENTATION_HEIGHT = 740  # with the figures above, fits a 1000-pixel-high window


def render_map(data: ViewData, regions, *, present: bool = False) -> None:
    """Draw the view's map (key ``map``); it sends nothing back, so panning never reruns.

    Parameters
    ----------
    data
        The view's events and summary.
    regions
        ``geo.regions.Regions``.
    present
        Presentation mode: the map fills the screen height.
    """
    from components.assets import localise
    from components.map_builder import build_map

    fmap = build_map(data, regions)
    localise(fmap, served_assets_url())
    st_folium(
        fmap,
        key="map",
        height=PRESENTATION_HEIGHT if present else MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
    )
