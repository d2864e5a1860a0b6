"""Dates typed from the keyboard (issue 14), in headless Chromium against ``streamlit run``.

A presenter clicks the "From" box, types ``2023-03-01``, then the "To" box and types
``2023-06-30``: the headline figures become those of ``border-map summary`` for that range,
the address bar carries the range and the preset reads "Custom range".
"""

from __future__ import annotations

import pytest

from tests.e2e.steps import wait_idle
from tests.e2e.test_app_e2e import expected_figures, open_app, wait_for_figures

pytestmark = pytest.mark.e2e


def type_date(page, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into the focused date input, then Tab out of it.

    Streamlit's date input is one field of three parts (year, month, day): each part, once
    full, moves the keyboard to the next. The date is committed when the focus leaves the
    widget: Tab goes to its calendar button, a second Tab to the next widget.
    """
    page.keyboard.type(day, delay=40)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")


def test_typing_two_dates_shows_the_figures_of_that_range(page, app_url):
    open_app(page, app_url)
    wait_idle(page)
    page.locator(".st-key-date_from [role=spinbutton][data-type=year]").focus()
    type_date(page, "2023-03-01")  # and on to the "To" box's year
    page.wait_for_function("() => location.search.includes('start=2023-03-01')", timeout=30_000)
    wait_idle(page)
    assert page.evaluate("document.activeElement.getAttribute('data-type')") == "year"
    type_date(page, "2023-06-30")
    wait_for_figures(page, expected_figures("2023-03-01", "2023-06-30"))
    assert "start=2023-03-01" in page.url and "end=2023-06-30" in page.url
    assert page.locator(".st-key-date_from input[type=date]").input_value() == "2023-03-01"
    assert page.locator(".st-key-date_to input[type=date]").input_value() == "2023-06-30"
    assert "Custom range" in page.locator(".st-key-preset").inner_html()
    assert page.watch.blocked == []
