"""The map's layout for screens and projectors, in the app, on the shipped data (issue 14).

At 1400×1000 and 1920×1080, in normal and presentation mode: every event symbol's centre is
on screen, inside the map and not under a control (``elementFromPoint`` there finds an event
symbol, in the map's page and in the app's page), also with the legend open; no two visible
place labels overlap, nor does one lie under a map control (credits, scale, legend); the
basemap's land box covers the whole map (no bands of empty sea); the control bar lies below
the map; the scale bar and credits are on screen. A web basemap
whose tiles cannot load says so and switches to the offline basemap; keys and
``window.bemPresenter`` drive the slider. Screenshots go to /tmp/layout/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from render import symbology as sym
from render.webmap.layers.tiles import TILE_WAIT_MS
from tests.e2e.steps import wait_idle
from tests.e2e.test_app_e2e import MAP_IFRAME, expected_figures

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/layout")
SIZES = [(1400, 1000), (1920, 1080)]
#: In the map's page: what the layout checks need, measured in one step.
LAYOUT_JS = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const box = map.getContainer().getBoundingClientRect();
    const rect = e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const symbols = [...document.querySelectorAll('path.bem-event')].map(p => {
        const r = p.getBoundingClientRect();
        const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        const hit = document.elementFromPoint(x, y);
        return {x, y, own: hit === p,
                symbol: !!hit && hit.classList.contains('bem-event'),
                control: !!hit && !!hit.closest('.leaflet-control, .bem-bar')};
    });
    const land = L.latLngBounds([]);
    map.eachLayer(l => { if (l.feature && l.options.className === 'bem-land')
        land.extend(l.getBounds()); });
    const nw = map.latLngToContainerPoint(land.getNorthWest());
    const se = map.latLngToContainerPoint(land.getSouthEast());
    const labels = [...document.querySelectorAll('.bem-label')]
        .filter(e => e.style.display !== 'none').map(e => [e.textContent, rect(e)]);
    const controls = [...document.querySelectorAll('.leaflet-control')]
        .filter(e => e.offsetWidth && e.offsetHeight).map(e => [e.className, rect(e)]);
    return {map: rect(map.getContainer()), bar: rect(document.querySelector('.bem-bar')),
            scale: rect(document.querySelector('.leaflet-control-scale')),
            credits: rect(document.querySelector('.leaflet-control-attribution')),
            symbols, labels, controls, land: {left: nw.x, top: nw.y, right: se.x, bottom: se.y},
            size: map.getSize(), zoom: map.getZoom(), centre: map.getCenter(),
            maps: Object.values(window).filter(v => v instanceof L.Map).length,
            bars: document.querySelectorAll('.bem-bar').length};
}"""


def open_map(page, url: str):
    """Open ``url``, wait for the map and its labels; return the map's frame."""
    page.goto(url)
    page.frame_locator(MAP_IFRAME).locator(".bem-bar").wait_for(timeout=60_000)
    wait_idle(page)
    frame = page.locator(MAP_IFRAME).element_handle().content_frame()
    frame.wait_for_function(
        "() => [...document.querySelectorAll('.bem-label')].some(e => e.style.display !== 'none')"
    )
    return frame


def wait_map_fills_window(page) -> None:
    """Wait until the map's frame ends a few pixels above the window's foot (presenting)."""
    page.wait_for_function(
        f"""() => {{
            const box = document.querySelector('{MAP_IFRAME}').getBoundingClientRect();
            return box.bottom <= innerHeight && box.bottom >= innerHeight - 24;
        }}""",
        timeout=15_000,
    )


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes overlap by more than half a pixel."""
    across = a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
    return across and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


def inside(r: dict, outer: dict) -> bool:
    """Whether box ``r`` lies inside ``outer`` (half a pixel of rounding allowed)."""
    across = r["left"] >= outer["left"] - 0.5 and r["right"] <= outer["right"] + 0.5
    return across and r["top"] >= outer["top"] - 0.5 and r["bottom"] <= outer["bottom"] + 0.5


def check_symbols(page, frame, state: dict) -> None:
    """Every symbol's centre: inside the map and the window, on an event symbol, not a control."""
    offset = page.locator(MAP_IFRAME).bounding_box()
    window = page.viewport_size
    assert len(state["symbols"]) >= 10
    for s in state["symbols"]:
        m = state["map"]
        assert m["left"] <= s["x"] <= m["right"] and m["top"] <= s["y"] <= m["bottom"], (
            s,
            state["zoom"],
            state["centre"],
            state["size"],
            state["maps"],
            state["bars"],
        )
        assert s["symbol"] and not s["control"], s
        x, y = offset["x"] + s["x"], offset["y"] + s["y"]
        assert 0 <= x <= window["width"] and 0 <= y <= window["height"], s
        on_page = page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [x, y])
        assert on_page == "IFRAME", s  # not under Streamlit's header or anything else
    # Symbols spread around a shared place may overlap; most centres show their own symbol.
    assert sum(s["own"] for s in state["symbols"]) >= 0.75 * len(state["symbols"])


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenting"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_map_layout_keeps_the_data_clear_and_on_screen(browser, app_url, size, present):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        frame = open_map(page, app_url + ("/?present=1" if present else "/"))
        if present:  # sized to the window below what is above it, measured in the browser
            wait_map_fills_window(page)
        page.locator(MAP_IFRAME).scroll_into_view_if_needed()
        state = frame.evaluate(LAYOUT_JS)
        check_symbols(page, frame, state)

        labels = state["labels"]
        assert len(labels) >= 8
        for i, (name, a) in enumerate(labels):
            for other, b in labels[i + 1 :]:
                assert not overlap(a, b), (name, other)
        assert len(state["controls"]) >= 3  # attribution, scale, legend at least
        for name, a in labels:  # no place name under the attribution, scale bar or legend
            for control, b in state["controls"]:
                assert not overlap(a, b), (name, control)

        land, width, height = state["land"], state["size"]["x"], state["size"]["y"]
        assert land["left"] <= 0 and land["right"] >= width, land  # no band at either side
        assert land["top"] <= 0 and land["bottom"] >= height, land

        assert state["bar"]["top"] >= state["map"]["bottom"] - 0.5  # the bar is below the map
        offset = page.locator(MAP_IFRAME).bounding_box()
        window = {"left": 0, "top": 0, "right": size[0], "bottom": size[1]}
        for control in ("scale", "credits"):
            r = state[control]
            on_page = {k: r[k] + (offset["x"] if k in ("left", "right") else offset["y"])
                       for k in r}  # fmt: skip
            assert inside(on_page, window), (control, on_page)
        SHOTS.mkdir(exist_ok=True)
        name = f"{size[0]}x{size[1]}_{'presenting' if present else 'normal'}"
        page.screenshot(path=str(SHOTS / f"{name}.png"))

        # The legend, opened, covers no event either: the map fits again around it.
        frame.locator(".bem-legend summary").click()
        frame.wait_for_function("() => document.querySelector('.bem-legend details').open")
        frame.wait_for_timeout(300)
        check_symbols(page, frame, frame.evaluate(LAYOUT_JS))
        page.screenshot(path=str(SHOTS / f"{name}_legend.png"))
    finally:
        context.close()


