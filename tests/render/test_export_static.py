"""Static snapshots (PNG, SVG, PDF): page size, metadata, text, sources, CJK glyphs, symbols."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader
from test_export_standins import SAMPLE_ROWS, VIEW_2023, regions, view_data

from geo.pipeline import build_view
from geo.view import ViewParams
from render import symbology as sym
from render.cjkfont import covers, packaged_cjk_font
from render.exports.static import Page, export_static, sources_fit, text_style
from render.printmap.fonts import font_families
from render.printmap.map import border_extent, draw_map, point_events, projected_extent
from render.sources import sources_of
from render.wording import people_text
from tests.factories import shipped_events


@pytest.fixture(scope="module")
def data():
    return view_data(SAMPLE_ROWS, VIEW_2023)


@pytest.fixture(scope="module")
def png(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("png") / "map.png"
    return export_static(data, regions(), out, fmt="png", title="Test map 2023")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("pdf") / "map.pdf"
    (path,) = export_static(data, regions(), out, fmt="pdf", title="Test map 2023")
    return PdfReader(path)


class TestPng:
    def test_a4_landscape_at_300_dpi(self, png):
        image = Image.open(png[0])
        assert abs(image.size[0] - 3508) <= 1 and abs(image.size[1] - 2480) <= 1
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)

    def test_map_is_not_blank(self, png):
        pixels = np.asarray(Image.open(png[0]).convert("RGB").reduce(8))
        non_white = (pixels < 245).any(axis=2).mean()
        colours = len({tuple(p) for p in pixels.reshape(-1, 3)[::7]})
        assert non_white > 0.3
        assert colours > 200

    def test_event_colour_is_drawn(self, png):
        pixels = np.asarray(Image.open(png[0]).convert("RGB").reduce(4)).astype(int)
        orange = np.array([0xD9, 0x5F, 0x02])
        assert (np.abs(pixels - orange).sum(axis=2) < 40).sum() > 50

    def test_sidecar_lists_every_source(self, png, data):
        text = png[1].read_text(encoding="utf-8")
        assert png[1].name == "map.sources.txt"
        for org in sources_of(data.events)["source_org"]:
            assert org in text
        assert "https://tjwg.org/b" in text  # a claim's source, not only reference rows

    def test_pixel_size_and_letter_portrait(self, tmp_path, data):
        (path, _) = export_static(data, regions(), tmp_path / "a.png", size_px=(1200, 900), dpi=100)
        assert Image.open(path).size == (1200, 900)
        (path, _) = export_static(
            data, regions(), tmp_path / "b.png", paper="letter", orientation="portrait", dpi=60
        )
        assert Image.open(path).size == (510, 660)


class TestPdf:
    def test_text_has_title_dates_attribution_and_every_source(self, pdf, data):
        text = " ".join(page.extract_text() for page in pdf.pages)
        flat = re.sub(r"\s+", " ", text)
        assert "Test map 2023" in flat
        assert "1 January 2023 – 31 December 2024" in flat
        assert "Natural Earth" in flat and "GeoNames" in flat and "CC BY 4.0" in flat
        for org in sources_of(data.events)["source_org"]:
            assert org in flat, org
        assert pdf.metadata.title == "Test map 2023"

    def test_people_as_a_range_and_generated_date(self, pdf, data):
        text = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
        assert f"People: {people_text(data.summary.people)}" in text
        assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)

    def test_sources_that_fit_are_listed_on_the_map_page_with_their_links(self, pdf, data):
        sources = sources_of(data.events)
        assert len(sources) > 5 and len(pdf.pages) == 1
        flat = re.sub(r"\s+", "", pdf.pages[0].extract_text())  # links wrap over lines
        assert "Sourcesoftheeventsshown:" in flat and "listedseparately" not in flat
        for url in filter(None, sources["source_url"]):
            assert re.sub(r"\s+", "", url) in flat, url

    def test_sources_that_do_not_fit_follow_the_map_page(self, tmp_path):
        years = ViewParams(start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31))
        many = build_view(shipped_events(), years)
        assert not sources_fit(many, Page())
        (path,) = export_static(many, regions(), tmp_path / "many.pdf", fmt="pdf")
        pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(path).pages]
        assert len(pages) >= 2 and "Sources of the events shown: listed separately." in pages[0]
        listed = " ".join(pages[1:])
        assert "Sources of the events shown" in listed
        for org in sources_of(many.events)["source_org"]:
            assert org in listed, org


def test_svg_parses_with_paths_and_sidecar(tmp_path, data):
    path, sidecar = export_static(data, regions(), tmp_path / "map.svg", fmt="svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 100
    assert sidecar.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "jpg"}, "format 'jpg'"),
        ({"paper": "a3"}, "paper 'a3'"),
        ({"dpi": 5000}, "dpi 5000"),
        ({"size_px": (10, 10)}, "size_px"),
    ],
)
def test_bad_options_name_the_value(tmp_path, data, options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        export_static(data, regions(), tmp_path / "x", **options)


@pytest.mark.parametrize(
    ("lang", "script"), [("ko", r"[\uac00-\ud7a3]"), ("zh", r"[\u4e00-\u9fff]")]
)
def test_cjk_labels_render_with_a_font_that_covers_them(data, lang, script):
    family = font_families(lang)[0]
    assert "CJK" in family
    local_data = view_data(SAMPLE_ROWS, VIEW_2023.with_changes(lang=lang))
    with text_style(lang), warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        fig = Figure(figsize=(8, 6), dpi=50)
        ax = fig.add_axes([0, 0, 1, 1])
        extent = projected_extent(border_extent(regions()), 8 / 6)
        drawn = draw_map(ax, local_data, regions(), extent)
        FigureCanvasAgg(fig).draw()
    local = [label for label in drawn["labels"] if re.search(script, label)]
    assert len(local) >= 5
    font_file = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert covers(Path(font_file), "".join(local))


def test_bounds_zoom_reports_events_outside_the_frame(data):
    fig = Figure(figsize=(6, 6), dpi=50)
    ax = fig.add_axes([0, 0, 1, 1])
    extent = projected_extent((123.8, 39.7, 125.0, 40.6), 1.0)  # Dandong / Sinuiju only
    drawn = draw_map(ax, data, regions(), extent)
    assert drawn["off_frame"] == 4  # Tumen, Hyesan, Changbai, Musan
    assert "Dandong" in drawn["labels"] and "Hyesan" not in drawn["labels"]
    assert drawn["province_codes"] == ["CN-JL", "CN-LN"]
    assert drawn["border_events"] == 1


class TestSymbology:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (("exact", 40, 40, 40), sym.Symbol("exact", 40, None)),
            (("about", 60, 60, None), sym.Symbol("approx", 60, None)),
            (("more_than", 500, 500, None), sym.Symbol("unbounded", 500, None)),
            (("at_least", 9, None, None), sym.Symbol("unbounded", 9, None)),
            (("up_to", None, 600, 600), sym.Symbol("upto", None, 600)),
            (("unknown", 50, None, 60), sym.Symbol("range", 50, 60)),
            (("unknown", None, None, None), sym.Symbol("unknown", None, None)),
        ],
    )
    def test_symbol_for(self, args, expected):
        assert sym.symbol_for(*args) == expected

    def test_symbols_for_a_column_are_those_of_each_row(self):
        import pandas as pd

        rows = [("exact", 40, 40, 40), ("about", 60, 60, None), ("more_than", 500, 500, None),
                ("at_least", 9, None, None), ("up_to", None, 600, 600), ("unknown", 50, None, 60),
                ("unknown", None, None, None)]  # fmt: skip
        columns = list(zip(*rows, strict=True))
        series = [pd.Series(columns[0])] + [pd.Series(c, dtype="Int64") for c in columns[1:]]
        assert sym.symbols_for(*series) == [sym.symbol_for(*row) for row in rows]

    def test_area_is_proportional_to_people(self):
        assert sym.radius_px(400) ** 2 / sym.radius_px(100) ** 2 == pytest.approx(4)
        assert sym.radius_px(1) == sym.MIN_RADIUS_PX

    def test_shading_classes(self):
        values = (None, 0, 1, 49, 50, 199, 200, 499, 500, 999, 1000)
        assert [sym.shading_class(v) for v in values] == [-1, -1, 0, 0, 1, 1, 2, 2, 3, 3, 4]
        assert sym.shading_labels() == ["1–49", "50–199", "200–499", "500–999", "1,000 or more"]
        assert sym.shading_colour(500) == sym.SHADING_COLOURS[3]
        assert sym.shading_colour(0) == sym.NO_EVENTS_COLOUR


def test_packaged_cjk_font_covers_every_local_place_name():
    path = packaged_cjk_font()
    assert path is not None and path.suffix == ".ttc"
    names = "".join(regions().places["name_local"]) + "".join(regions().provinces["name_local"])
    assert re.search(r"[\uac00-\ud7a3]", names) and re.search(r"[\u4e00-\u9fff]", names)
    cjk_only = "".join(ch for ch in names if ord(ch) > 0x2E80)
    assert covers(path, cjk_only)


def test_point_events_are_drawn_at_their_places_in_their_type_colours():
    """Each point event's symbol is in the PNG, around its projected place, in its type's colour.

    Orange (forced return) and green (policy) appear nowhere else on the map at full strength
    (the border band, also orange, is translucent; there are no border events here).
    """
    rows = [
        {"event_id": "fr", "date_start": "2023-10-09", "count_best": 100,
         "lat": 40.12, "lon": 124.39, "provinces": "CN-LN"},
        {"event_id": "po", "event_type": "policy", "date_start": "2023-05-01", "count_best": 100,
         "lat": 42.97, "lon": 129.84, "provinces": "CN-JL"},
    ]  # fmt: skip
    local_data = view_data(rows, VIEW_2023.with_changes(types=("forced_return", "policy")))
    fig = Figure(figsize=(8, 6), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    drawn = draw_map(ax, local_data, regions(), projected_extent(border_extent(regions()), 8 / 6))
    assert drawn["off_frame"] == 0
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    rgb = np.asarray(Image.open(buffer).convert("RGB"), dtype=int)
    points = point_events(local_data.events, regions().places)
    assert sorted(points["event_type"]) == ["forced_return", "policy"]
    half = 16  # px: the symbols of 100 people are about 21 px across at 100 dpi
    for event_type, x, y in zip(points["event_type"], points["x"], points["y"], strict=True):
        colour = np.array([int(sym.TYPE_COLOURS[event_type][i : i + 2], 16) for i in (1, 3, 5)])
        matches = np.abs(rgb - colour).sum(axis=2) < 40
        col, row = ax.transData.transform((x, y))
        row = rgb.shape[0] - row  # display y runs up, image rows run down
        near = matches[int(row) - half : int(row) + half, int(col) - half : int(col) + half]
        assert near.sum() >= 15, (event_type, int(near.sum()))
        assert near.sum() >= 0.8 * matches.sum(), (event_type, int(matches.sum()))


def test_control_characters_in_data_are_printed_as_visible_escapes():
    """No font has a glyph for NUL or ESC: they are shown as the command line shows them."""
    from render.printmap.layout import wrap

    assert wrap("Report\x00 title\x1b[31m\tend", 6, 8) == "Report\\x00 title\\x1b[31m end"
