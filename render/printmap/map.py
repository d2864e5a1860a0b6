"""Draw the map of one view on a matplotlib Axes (no browser): basemap, shading, border, events.

Everything is drawn in a Lambert conformal conic projection centred on the border, so the scale
bar holds across the map and north is up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypedDict, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from pyproj import Transformer
from shapely.geometry import Point, box
from shapely.ops import nearest_points

from geo.aggregate import Summary, people_per_event, people_range
from geo.claims import drawn_points
from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import formats, ngettext
from render import symbology as sym
from render.cells import AGGREGATE_THRESHOLD, cell_people
from render.names import local_name
from render.wording import people_text

MAP_CRS = "+proj=lcc +lat_1=40 +lat_2=43 +lat_0=41.5 +lon_0=126.5 +datum=WGS84 +units=m +no_defs"
#: Whole-border extent (lon/lat) used when the view gives no bounds: the border plus a margin.
BORDER_MARGIN_DEG = 0.6
PT_PER_PX = 0.75
_TO_MAP = Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True)
MAPPED_COUNTRIES = sym.MAPPED_COUNTRIES
#: ``gid`` of the province shading collections; each one's label lists its provinces' codes.
SHADING_GID = "province-shading"


def _frame(layer: object) -> gpd.GeoDataFrame:
    """Return a layer (GeoDataFrame, GeoSeries or one geometry) as a GeoDataFrame in EPSG:4326."""
    if isinstance(layer, gpd.GeoDataFrame):
        return layer
    if isinstance(layer, gpd.GeoSeries):
        return gpd.GeoDataFrame(geometry=layer)
    return gpd.GeoDataFrame(geometry=[layer], crs="EPSG:4326")


def border_extent(regions: Reference) -> tuple[float, float, float, float]:
    """Return the whole-border extent ``(west, south, east, north)`` in degrees."""
    west, south, east, north = _frame(regions.border).total_bounds
    m = BORDER_MARGIN_DEG
    return (west - m, south - m, east + m, north + m)


def projected_extent(
    bounds: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Project lon/lat ``bounds`` and widen the short side to the map box's ``aspect`` (w / h).

    Returns
    -------
    tuple
        ``(xmin, ymin, xmax, ymax)`` in map metres.
    """
    west, south, east, north = bounds
    lons = np.concatenate([np.linspace(west, east, 9)] * 2 + [[west, west, east, east]])
    lats = np.concatenate([[south] * 9, [north] * 9, [south, north, south, north]])
    xs, ys = _TO_MAP.transform(lons, lats)
    xmin, xmax, ymin, ymax = xs.min(), xs.max(), ys.min(), ys.max()
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        pad = (height * aspect - width) / 2
        xmin, xmax = xmin - pad, xmax + pad
    else:
        pad = (width / aspect - height) / 2
        ymin, ymax = ymin - pad, ymax + pad
    return (xmin, ymin, xmax, ymax)


def basemap_cover(regions: Reference) -> shapely.Polygon:
    """Return the box the basemap's countries are drawn in (data/README.md), in map metres.

    The countries are clipped to a longitude/latitude box; projected, its edges slant, and
    beyond them the basemap knows nothing.
    """
    west, south, east, north = shapely.total_bounds(regions.countries.geometry.values)
    outline = np.asarray(shapely.segmentize(box(west, south, east, north), 0.1).exterior.coords)
    xs, ys = _TO_MAP.transform(outline[:, 0], outline[:, 1])
    return shapely.Polygon(np.column_stack([xs, ys]))


def inside_basemap(
    extent: tuple[float, float, float, float], regions: Reference
) -> tuple[float, float, float, float]:
    """Return ``extent`` (map metres), shrunk about its centre to lie inside the basemap.

    The map then shows land and sea to its every edge: no blank wedge where the projected
    box of the basemap's countries (:func:`basemap_cover`) does not reach. The aspect ratio is
    kept; a centre outside the basemap first moves to its nearest point inside.
    """
    cover = basemap_cover(regions)
    if box(*extent).within(cover):
        return extent
    xmin, ymin, xmax, ymax = extent
    centre = Point((xmin + xmax) / 2, (ymin + ymax) / 2)
    if not cover.contains(centre):
        centre = nearest_points(cover.buffer(-1000.0), centre)[0]
    half_w, half_h = (xmax - xmin) / 2, (ymax - ymin) / 2

    def scaled(s: float) -> tuple[float, float, float, float]:
        return (centre.x - s * half_w, centre.y - s * half_h,
                centre.x + s * half_w, centre.y + s * half_h)  # fmt: skip

    low, high = 0.0, 1.0
    for _ in range(30):
        mid = (low + high) / 2
        low, high = (mid, high) if box(*scaled(mid)).within(cover) else (low, mid)
    return scaled(low)


