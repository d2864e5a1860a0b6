"""End to end (issue 12): an overlap view says its totals do not add up; returns by province.

One page load: the app opened on a link to 2023 counted by overlap shows the one-line note
naming the event that runs past the year, and the headline's returns from Jilin and from
Liaoning (and from a province not known) as the command line's code path words them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.test_app_e2e import open_app, shown_figures

pytestmark = pytest.mark.e2e
QUERY = "?match=overlap&start=2023-01-01&end=2023-12-31"


def expected_view():
    from geo.pipeline import build_view, load_shipped_dataset
    from geo.view import ViewParams

    view = ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), match="overlap")
    return build_view(load_shipped_dataset().events, view).summary


def test_overlap_link_shows_the_note_and_the_returns_by_province(page, app_url):
    from render.wording import overlap_note
    from webapp.figures import headline_figures

    summary = expected_view()
    open_app(page, app_url.rstrip("/") + "/" + QUERY)
    figures = shown_figures(page)
    assert figures == headline_figures(summary)
    for label in ("Returned from Jilin", "Returned from Liaoning", "Chinese province not known"):
        assert figures[label], label
    # The mass return of 9 October 2023 (placed by its claims): from both provinces, once in all.
    assert figures["Returned from Jilin"] == figures["Returned from Liaoning"] == (
        "at least 500 (1 event)"
    )
    assert summary.returned_from["CN-JL"].shared_events == 1
    assert summary.returned.events == summary.events == 4
    note = page.locator('.st-key-overlap_note [data-testid="stMarkdownContainer"]').inner_text()
    note = note.strip()
    assert note == overlap_note(summary.match, summary.spanning)
    assert "totals of neighbouring ranges do not add up" in note
    assert "Women detained in Inner Mongolia" in note
    assert page.get_by_text("By year and Chinese province").count() == 1
    assert page.watch.blocked == []
