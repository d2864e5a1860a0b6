"""End to end: Korean map labels render with the app's own CJK web font on a machine with none.

Chromium runs with a fontconfig that lists only DejaVu, so no system CJK font is visible; the
map's Hangul can only come from the Noto Sans CJK subset the app serves (``render.webmap.fonts``)
or, in the offline HTML export, the subset embedded in the file.
"""

from __future__ import annotations

import io
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from render.webmap.fonts import cjk_characters
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_app_e2e import MAP_IFRAME, open_app

pytestmark = pytest.mark.e2e
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")
FAMILY = "BEM Noto Sans CJK KR"
SCREENSHOT = Path("/tmp/cjk_font.png")
#: In a document: whether the web family is loaded and has the glyphs of a Korean label.
FONT_STATE_JS = f"""(doc) => {{
    const faces = [...doc.fonts].filter(f => f.family.replace(/"/g, '') === '{FAMILY}');
    return {{
        loaded: faces.some(f => f.status === 'loaded'),
        check: faces.length > 0 && doc.fonts.check('16px "{FAMILY}"', '단둥'),
        label: [...doc.querySelectorAll('.bem-label')].map(e => e.innerText).join('|'),
        family: doc.querySelector('.bem-label') ?
            doc.defaultView.getComputedStyle(doc.querySelector('.bem-label')).fontFamily
            : '',
    }};
}}"""
FRAME_DOC_JS = f"document.querySelector('{MAP_IFRAME}').contentDocument"


@pytest.fixture(scope="module")
def no_cjk_browser(browser, tmp_path_factory) -> Iterator[object]:
    """A second Chromium whose fontconfig lists only DejaVu (Latin): no CJK system font."""
    if not LATIN_FONTS.is_dir():
        pytest.skip(f"{LATIN_FONTS} is missing")
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{LATIN_FONTS}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env
    )
    yield chromium
    chromium.close()


def font_requests(page) -> list[str]:
    """Record the URL of every font the page (and its frames) requests."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if r.resource_type == "font" else None)
    return urls


def wait_for_font(page, document_js: str) -> dict:
    page.wait_for_function(f"() => ({FONT_STATE_JS})({document_js}).loaded", timeout=60_000)
    return page.evaluate(f"() => ({FONT_STATE_JS})({document_js})")


def test_korean_map_uses_the_served_font(no_cjk_browser, app_url):
    context = no_cjk_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requested = font_requests(page)
        open_app(page, f"{app_url}/?lang=ko")
        state = wait_for_font(page, FRAME_DOC_JS)
        assert state["check"], state
        assert "단둥" in state["label"] and state["family"].startswith(f'"{FAMILY}"'), state
        cjk = [url for url in requested if "/app/static/vendor/fonts/cjk-ko-" in url]
        assert cjk and all(url.startswith(app_url) for url in cjk), requested
        page.locator(MAP_IFRAME).screenshot(path=str(SCREENSHOT))
    finally:
        context.close()


def test_offline_export_embeds_the_font(no_cjk_browser, tmp_path):
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference import load_reference
    from geo.view import ViewParams
    from render.exports.html import export_html
    from tests.factories import shipped_validation

    regions = load_reference()
    data = build_view(join_events(shipped_validation().events, regions), ViewParams(lang="ko"))
    out = export_html(data, regions, tmp_path / "map.html")
    context = no_cjk_browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    try:
        page = context.new_page()
        requested = font_requests(page)
        page.goto(out.as_uri())
        state = wait_for_font(page, "document")
        assert state["check"] and "단둥" in state["label"], state
        assert all(url.startswith("data:font/") for url in requested), requested
        page.screenshot(path=str(SCREENSHOT.with_name("cjk_font_export.png")))
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "sample"), [("ko", "사건 유형"), ("zh", "事件类型")])
def test_the_page_outside_the_map_uses_the_served_font(no_cjk_browser, app_url, lang, sample):
    context = no_cjk_browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requested = font_requests(page)
        open_app(page, f"{app_url}/?lang={lang}")
        page.wait_for_function(
            """([sample]) => document.fonts.check('16px "BEM Noto Sans CJK"', sample)
                && [...document.fonts].some(f => f.family.replace(/"/g, '') === 'BEM Noto Sans CJK'
                                                 && f.status === 'loaded')""",
            arg=[sample],
            timeout=60_000,
        )
        sidebar = page.locator("section[data-testid='stSidebar']")
        assert sample in sidebar.inner_text()
        family = sidebar.locator("label").first.evaluate("e => getComputedStyle(e).fontFamily")
        assert "BEM Noto Sans CJK" in family, family
        page_fonts = [url for url in requested if f"/cjk-page-{lang}-" in url]
        assert page_fonts and all(url.startswith(app_url) for url in page_fonts), requested
        # every Hangul or Han character the page shows has its glyph in the served subset
        with urllib.request.urlopen(page_fonts[-1]) as response:
            cmap = TTFont(io.BytesIO(response.read())).getBestCmap()
        shown = cjk_characters(page.locator("body").inner_text())
        assert len(shown) > 100 and not [c for c in shown if ord(c) not in cmap], shown
        page.screenshot(path=str(SCREENSHOT.with_name(f"cjk_font_page_{lang}.png")))
    finally:
        context.close()