def _clip(layer: object, extent: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    frame = _frame(layer).to_crs(MAP_CRS)
    xmin, ymin, xmax, ymax = extent
    dx, dy = (xmax - xmin) * 0.05, (ymax - ymin) * 0.05
    window = box(xmin - dx, ymin - dy, xmax + dx, ymax + dy)
    return frame[frame.intersects(window)]


def _province_people(summary: Summary) -> dict[str, float]:
    return {code: totals.people.best for code, totals in summary.by_province.items()}


def draw_basemap(ax: Axes, regions: Reference, extent: tuple, summary: Summary, lang: str) -> None:
    """Draw countries, provinces shaded by people in the view, province names and rivers.

    Provinces are filled as ``symbology`` says (:func:`render.symbology.shading_colour`, at
    ``SHADING_OPACITY``), one collection per colour: its ``gid`` is :data:`SHADING_GID` and
    its label the ``|``-joined codes of its provinces.
    """
    countries = _clip(regions.countries, extent)
    mapped = countries["iso3"].isin(MAPPED_COUNTRIES) if "iso3" in countries else False
    countries.plot(ax=ax, color=np.where(mapped, sym.LAND_COLOUR, sym.OTHER_LAND_COLOUR),
                   linewidth=0)  # fmt: skip
    provinces = _clip(regions.display_provinces, extent)
    people = _province_people(summary)
    fills = [
        sym.shading_colour(people.get(code)) if iso3 in MAPPED_COUNTRIES else sym.OTHER_LAND_COLOUR
        for code, iso3 in zip(provinces["iso_3166_2"], provinces["country_iso3"], strict=True)
    ]
    for colour, group in provinces.groupby(np.array(fills), sort=False):
        group.plot(ax=ax, facecolor=to_rgba(colour, sym.SHADING_OPACITY),
                   edgecolor=sym.PROVINCE_EDGE_COLOUR, linewidth=0.5)  # fmt: skip
        ax.collections[-1].set_gid(SHADING_GID)
        ax.collections[-1].set_label("|".join(group["iso_3166_2"]))
    countries.boundary.plot(ax=ax, color="#6f6f6f", linewidth=0.8)
    _clip(regions.rivers, extent).plot(ax=ax, color=sym.RIVER_COLOUR, linewidth=2.0)
    _province_names(ax, provinces, extent, lang)


def _province_names(ax: Axes, provinces: gpd.GeoDataFrame, extent: tuple, lang: str) -> None:
    view = box(*extent)
    for _, row in provinces.iterrows():
        part = row.geometry.intersection(view)
        if part.is_empty or part.area < view.area * 0.01:
            continue
        name = local_name(row, lang)
        point = part.representative_point()
        text = ax.annotate(
            name.upper() if lang == "en" else name,
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=7.5,
            color="#8a8178",
            fontstyle="italic" if lang == "en" else "normal",
            zorder=3,
            annotation_clip=True,
            clip_on=True,
        )
        text.set_gid("province-name")


def draw_border(ax: Axes, regions: Reference, extent: tuple, border_events: int) -> None:
    """Draw the border sectors (alternating tones) and, under them, the border-wide event band."""
    sectors = _clip(regions.sectors, extent)
    if border_events:
        band = _clip(regions.border, extent)
        band.plot(
            ax=ax,
            color=sym.BORDER_BAND_COLOUR,
            alpha=sym.BORDER_BAND_OPACITY,
            linewidth=sym.BORDER_BAND_WIDTH_PX * PT_PER_PX,
            zorder=4,
        )
    colours = [sym.SECTOR_COLOURS[i % 2] for i in range(len(sectors))]
    sectors.plot(ax=ax, color=colours, linewidth=sym.SECTOR_WIDTH_PX * PT_PER_PX, zorder=5)


def draw_province_events(ax: Axes, regions: Reference, extent: tuple, codes: Iterable[str]) -> None:
    """Hatch the provinces that have province-level (not point) events."""
    provinces = _clip(regions.display_provinces, extent)
    hatched = provinces[provinces["iso_3166_2"].isin(set(codes))]
    if hatched.empty:
        return
    hatched.plot(
        ax=ax,
        facecolor="none",
        edgecolor=sym.PROVINCE_HATCH_COLOUR,
        hatch=sym.PROVINCE_HATCH,
        linewidth=0,
        alpha=0.35,
        zorder=2,
    )


def _diameters_pt(people: np.ndarray) -> np.ndarray:
    return np.array([2 * sym.radius_px(p) * PT_PER_PX for p in people])


def _dashes(dash: str | None, weight_pt: float) -> object:
    """Return a matplotlib linestyle for an SVG dashArray in px (dashes scale with line width)."""
    if dash is None:
        return "solid"
    return (0, tuple(float(v) * PT_PER_PX / weight_pt for v in dash.split()))


def _rings(ax: Axes, x: np.ndarray, y: np.ndarray, d_pt: np.ndarray, colours: list[str],
           weight_px: float, dash: str | None, zorder: float) -> None:  # fmt: skip
    weight = weight_px * PT_PER_PX
    ax.scatter(x, y, s=d_pt**2, facecolors="none", edgecolors=colours, linewidths=weight,
               linestyles=_dashes(dash, weight), zorder=zorder)  # fmt: skip


def scatter_symbols(
    ax: Axes, x: np.ndarray, y: np.ndarray, symbols: list[sym.Symbol], colours: list[str],
    zorder: float = 6,
) -> None:  # fmt: skip
    """Draw symbols (``symbology.symbol_for``) at x/y in data coordinates of ``ax``.

    A few scatter calls per kind whatever the number of events: fills, outlines, outer rings;
    styles from ``symbology.STYLES`` (outline in the event's colour, as on the web map).
    """
    x, y, colours_arr = np.asarray(x), np.asarray(y), np.asarray(colours, dtype=object)
    kinds = np.array([s.kind for s in symbols], dtype=object)
    inner = np.array([np.nan if s.inner is None else s.inner for s in symbols], dtype=float)
    outer = np.array([np.nan if s.outer is None else s.outer for s in symbols], dtype=float)
    for kind, style in sym.STYLES.items():
        m = kinds == kind
        if not m.any():
            continue
        people = outer[m] if kind == "upto" else inner[m]
        d_pt = _diameters_pt(np.zeros(m.sum()) if kind == "unknown" else people)
        edge = [sym.UNKNOWN_COLOUR] * int(m.sum()) if kind == "unknown" else list(colours_arr[m])
        if style.fill_opacity:
            ax.scatter(x[m], y[m], s=d_pt**2, c=edge, alpha=style.fill_opacity, linewidths=0,
                       zorder=zorder)  # fmt: skip
        _rings(ax, x[m], y[m], d_pt, edge, style.weight, style.dash, zorder + 0.1)
        if kind == "unbounded":
            _rings(ax, x[m], y[m], d_pt * sym.UNBOUNDED_RING, edge, sym.RING_WEIGHT,
                   sym.UNBOUNDED_RING_DASH, zorder + 0.2)  # fmt: skip
        if kind == "range":
            _rings(ax, x[m], y[m], _diameters_pt(outer[m]), edge, sym.RING_WEIGHT, None,
                   zorder + 0.2)  # fmt: skip


def _shared(symbol: sym.Symbol, share: float) -> sym.Symbol:
    """Return ``symbol`` standing for ``share`` of its people (one of an event's places)."""
    if share == 1:
        return symbol
    inner = None if symbol.inner is None else round(symbol.inner * share)
    outer = None if symbol.outer is None else round(symbol.outer * share)
    return sym.Symbol(symbol.kind, inner, outer)


def point_events(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return the symbols to draw, largest first, with map ``x``/``y``.

    One row per reference event drawn as a symbol, or, for an event placed by its claims,
    one per place (``geo.claims.drawn_points``), its people shared among them as on the web
    map. ``places`` is the gazetteer (``Reference.places``).
    """
    ref = events[
        (events["same_event_as"] == "")
        & (events["map_level"] == "point")
        & (events["event_type"] != "report")
    ]
    drawn = drawn_points(ref, places)
    shares = drawn["share"].to_numpy(dtype=float)
    ref = ref.iloc[drawn["pos"].to_numpy(dtype=int)].copy()
    ref["lon"], ref["lat"] = drawn["lon"].to_numpy(), drawn["lat"].to_numpy()
    symbols = sym.symbols_for(
        ref["count_qualifier"], ref["count_low"], ref["count_best"], ref["count_high"]
    )
    ref["symbol"] = [_shared(s, share) for s, share in zip(symbols, shares, strict=True)]
    ref["size"] = [max(s.inner or 0, s.outer or 0) for s in ref["symbol"]]
    ref["x"], ref["y"] = _TO_MAP.transform(ref["lon"].to_numpy(), ref["lat"].to_numpy())
    return ref.sort_values("size", ascending=False, kind="stable")


def draw_events(
    ax: Axes, events: pd.DataFrame, places: pd.DataFrame
) -> tuple[int, dict[str, float] | None]:
    """Draw point events (``places``: the gazetteer); return how many fall outside, and cells.

    Past ``render.cells.AGGREGATE_THRESHOLD`` points the events are summed per grid cell, as on
    the web map; the second value is then the cells' ``scale`` and ``largest`` (people of the
    fullest cell) for the legend, else None.
    """
    points = point_events(events, places)
    cells = None
    if len(points) > AGGREGATE_THRESHOLD:
        cells = _draw_cells(ax, points)
    else:
        colours = [sym.TYPE_COLOURS.get(t, "#555555") for t in points["event_type"]]
        scatter_symbols(ax, points["x"].to_numpy(), points["y"].to_numpy(),
                        list(points["symbol"]), colours)  # fmt: skip
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    inside = points["x"].between(xmin, xmax) & points["y"].between(ymin, ymax)
    return int((~inside).sum()), cells


def _draw_cells(ax: Axes, points: pd.DataFrame) -> dict[str, float]:
    """Draw one circle per grid cell of ``points``; return the cells' scale and largest."""
    best = people_per_event(points)[1].astype("float64").to_numpy()
    event = pd.factorize(points["event_id"])[0]
    cells = cell_people(points["lon"].to_numpy(), points["lat"].to_numpy(), event, best)
    x, y = _TO_MAP.transform(cells["lon"].to_numpy(), cells["lat"].to_numpy())
    largest = float(cells["people"].max())
    scale = sym.cell_radius_scale(largest)
    order = np.argsort(-cells["people"].to_numpy(), kind="stable")  # small ones on top
    d_pt = np.array([2 * sym.cell_radius_px(p, scale) * PT_PER_PX for p in cells["people"]])
    style = sym.CELL_STYLE
    ax.scatter(x[order], y[order], s=d_pt[order] ** 2, c=sym.CELL_COLOUR,
               alpha=style.fill_opacity, linewidths=0, zorder=6)  # fmt: skip
    _rings(ax, x[order], y[order], d_pt[order], [sym.CELL_EDGE_COLOUR] * len(order),
           style.weight, style.dash, 6.1)  # fmt: skip
    return {"scale": scale, "largest": largest}


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def draw_places(ax: Axes, places: pd.DataFrame, extent: tuple, lang: str) -> list[str]:
    """Draw place dots and labels in ``lang`` inside ``extent``; return the labels drawn."""
    xs, ys = _TO_MAP.transform(
        pd.to_numeric(places["lon"]).to_numpy(), pd.to_numeric(places["lat"]).to_numpy()
    )
    xmin, ymin, xmax, ymax = extent
    canvas = ax.figure.canvas
    # Labels are measured as Agg draws them. Without an Agg canvas, a one-pixel renderer at the
    # figure's dpi measures the same without a page-sized buffer, and attaches no canvas
    # (geopandas' plot() would redraw an Agg canvas after every later layer).
    renderer = (
        canvas.get_renderer()
        if isinstance(canvas, FigureCanvasAgg)
        else RendererAgg(1, 1, cast(Figure, ax.figure).dpi)
    )
    frame = ax.get_window_extent(renderer)
    taken: list = []
    labels = []
    order = np.argsort((places["kind"] != "border").to_numpy(), kind="stable")
    inside = (xs > xmin) & (xs < xmax) & (ys > ymin) & (ys < ymax)
    ax.scatter(xs[inside], ys[inside], s=5, color="#222222", linewidths=0, zorder=7)
    shown = order[inside[order]]
    for row, x, y in zip(places.iloc[shown].to_dict("records"), xs[shown], ys[shown], strict=True):
        label = local_name(row, lang)
        chinese_side = row["country_iso3"] == "CHN"
        text = ax.annotate(
            label,
            (x, y),
            xytext=(-3, 2) if chinese_side else (3, -2),
            textcoords="offset points",
            ha="right" if chinese_side else "left",
            va="bottom" if chinese_side else "top",
            fontsize=6.5 if _text_width(label) > 10 else 7,
            color="#222222",
            zorder=8,
            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.6),
        )
        box_ = text.get_window_extent(renderer)
        inside_frame = Bbox.union([box_, frame]).bounds == frame.bounds
        if not inside_frame or any(box_.overlaps(other) for other in taken):
            text.remove()
            continue
        taken.append(box_)
        labels.append(label)
    # Place names matter more than province names: drop a province name a place label covers.
    for name in [t for t in ax.texts if t.get_gid() == "province-name"]:
        name_box = name.get_window_extent(renderer)
        if any(name_box.overlaps(box) for box in taken):
            name.remove()
    return labels


