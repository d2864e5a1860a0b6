"""Build the Folium map of one view: basemap, shading, sectors, events, labels, slider, legend.

The page loads only Leaflet (see ``render.webmap.assets``) and, if the view asks for them, web
tiles: ``build_map(..., inline_assets=True)`` embeds Leaflet and the CJK font subset so the page
needs no network.
"""

from __future__ import annotations

from typing import cast

import folium
import shapely
from branca.element import Figure

from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import language
from render.webmap import assets
from render.webmap.controls import ControlTexts, mark_language
from render.webmap.fonts import add_cjk_font
from render.webmap.layers.basemap import (
    COUNTRY_STYLE,
    OFFLINE_FILL,
    SEA,
    add_basemap,
    add_panes,
)
from render.webmap.layers.events import (
    EventsLayer,
    event_payload,
    event_rows,
    mapped_references,
)
from render.webmap.layers.places import add_places
from render.webmap.layers.provinces import add_province_shading
from render.webmap.layers.sectors import add_sectors
from render.webmap.layers.template import RawHtml
from render.webmap.layers.tiles import TileFallback, add_tiles
from render.webmap.layout import MapLayout
from render.webmap.legend import Legend, legend_html
from render.webmap.time_slider import TimeSlider, slider_steps
from render.webmap.view_report import ViewReport

#: Where a map opens: latitude, longitude, zoom (``build_map``'s ``opening``).
Opening = tuple[float | None, float | None, int | None]
#: Provinces the initial view frames: both Chinese border provinces and all of the DPRK.
FRAME_COUNTRIES = ("CHN", "PRK")


def _frame(regions: Reference) -> list[list[float]]:
    shapes = regions.display_provinces
    shapes = shapes[shapes["country_iso3"].isin(FRAME_COUNTRIES)]
    west, south, east, north = shapely.total_bounds(shapes.geometry.values)
    return [[float(south), float(west)], [float(north), float(east)]]


def build_map(
    data: ViewData,
    regions: Reference,
    *,
    inline_assets: bool = False,
    opening: Opening | None = None,
) -> folium.Map:
    """Return the map of a view.

    Parameters
    ----------
    data
        ``geo.pipeline.ViewData``: ``.view`` (basemap, lang, mode), ``.events`` (joined events
        of the view, claims included) and ``.summary``.
    regions
        ``geo.reference.Reference``.
    inline_assets
        Embed Leaflet's code and the CJK font subset (``render.webmap.fonts``) in the page
        (for exported HTML) instead of linking to them. Without it the page links to folium's
        CDN URL for Leaflet; the app replaces those links with locally served copies through
        ``render.webmap.assets.localise`` and adds the served font itself.
    opening
        ``(latitude, longitude, zoom)`` the map opens at; None fits the border and the events,
        clear of the map's controls (``render.webmap.layout``), and a None inside keeps the
        fitted centre (latitude, longitude) or zoom. The time slider opens at ``data.view.at``.

    Returns
    -------
    folium.Map
        Every text on it in the view's language (``data.view.lang``): its legend, slider,
        popups, tooltips, layer names and Leaflet's own button titles.
    """
    with language(data.view.lang):
        return _build(data, regions, inline_assets=inline_assets, opening=opening)


def _build(
    data: ViewData,
    regions: Reference,
    *,
    inline_assets: bool,
    opening: Opening | None,
) -> folium.Map:
    view = data.view
    bounds = _frame(regions)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    zoom = 6
    if opening is not None:
        lat, lon, linked_zoom = opening
        if lat is not None and lon is not None:
            centre = [lat, lon]
        zoom = zoom if linked_zoom is None else linked_zoom
    m = folium.Map(location=centre, zoom_start=zoom, tiles=None)  # scale: ControlTexts
    cast(Figure, m.get_root()).header.add_child(
        RawHtml(f"<style>.leaflet-container.leaflet-container {{ background: {SEA}; }}</style>"),
        name="bem_sea",
    )
    add_panes(m)
    tiles = add_tiles(m, view.basemap)
    countries, outlines = add_basemap(m, regions, tiles=tiles is not None)
    if tiles is not None:
        TileFallback(tiles, countries, COUNTRY_STYLE, OFFLINE_FILL).add_to(m)
    add_province_shading(m, regions, data.summary.by_province, view.lang, outlines)
    add_sectors(m, regions, view.lang)
    payload = event_payload(data.events, regions, view.lang)
    events = EventsLayer(payload).add_to(m)
    add_places(m, regions, view.lang)
    references = mapped_references(data.events)
    ViewReport().add_to(m)  # before the slider, which calls its map.bemTag
    TimeSlider(
        [events], slider_steps(references), view.mode, view.at, events=event_rows(references)
    ).add_to(m)
    present = set(references["event_type"].unique())
    types = [t for t in ("forced_return", "detention", "policy", "diplomatic") if t in present]
    outside = int(
        ((data.events["map_level"] == "outside") & (data.events["same_event_as"] == "")).sum()
    )
    Legend(legend_html(types, cells=payload["cells"], outside=outside)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    ControlTexts(view.lang).add_to(m)
    MapLayout(regions, payload["pts"]["features"], fit=opening is None).add_to(m)
    mark_language(m, view.lang)
    if inline_assets:
        assets.inline(m)
        add_cjk_font(m, view.lang)
    else:
        assets.strip_defaults(m)
    return m
