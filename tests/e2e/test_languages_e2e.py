"""End to end: the app in Korean and Chinese shows no English UI word, page and map alike.

The visible text of the Streamlit page (each tab opened in turn) and of the map's iframe is
collected in a real Chromium; every Latin word left in it must be data from sources (a title,
a quote, an organisation's name, taken from the dataset shown) or a proper name of the
attribution line. The offline HTML export is checked the same way, in a browser with no
network. A first visit from a Korean browser opens in Korean, and switching language keeps the
view and its figures.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote

import pytest

from tests.e2e.steps import choose, wait_idle
from tests.e2e.test_app_e2e import MAP_IFRAME, open_app

pytestmark = pytest.mark.e2e
#: Proper names (the attribution, the basemap menu, Leaflet's credit, file formats), units,
#: and "Language", which the language picker's label keeps so that anyone can find it.
PROPER_NAMES = {
    "Leaflet", "JavaScript", "OpenStreetMap", "Natural", "Earth", "GeoNames", "CARTO", "Esri",
    "CC", "BY", "Noto", "Sans", "CJK", "OSM", "CSV", "TSV", "TXT", "XLSX", "PNG", "SVG", "PDF",
    "HTML", "GeoJSON", "GEOJSON", "ZIP", "KML", "KMZ", "ACLED", "UCDP", "GED", "GDELT", "ISO",
    "URL", "JSON", "km", "MB", "Language",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
TABS = '[data-baseweb="tab"]'


@cache
def data_words() -> frozenset[str]:
    """Latin words of the shipped data's text: titles, quotes, organisations, notes, names."""
    from tests.factories import shipped_validation

    events = shipped_validation().events.drop(columns="geometry")
    columns = events.select_dtypes(include=["object", "string"]).columns
    text = " ".join(" ".join(events[c].astype(str)) for c in columns)
    return frozenset(LATIN_WORD.findall(text))


def english_words(text: str) -> set[str]:
    """The Latin words of ``text`` that are neither data nor proper names."""
    allowed = data_words() | PROPER_NAMES
    words = LATIN_WORD.findall(text)
    return {w for w in words if w not in allowed and w.strip("'’") not in allowed}


def visible_text(page) -> str:
    """The page's visible text with each tab opened in turn, and the map iframe's text.

    Icons are drawn from ligatures of their names (``upload``): those names are not words a
    reader sees, so they are left out.
    """
    page.add_style_tag(content="[data-testid='stIconMaterial'] { display: none !important; }")
    texts = [page.locator("section[data-testid='stSidebar']").inner_text()]
    for tab in range(page.locator(TABS).count()):
        page.locator(TABS).nth(tab).click()
        wait_idle(page)
        texts.append(page.locator("[data-testid='stMain']").inner_text())
    frame = page.frame_locator(MAP_IFRAME)
    texts.append(frame.locator("body").inner_text())
    texts.append(" ".join(frame.locator("[title], [aria-label]").evaluate_all(
        "els => els.map(e => (e.title || '') + ' ' + (e.getAttribute('aria-label') || ''))"
    )))
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_page_and_the_map_show_no_english_ui_word(page, app_url, lang):
    open_app(page, f"{app_url}/?lang={lang}")
    wait_idle(page)
    first_page = page.locator("[data-testid='stMain']").inner_text()  # before any click
    text = visible_text(page)
    script = "[\uac00-\ud7a3]" if lang == "ko" else "[\u4e00-\u9fff]"
    assert len(re.findall(script, text)) > 200, text[:2000]
    assert not english_words(text), sorted(english_words(text))
    # The timeline and the table are drawn by their fragments' own run after the map's first
    # report (webapp.page_order), which does not run the page's script: in the page's language
    # too. Their words are common English ones the data also hold, so they are named here.
    assert "records, one line per event" not in first_page, first_page[-600:]
    for english in ("Forced return", "Map: ", "People"):
        assert english not in first_page and english not in text, english
    # Streamlit's upload box, worded by the app's CSS in place of Streamlit's English
    drawn = page.locator("[data-testid='stFileUploaderDropzoneInstructions'] div").first.evaluate(
        "e => getComputedStyle(e, '::after').content"
    )
    assert ("파일당 최대 20 MB" if lang == "ko" else "每个文件最大20 MB") in drawn, drawn


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_offline_html_export_shows_no_english_ui_word(browser, tmp_path, lang):
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference import load_reference
    from geo.view import ViewParams
    from render.exports.html import export_html
    from tests.factories import shipped_validation

    regions = load_reference()
    data = build_view(join_events(shipped_validation().events, regions), ViewParams(lang=lang))
    out = export_html(data, regions, tmp_path / "map.html")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-overlay-pane path")
        text = page.locator("body").inner_text() + " ".join(
            page.locator("[title], [aria-label]").evaluate_all(
                "els => els.map(e => (e.title || '') + ' ' + (e.getAttribute('aria-label') || ''))"
            )
        )
    finally:
        context.close()
    assert not english_words(text), sorted(english_words(text))


def test_a_korean_browser_opens_the_app_in_korean_and_the_link_keeps_it(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    try:
        page = context.new_page()
        open_app(page, app_url)
        wait_idle(page)
        page.wait_for_url(re.compile(r"[?&]lang=ko\b"), timeout=30_000)
        assert "사건 유형" in page.locator("section[data-testid='stSidebar']").inner_text()
    finally:
        context.close()


#: In the map's iframe: the Leaflet map's zoom and centre (folium names it ``map_<id>``).
MAP_STATE_JS = """(frame) => {
    const win = frame.contentWindow;
    const name = Object.keys(win).find(k => k.startsWith('map_') && win[k] && win[k].getZoom);
    const map = name && win[name];
    return map ? {zoom: map.getZoom(), lat: map.getCenter().lat.toFixed(3),
                  lng: map.getCenter().lng.toFixed(3)} : null;
}"""


def figure_numbers(page) -> list[str]:
    """The digits of the headline figures, in order (the words around them are translated)."""
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    return [" ".join(re.findall(r"\d[\d,]*", v)) for v in values]


def test_switching_language_keeps_the_view_its_figures_and_the_zoom(page, app_url):
    view = "start=2023-01-01&end=2024-12-31&types=forced_return,detention"
    open_app(page, f"{app_url}/?{view}&lang=en")
    wait_idle(page)
    frame = page.locator(MAP_IFRAME)
    page.frame_locator(MAP_IFRAME).locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(1_000)
    wait_idle(page)
    before = frame.evaluate(MAP_STATE_JS)
    figures = figure_numbers(page)
    choose(page, "lang", "한국어")  # the map's zoom report reruns the page
    page.wait_for_url(re.compile(r"[?&]lang=ko\b"), timeout=30_000)
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"]').innerText"
        ".includes('사건 유형')"
    )
    link = unquote(page.url)
    for param in ("start=2023-01-01", "end=2024-12-31", "types=forced_return,detention"):
        assert param in link
    assert figure_numbers(page) == figures
    frame_js = f"document.querySelector('{MAP_IFRAME}')"
    page.wait_for_function(
        f"() => ({MAP_STATE_JS})({frame_js})?.zoom === {before['zoom']}", timeout=30_000
    )
    after = frame.evaluate(MAP_STATE_JS)
    # The same zoom, and the same centre to within a pixel (the new map's container is sized
    # above its control bar anew, render.webmap.layout).
    assert after["zoom"] == before["zoom"]
    assert abs(float(after["lat"]) - float(before["lat"])) < 0.004
    assert abs(float(after["lng"]) - float(before["lng"])) < 0.004