def _area_note(ax: Axes, ref: pd.DataFrame) -> None:
    """Say on the map what the band and the hatching stand for: events and people."""
    lines = []
    for level in ("border", "admin1"):
        rows = ref[ref["map_level"] == level]
        if len(rows):
            n, people = len(rows), people_text(people_range(rows))
            if level == "border":
                text = ngettext(
                    "Border-wide, place not given: {n} event, people {people}",
                    "Border-wide, place not given: {n} events, people {people}",
                    n,
                )
            else:
                text = ngettext(
                    "Province-level: {n} event, people {people}",
                    "Province-level: {n} events, people {people}",
                    n,
                )
            lines.append(text.format(n=formats.number(n), people=people))
    if lines:
        ax.text(0.012, 0.985, "\n".join(lines), transform=ax.transAxes, ha="left", va="top",
                fontsize=7.5, zorder=21, linespacing=1.4,
                bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="#bbb", lw=0.5,
                          alpha=0.9))  # fmt: skip


class DrawnMap(TypedDict):
    """What :func:`draw_map` drew (see there)."""

    labels: list[str]
    off_frame: int
    province_codes: list[str]
    border_events: int
    cells: dict[str, float] | None


def draw_map(
    ax: Axes, data: ViewData, regions: Reference, extent: tuple[float, float, float, float]
) -> DrawnMap:
    """Draw the whole map of ``data`` on ``ax`` within ``extent`` (map metres).

    An extent reaching past the basemap is shrunk to lie inside it (:func:`inside_basemap`).

    Returns
    -------
    DrawnMap
        ``labels`` (place labels drawn), ``off_frame`` (point events outside the extent),
        ``province_codes`` (hatched provinces), ``border_events`` (border-wide events),
        ``cells`` (the grid cells' scale and largest when events are summed, else None).
    """
    events = data.events
    summary = data.summary
    lang = data.view.lang
    # Aggregate reports are cross-checks, not events: never drawn (as on the web map).
    ref = events[(events["same_event_as"] == "") & (events["event_type"] != "report")]
    extent = inside_basemap(extent, regions)
    ax.set_facecolor(sym.WATER_COLOUR)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    draw_basemap(ax, regions, extent, summary, lang)
    admin1 = ref[ref["map_level"] == "admin1"]
    codes = sorted({c for value in admin1["provinces"] for c in value.split("|") if c})
    draw_province_events(ax, regions, extent, codes)
    border_events = int((ref["map_level"] == "border").sum())
    draw_border(ax, regions, extent, border_events)
    off_frame, cells = draw_events(ax, events, regions.places)
    _area_note(ax, ref)
    labels = draw_places(ax, regions.places, extent, lang)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_xlabel("")
    ax.set_ylabel("")
    return DrawnMap(labels=labels, off_frame=off_frame, province_codes=codes,
                    border_events=border_events, cells=cells)  # fmt: skip
