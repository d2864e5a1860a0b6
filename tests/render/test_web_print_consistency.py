"""The web map and the print map of one view agree: same province classes, colours and labels.

Both maps are rendered from the same ``ViewData`` (the shipped events); the web map's province
layer and legend are read back from the page's HTML, the print map's from the matplotlib
artists it drew. Each side is compared with ``render.symbology`` and with the other, so the
test fails if either drifts.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render import symbology as sym
from render.exports.static import Page, build_figure, text_style
from render.printmap import layout
from render.printmap.map import (
    PT_PER_PX,
    SHADING_GID,
    border_extent,
    draw_map,
    point_events,
    projected_extent,
)
from render.webmap.build import build_map
from tests.factories import shipped_events

ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
VIEWS = {
    "all dates": ViewParams(types=ALL_TYPES),
    "2023": ViewParams(types=ALL_TYPES, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)),
    "forced returns": ViewParams(types=("forced_return",)),
}
_OPTIONS = re.compile(r"= bemVectorLayer\(\w+, (\{.*\})\);$", re.MULTILINE)
_LEGEND = re.compile(r"bemLegend\(\w+, (\{.*\})\);$", re.MULTILINE)
_ROW = re.compile(
    r'<div class="bem-legend-row"><svg[^>]*><rect [^>]*fill="(#[0-9a-f]{6})" '
    r'fill-opacity="([0-9.]+)"[^>]*/></svg><span>([^<]*)</span></div>'
)


@pytest.fixture(scope="module")
def regions():
    return load_reference()


@pytest.fixture(scope="module", params=list(VIEWS), ids=list(VIEWS))
def data(request):
    return build_view(shipped_events(), VIEWS[request.param])


@pytest.fixture(scope="module")
def page(data, regions):
    return build_map(data, regions).get_root().render()


@pytest.fixture(scope="module")
def figure(data, regions):
    with text_style("en"):
        return build_figure(data, regions, Page(dpi=40), generated=dt.datetime(2024, 1, 1))


def mapped_codes(regions) -> list[str]:
    provinces = regions.display_provinces
    return list(provinces.loc[provinces["country_iso3"].isin(sym.MAPPED_COUNTRIES), "iso_3166_2"])


def web_province_styles(page: str) -> dict[str, dict]:
    """Return the style of each province in the web map's shading layer, read from the page."""
    layers = [json.loads(m) for m in _OPTIONS.findall(page)]
    shading = [o["extra"] for o in layers if any("style" in v for v in o["extra"].values())]
    assert len(shading) == 1, "one province shading layer"
    return {code: props["style"] for code, props in shading[0].items()}


def print_province_fills(figure: Figure) -> dict[str, tuple[float, ...]]:
    """Return the RGBA face colour the print map filled each province with."""
    fills = {}
    for ax in figure.axes:
        for collection in ax.collections:
            if collection.get_gid() == SHADING_GID:
                face = tuple(float(v) for v in collection.get_facecolor()[0])
                fills.update(dict.fromkeys(collection.get_label().split("|"), face))
    return fills


def web_legend(page: str) -> tuple[str, list[tuple[str, float, str]]]:
    """Return the web legend's text and its shading rows ``(colour, opacity, label)``."""
    (options,) = _LEGEND.findall(page)
    legend = json.loads(options)["html"]
    section = legend.split(f"<h4>{html.escape(sym.SHADING_TITLE)}</h4>", 1)[1].split("<h4>")[0]
    rows = [(c, float(o), html.unescape(t)) for c, o, t in _ROW.findall(section)]
    return html.unescape(re.sub(r"<[^>]+>", "\n", legend)), rows


def print_legend(figure: Figure) -> tuple[list[str], list[tuple[str, float, str]]]:
    """Return the print legend's texts and its shading rows ``(colour, opacity, label)``."""
    texts, swatches, labels = [], [], []
    for ax in figure.axes:
        texts += [t.get_text() for t in ax.texts]
        swatches += [p for p in ax.patches if p.get_gid() == layout.SHADING_GID]
        labels += [t.get_text() for t in ax.texts if t.get_gid() == layout.SHADING_GID]
    rows = [
        (to_hex(p.get_facecolor(), keep_alpha=False), round(p.get_facecolor()[3], 3), label)
        for p, label in zip(swatches, labels, strict=True)
    ]
    return texts, rows


def test_province_classes_and_colours_are_the_same_on_both_maps(data, regions, page, figure):
    web = web_province_styles(page)
    printed = print_province_fills(figure)
    by_province = data.summary.by_province
    # The page's whole-border frame leaves out provinces far from the border (Pyongyang).
    codes = [code for code in mapped_codes(regions) if code in printed]
    assert len(codes) >= 10 and set(web) >= set(codes)
    for code in codes:
        totals = by_province.get(code)
        klass = sym.shading_class(totals.people.best if totals else None)
        face = printed[code]
        if klass < 0:
            assert web[code]["fillOpacity"] == 0, code  # unfilled: the land shows
            assert to_hex(face, keep_alpha=False) == sym.NO_EVENTS_COLOUR == sym.LAND_COLOUR
            continue
        expected = sym.SHADING_COLOURS[klass]
        assert web[code]["fillColor"] == expected, code
        assert to_hex(face, keep_alpha=False) == expected, code
        assert web[code]["fillOpacity"] == pytest.approx(face[3]) == sym.SHADING_OPACITY


