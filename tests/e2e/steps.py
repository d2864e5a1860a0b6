"""A user's steps in the browser, made again when the page drops them, as a user would.

Streamlit 1.67 redraws a widget when a run of the page or of its fragment reaches the browser.
An input landing in that moment can be lost: a list just opened closes, a click or a file
given to the uploader never reaches the server, an element is replaced as it is clicked, a
slider's thumb springs back when released. The map's reports (its extent once drawn, a pan,
the slider) start such runs at any time. A user sees nothing happen and does it again; so do
these tests, each step with the effect it waits for, and fail when the effect never follows.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError

#: How long a step's effect is waited for before the step is made again (ms).
STEP_MS = 15_000
#: The media type the browser gives a file, by its name's extension.
MIME = {"csv": "text/csv", "geojson": "application/geo+json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def wait_idle(page) -> None:
    """Wait until the script run has finished (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-test-script-state]');
            const state = app && app.getAttribute('data-test-script-state');
            return state && !['initial', 'running', 'rerunRequested'].includes(state);
        }""",
        timeout=300_000,
    )


def retried(page, step: Callable[[], None], attempts: int = 4) -> None:
    """Run ``step`` (an input and the wait for its effect) once the page is idle; again if it fails.

    A step fails by raising Playwright's error: its effect did not follow in time, or the
    element it used was replaced or hidden by a redraw. The last attempt's error is raised.
    """
    for attempt in range(attempts):
        wait_idle(page)
        try:
            step()
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise


def choose(page, key: str, option: str, *, exact: bool = True) -> None:
    """Pick ``option`` in the select box of widget ``key`` (``exact=False``: a part of it).

    A rerun can close the list just opened before the option is clicked: it is opened again.
    """

    def pick() -> None:
        page.locator(f".st-key-{key}").click()
        page.get_by_role("option", name=option, exact=exact).click(timeout=10_000)

    retried(page, pick)


def upload(page, name: str, data: bytes) -> None:
    """Give ``data`` to the sidebar's uploader as the file ``name``; until the uploader lists it.

    It returns once the browser holds the file, before the app has read it.
    """
    payload = {"name": name, "mimeType": MIME[name.rsplit(".", 1)[1]], "buffer": data}
    uploader = page.locator(".st-key-upload")

    def give() -> None:
        uploader.locator("input[type=file]").set_input_files(files=[payload])
        # The chip shows a long name cut in the middle; its title holds the whole name.
        uploader.get_by_test_id("stFileChipName").and_(
            uploader.get_by_title(name, exact=True)
        ).wait_for(timeout=STEP_MS)

    retried(page, give)


def open_tab(page, name: str) -> None:
    """Open the page's tab ``name``: until its panel shows, clicked again if a redraw lost it."""

    def click() -> None:
        page.get_by_role("tab", name=name).click(timeout=STEP_MS)
        page.get_by_role("tabpanel", name=name).wait_for(timeout=STEP_MS)

    retried(page, click)


def drag_start_thumb(page, fraction: float) -> None:
    """Drag the date slider's start thumb to ``fraction`` of the track and release it, once."""
    wait_idle(page)
    slider = page.locator(".st-key-date_range")
    slider.scroll_into_view_if_needed()
    box, thumb_box = slider.bounding_box(), slider.get_by_role("slider").first.bounding_box()
    assert box is not None and thumb_box is not None
    y = thumb_box["y"] + thumb_box["height"] / 2
    # The thumb's box also spans its value label; grab it near its left edge.
    page.mouse.move(thumb_box["x"] + 4, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
    page.mouse.up()


def drag_slider(page, fraction: float, attempts: int = 3) -> None:
    """Drag the date slider's start thumb to ``fraction``; again if it springs back.

    A run of the page that starts while the thumb is held redraws the slider, and the browser
    then drops the drag: the thumb shows its old date, and a user drags again.
    """
    slider = page.locator(".st-key-date_range")
    start = slider.inner_text()
    for _attempt in range(attempts):
        drag_start_thumb(page, fraction)
        wait_idle(page)
        page.wait_for_timeout(1_000)  # the run the drag started may begin only now
        wait_idle(page)
        if slider.inner_text() != start:
            return
    raise AssertionError(f"the slider kept {start!r} after {attempts} drags")
