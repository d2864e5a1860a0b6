"""Stories in the browser (issue 14): make one, reopen it after a restart, present, export.

One test, few page loads: three slides made from the sidebar's presets, the story's link opened
on a restarted server, the three exports downloaded, then presented and stepped with Page Down
(the key a presentation clicker sends). The downloaded slideshow is opened in Chromium with
every request but the file's own blocked.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from pptx import Presentation
from pypdf import PdfReader

from render.exports.story import slide_counter
from tests.e2e.steps import choose, wait_idle
from tests.e2e.test_app_e2e import (
    MAP_CONTENT_JS,
    MAP_IFRAME,
    expected_figures,
    open_app,
    wait_for_figures,
)
from tests.e2e.test_presenting_layout_e2e import wait_map_fills_window
from webapp.stories import FORMAT_LABELS

pytestmark = pytest.mark.e2e
#: (preset, start, end, title, caption) of the three slides, in the story's order.
SLIDES = (
    ("2023", "2023-01-01", "2023-12-31", "In 2023 <b>", "Mass return.\nAt least 500 people."),
    ("2024", "2024-01-01", "2024-12-31", "Returns in 2024", "Hyesan, Tumen and Dandong."),
    ("2021", "2021-01-01", "2021-12-31", "Returns in 2021", "The border closed to trade."),
)  # fmt: skip


def choose_preset(page, preset: str, start: str, end: str, attempts: int = 3) -> None:
    """Choose the date preset and wait for its figures, choosing again if they do not come.

    On a loaded machine a choice made while the previous slide's reruns were still arriving
    was once lost (the figures and the link kept the old dates for a minute, in CI); the
    choice is made again (after "Custom range" if the box shows it already).
    """
    for attempt in range(attempts):
        choose(page, "preset", preset)
        try:
            wait_for_figures(page, expected_figures(start, end), timeout=30_000)
            return
        except PlaywrightTimeoutError:
            shown = page.locator(".st-key-preset").inner_text()
            print(f"preset {preset!r} not applied (attempt {attempt + 1}); box shows {shown!r}")
            if attempt == attempts - 1:
                raise
            if preset in shown:  # choosing what the box shows would change nothing
                choose(page, "preset", "Custom range")


def add_slide(page, number: int, preset: str, start: str, end: str, title: str, caption: str):
    choose_preset(page, preset, start, end)
    page.locator(".st-key-slide_title input").fill(title)
    page.locator(".st-key-slide_title input").press("Tab")  # commits it, on to the caption
    page.locator(".st-key-slide_caption textarea").fill(caption)
    page.locator(".st-key-slide_caption textarea").press("Tab")
    wait_idle(page)
    page.locator(".st-key-story_add button").click()
    page.wait_for_function(f"() => location.search.includes('slide={number}')", timeout=30_000)
    # The link changes before the panel's rerun lists the new slide: wait for the list.
    expect(page.locator(".st-key-story_panel").get_by_text(title, exact=True)).to_have_count(
        1, timeout=30_000
    )


def download(page, fmt: str, folder) -> str:
    """Make the story file in ``fmt`` from the panel and return the downloaded file's path."""
    choose(page, "story_format", FORMAT_LABELS[fmt])
    wait_idle(page)
    page.locator(".st-key-story_make button").click()
    button = page.locator(".st-key-story_download button")
    button.get_by_text(f"story.{fmt}").wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as made:
        button.click()
    path = folder / f"story.{fmt}"
    made.value.save_as(path)
    return str(path)


def map_total(page) -> str:
    """Return the map's running total (the time slider's figures), once the map is drawn."""
    page.wait_for_function(MAP_CONTENT_JS, timeout=60_000)
    return page.frame_locator(MAP_IFRAME).first.locator(".bem-total").inner_text()


def slide_heading(page, title: str) -> None:
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
    page.get_by_text(slide_counter(1 + [s[3] for s in SLIDES].index(title), 3)).wait_for()


def check_pdf(path: str) -> None:
    pages = [p.extract_text() for p in PdfReader(path).pages]
    assert len(pages) == 3  # a page per slide, each with its sources
    for number, (_preset, _start, _end, title, caption) in enumerate(SLIDES):
        assert title in pages[number] and caption.split("\n")[0] in pages[number]
        assert "Sources of the events shown:" in pages[number]