def test_the_all_dates_view_spans_several_classes(regions):
    data = build_view(shipped_events(), VIEWS["all dates"])
    classes = {sym.shading_class(t.people.best) for t in data.summary.by_province.values()}
    assert len(classes - {-1}) >= 3  # the comparison above is not between empty maps


def test_legends_list_the_same_classes_colours_and_words(page, figure):
    web_text, web_rows = web_legend(page)
    print_texts, print_rows = print_legend(figure)
    expected = [(c, sym.SHADING_OPACITY, label) for c, label in sym.shading_legend()]
    assert web_rows == expected
    assert print_rows == expected
    web_lines = web_text.splitlines()
    assert sym.SHADING_TITLE in web_lines and sym.SHADING_TITLE in print_texts
    for label in sym.KIND_LABELS.values():  # how sure the count is: the same words
        assert label in web_lines and label in print_texts


def test_legend_labels_name_the_class_of_a_province():
    labels = dict(zip(sym.SHADING_COLOURS, sym.shading_labels(), strict=True))
    assert labels[sym.shading_colour(500)] == "500–999"
    assert labels[sym.shading_colour(499)] == "200–499"
    assert labels[sym.shading_colour(1000)] == "1,000 or more"
    assert labels[sym.shading_colour(1)] == "1–49"


def test_print_map_draws_every_point_event(regions):
    """A print map whose ``draw_events`` draws nothing (or elsewhere, or grey) fails here."""
    data = build_view(shipped_events(), VIEWS["all dates"])
    fig = Figure(figsize=(8, 6), dpi=40)
    ax = fig.add_axes([0, 0, 1, 1])
    draw_map(ax, data, regions, projected_extent(border_extent(regions), 8 / 6))
    points = point_events(data.events, regions.places)
    assert len(points) >= 10
    drawn = [
        (c.get_offsets(), c.get_edgecolor(), c.get_sizes())
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets()) and len(c.get_edgecolor())
    ]
    for x, y, event_type, symbol in zip(
        points["x"], points["y"], points["event_type"], points["symbol"], strict=True
    ):
        colour = sym.UNKNOWN_COLOUR if symbol.kind == "unknown" else sym.TYPE_COLOURS[event_type]
        people = symbol.outer if symbol.kind == "upto" else symbol.inner
        size = (2 * sym.radius_px(people or 0) * PT_PER_PX) ** 2
        found = False
        for offsets, edges, sizes in drawn:
            at = np.flatnonzero(np.hypot(offsets[:, 0] - x, offsets[:, 1] - y) < 1.0)
            for i in at:
                edge = to_hex(edges[min(i, len(edges) - 1)], keep_alpha=False)
                if edge == colour and sizes[min(i, len(sizes) - 1)] == pytest.approx(size):
                    found = True
        assert found, f"no {symbol.kind} {event_type} symbol at ({x:.0f}, {y:.0f})"


def test_web_symbols_are_sized_and_styled_by_symbology(data, page):
    (payload,) = re.findall(r"bemEventsLayer\(\w+, \w+, (\{.*\})\);$", page, re.MULTILINE)
    payload = json.loads(payload)
    assert payload["sym"] == json.loads(json.dumps(sym.web_symbology()))
    for feature in payload["pts"]["features"]:
        props = feature["properties"]
        best = payload["ev"][props["i"]][2]
        if props["s"] == "exact":
            assert props["r"] == pytest.approx(sym.radius_px(best), abs=0.05)


# --- One home for the symbology ---------------------------------------------------------

RENDER = Path(__file__).resolve().parents[2] / "render"
DASHES = {s.dash for s in sym.STYLES.values() if s.dash} | {
    sym.UNBOUNDED_RING_DASH, sym.ADMIN_STYLE.dash
}
#: What only render/symbology.py may spell out (the events script sizes grid cells with the
#: constants it is given): (rule, pattern, files allowed besides symbology.py).
SYMBOLOGY_RULES = [
    ("shading colours", "|".join(sym.SHADING_COLOURS), ()),
    ("shading classes", r"BREAKS\s*=|CLASS_COLOURS|def \w*(shade|shading)_?class", ()),
    ("circle radius", r"sqrt\(", ("webmap/templates/events_layer.js",)),
    ("uncertainty dashes", "|".join(f"[\"']{d}[\"']" for d in sorted(DASHES)), ()),
    ("type colours", "|".join(sym.TYPE_COLOURS.values()), ()),
]


@pytest.mark.parametrize(
    ("rule", "pattern", "allowed"), SYMBOLOGY_RULES, ids=[r[0] for r in SYMBOLOGY_RULES]
)
def test_each_symbology_rule_has_one_home(rule, pattern, allowed):
    files = sorted(RENDER.rglob("*.py")) + sorted(RENDER.rglob("*.js"))
    homes = {
        p.relative_to(RENDER).as_posix()
        for p in files
        if re.search(pattern, p.read_text(encoding="utf-8"), flags=re.IGNORECASE)
    }
    assert homes == {"symbology.py", *allowed}, f"{rule} is spelled out in {sorted(homes)}"
