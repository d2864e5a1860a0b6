"""The vector basemap from data/: countries, province outlines, the Yalu and the Tumen.

It needs no network and is always drawn (not in the layer control).
"""

from __future__ import annotations

import folium
import shapely
from folium.map import CustomPane

from geo.reference import Reference
from i18n import N_, _, current_language
from render import symbology as sym
from render.markup import escape_html
from render.webmap.layers.geojson import cached, frame_collection
from render.webmap.layers.vector import VectorLayer

#: Simplification tolerance for the country polygons in degrees (about 3 km).
COUNTRY_TOLERANCE = 0.03
SEA = sym.WATER_COLOUR
LAND = sym.LAND_COLOUR
BASE_PANE = "bem-base"
LINE_PANE = "bem-lines"
#: The rivers' names (``Reference.rivers`` ``name_en``); the data holds no Korean or Chinese
#: ones, so the catalogues translate these two.
RIVER_NAMES = {"Yalu": N_("Yalu River"), "Tumen": N_("Tumen River")}


def river_name(name_en: str) -> str:
    """Return a river's name in the current language (``Yalu River``, ``압록강``, ``鸭绿江``)."""
    if name_en in RIVER_NAMES:
        return _(RIVER_NAMES[name_en])
    return _("{name} River").format(name=name_en)


def add_panes(m: folium.Map) -> None:
    """Create the panes the layers draw into (basemap below overlays, lines above them)."""
    CustomPane(BASE_PANE, z_index=250, pointer_events=False).add_to(m)
    CustomPane(LINE_PANE, z_index=420, pointer_events=True).add_to(m)


def _countries(regions: Reference) -> dict:
    countries = regions.countries
    simple = shapely.coverage_simplify(countries.geometry.values, COUNTRY_TOLERANCE)
    other = {"style": {"fillColor": sym.OTHER_LAND_COLOUR}}
    return frame_collection(
        countries.assign(geometry=simple),
        lambda r: {} if r.iso3 in sym.MAPPED_COUNTRIES else other,
    )


#: The countries' outline, and their fill on the offline basemap (other countries: grey).
COUNTRY_STYLE = {"color": "#8a8a8a", "weight": 1, "className": "bem-land"}
OFFLINE_FILL = {"fill": True, "fillColor": LAND, "fillOpacity": 1}


def add_basemap(
    m: folium.Map, regions: Reference, *, tiles: bool
) -> tuple[VectorLayer, VectorLayer]:
    """Add countries, province outlines and rivers of ``regions`` to ``m``.

    With web ``tiles`` the land is left unfilled so the tiles show through (filled with
    :data:`OFFLINE_FILL` if the tiles cannot load: ``tiles.TileFallback``). Returns the
    countries layer and the province outline layer, whose geometry (features with
    ``properties["id"]`` = ISO code) other layers reuse.
    """
    fill = {"fill": False} if tiles else OFFLINE_FILL
    countries = VectorLayer(
        cached(regions, "countries", lambda: _countries(regions)),
        name=escape_html(_("Countries")),
        style={**COUNTRY_STYLE, **fill},
        control=False,
        pane=BASE_PANE,
        interactive=False,
    )
    countries.add_to(m)
    outlines = VectorLayer(
        cached(
            regions,
            "provinces",
            lambda: frame_collection(regions.display_provinces, lambda r: {"id": r.iso_3166_2}),
        ),
        name=escape_html(_("Province outlines")),
        style={"color": "#9a9a9a", "weight": 0.8, "fill": False, "dashArray": "3 3"},
        control=False,
        pane=BASE_PANE,
        interactive=False,
    )
    outlines.add_to(m)
    VectorLayer(
        cached(
            regions,
            f"rivers-{current_language()}",
            lambda: frame_collection(
                regions.rivers, lambda r: {"tip": escape_html(river_name(r.name_en))}
            ),
        ),
        name=escape_html(_("Rivers")),
        style={"color": sym.RIVER_COLOUR, "weight": 5, "opacity": 1, "lineCap": "round"},
        control=False,
        pane=LINE_PANE,
    ).add_to(m)
    return countries, outlines