def check_pptx(path: str) -> None:
    deck = Presentation(path)
    assert len(deck.slides) == 3
    for slide, (_preset, _start, _end, title, caption) in zip(deck.slides, SLIDES, strict=True):
        assert slide.shapes.title.text == title
        assert any(caption in s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "sources of the" in slide.notes_slide.notes_text_frame.text
    assert "https://" in deck.slides[0].notes_slide.notes_text_frame.text


def check_html_offline(browser, path: str) -> None:
    """Open the slideshow with every request but the file blocked: three slides, three maps."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    requested: list[str] = []

    def only_the_file(route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "about:")):
            route.continue_()
        else:
            requested.append(url)
            route.abort()

    context.route("**/*", only_the_file)
    show = context.new_page()
    try:
        show.goto(f"file://{path}")
        assert show.locator("section.slide").count() == 3
        for number, (_preset, _start, _end, title, _caption) in enumerate(SLIDES, 1):
            section = show.locator("section.slide:not([hidden])")
            assert section.locator("h1").inner_text() == title
            assert section.locator(".count").inner_text() == slide_counter(number, 3)
            frame = section.frame_locator("iframe.map")
            frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=30_000)
            assert frame.locator(".bem-bar input[type=range]").count() == 1
            show.keyboard.press("PageDown")
        assert requested == []
    finally:
        context.close()


def wait_for_figure_line(page, figures: dict[str, str]) -> None:
    """Wait until presentation mode's line of figures reads ``figures``."""
    page.wait_for_function(
        """(want) => {
            const line = document.querySelector('.st-key-figure_line');
            return line && line.innerText.trim() === want;
        }""",
        arg=" · ".join(f"{label}: {value}" for label, value in figures.items()),
        timeout=60_000,
    )


@pytest.mark.restarts_app  # run after the other browser tests (tests/conftest.py)
def test_a_story_made_in_the_browser_survives_a_restart_presents_and_exports(
    page, app_server, browser, tmp_path
):
    open_app(page, app_server.url)
    page.locator(".st-key-story_panel summary").click()
    for number, slide in enumerate(SLIDES, 1):
        add_slide(page, number, *slide)
    story_id = re.search(r"story=([0-9a-f]{24})", page.url).group(1)

    app_server.restart()  # the story is saved in the workspace, which the new server reads
    open_app(page, f"{app_server.url}/?story={story_id}")
    wait_for_figures(page, expected_figures("2023-01-01", "2023-12-31"))
    panel = page.locator(".st-key-story_panel")
    for _preset, _start, _end, title, _caption in SLIDES:
        expect(panel.get_by_text(title, exact=True)).to_have_count(1, timeout=30_000)

    files = {fmt: download(page, fmt, tmp_path) for fmt in ("html", "pdf", "pptx")}
    check_pdf(files["pdf"])
    check_pptx(files["pptx"])
    check_html_offline(browser, files["html"])

    page.locator(".st-key-story_present button").click()
    page.wait_for_function("() => location.search.includes('present=1')", timeout=30_000)
    slide_heading(page, SLIDES[0][3])
    page.get_by_text(SLIDES[0][4].split("\n")[1]).wait_for()
    wait_map_fills_window(page)  # below the slide's title and two lines of caption
    before = map_total(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    # ←/→ and space go to the map's presenter (defined by the map; a stand-in here); keys
    # typed into a field are left alone.
    calls = page.evaluate(
        f"""() => {{
            const win = document.querySelector('{MAP_IFRAME}').contentWindow;
            win.bemPresenter = {{calls: [], step(n) {{ this.calls.push(n); }},
                                 togglePlay() {{ this.calls.push('play'); }}}};
            const press = (target, key) => {{
                const event = new KeyboardEvent('keydown', {{key, bubbles: true,
                                                              cancelable: true}});
                target.dispatchEvent(event);
                return event.defaultPrevented;
            }};
            const field = document.querySelector('.st-key-slide_title input')
                || document.body.appendChild(document.createElement('input'));
            return [press(document.body, 'ArrowRight'), press(document.body, ' '),
                    press(document.body, 'ArrowLeft'), press(field, 'PageDown'),
                    win.bemPresenter.calls];
        }}"""
    )
    assert calls == [True, True, True, False, [1, "play", -1]]

    page.keyboard.press("PageDown")
    slide_heading(page, SLIDES[1][3])
    wait_for_figure_line(page, expected_figures("2024-01-01", "2024-12-31"))
    assert f"story={story_id}" in page.url and "slide=2" in page.url
    page.wait_for_function(
        f"""(before) => {{
            const frame = document.querySelector('{MAP_IFRAME}');
            const total = frame && frame.contentDocument.querySelector('.bem-total');
            return total && total.innerText && total.innerText !== before;
        }}""",
        arg=before,
        timeout=60_000,
    )  # the map's figures are the new slide's
    assert page.watch.blocked == []