#: In the app's page: the presentation's line of figures, measured. Every line box of its text
#: (``Range.getClientRects``) and the paragraph itself, the map's frame top, and the window.
FIGURE_LINE_JS = f"""() => {{
    const p = document.querySelector('.st-key-figure_line p');
    const range = document.createRange();
    range.selectNodeContents(p);
    const rect = r => ({{left: r.left, top: r.top, right: r.right, bottom: r.bottom}});
    return {{text: p.innerText, scrollWidth: p.scrollWidth, clientWidth: p.clientWidth,
            scrollHeight: p.scrollHeight, clientHeight: p.clientHeight,
            box: rect(p.getBoundingClientRect()),
            lines: [...range.getClientRects()].filter(r => r.width > 0).map(rect),
            mapTop: document.querySelector('{MAP_IFRAME}').getBoundingClientRect().top,
            window: {{left: 0, top: 0, right: innerWidth, bottom: innerHeight}}}};
}}"""


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_the_whole_figure_line_is_readable_on_a_projector(browser, app_url, lang):
    """At 1024×768 the line of figures wraps (it was cut off after Jilin), the map below it."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        open_map(page, f"{app_url}/?present=1&lang={lang}")
        wait_map_fills_window(page)
        state = page.evaluate(FIGURE_LINE_JS)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"1024x768_presenting_{lang}.png"))
        text = " ".join(state["text"].split())
        for label, value in expected_figures(lang=lang).items():
            assert label in text and value in text, (label, value, text)
        assert state["scrollWidth"] <= state["clientWidth"], state  # nothing cut at the right
        assert state["scrollHeight"] <= state["clientHeight"] + 1, state
        assert len(state["lines"]) >= 2, state  # too wide for one line at 1024 px: wrapped
        for line in state["lines"]:  # every piece of the text lies in the paragraph and window
            assert inside(line, state["box"]) and inside(line, state["window"]), (line, state)
            assert line["bottom"] <= state["mapTop"] + 0.5, (line, state)  # above the map
    finally:
        context.close()


def test_unreachable_tiles_say_so_and_switch_to_the_offline_basemap(page, app_url):
    # The page fixture aborts every non-local request: the OpenStreetMap tiles cannot load.
    frame = open_map(page, app_url + "/?basemap=osm")
    notice = frame.locator(".bem-tile-notice")
    expect(notice).to_be_visible(timeout=TILE_WAIT_MS + 2_000)  # within 5 s of the map
    assert "could not be loaded" in notice.inner_text()
    assert frame.locator(".leaflet-tile-pane .leaflet-layer").count() == 1
    notice.get_by_role("button", name="Use the offline basemap").click()
    expect(notice).to_have_count(0)
    assert frame.locator(".leaflet-tile-pane .leaflet-layer").count() == 0
    fills = frame.evaluate(
        """() => [...document.querySelectorAll('path.bem-land')]
                 .map(p => [p.getAttribute('fill'), p.getAttribute('fill-opacity')])"""
    )
    assert [sym.LAND_COLOUR, "1"] in fills and [sym.OTHER_LAND_COLOUR, "1"] in fills
    page.screenshot(path=str(SHOTS / "tiles_offline.png"))

    # Keys in the map's page step the slider and play; window.bemPresenter does the same.
    date = frame.locator(".bem-date")
    last = date.inner_text()
    frame.locator(".bem-live").click()  # focus the map's page, on no form control
    page.keyboard.press("ArrowLeft")
    expect(date).not_to_have_text(last)
    page.keyboard.press("ArrowRight")
    expect(date).to_have_text(last)
    page.keyboard.press(" ")
    expect(frame.locator(".bem-play")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press(" ")
    expect(frame.locator(".bem-play")).to_have_attribute("aria-pressed", "false")
    frame.evaluate("() => window.bemPresenter.setDate('2021-12-31')")
    assert "2021" in date.inner_text()
    frame.evaluate("() => window.bemPresenter.step(1)")
    assert "2021" not in date.inner_text()
    frame.evaluate("() => window.bemPresenter.togglePlay()")
    expect(frame.locator(".bem-play")).to_have_attribute("aria-pressed", "true")
