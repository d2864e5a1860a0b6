"""The events table of a view for publication shows none of the withheld text (issue 16)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

MARKER = "SECRET-NAME-김철수"


def _table_page(publication: bool) -> None:
    """An app page drawing the events table of a view, withheld for publication or not."""
    from geo.pipeline import build_view
    from geo.reference.schema import SENSITIVE_COLUMNS
    from geo.view import ViewParams
    from geo.withhold import withhold_view
    from tests.factories import make_events
    from webapp.events_table import render_events_table

    marker = "SECRET-NAME-김철수"
    text = {c: f"{c} of {marker}" for c in SENSITIVE_COLUMNS}
    text["source_url"] = "https://example.org/SECRET-NAME"
    events = make_events([
        {"event_id": "a", "date_start": "2023-05-01", "count_best": 3, **text},
        {"event_id": "b", "same_event_as": "a", "date_start": "2023-05-01", "count_best": 30},
    ])  # fmt: skip
    data = build_view(events, ViewParams())
    if publication:
        data = withhold_view(data, SENSITIVE_COLUMNS)
    render_events_table(data.events, {}, None, data.view, events, data.withheld)


@pytest.mark.parametrize("publication", [True, False])
def test_the_table_of_a_view_for_publication_lacks_the_withheld_text(publication):
    page = AppTest.from_function(_table_page, args=(publication,), default_timeout=60).run()
    assert not page.exception
    frame = page.dataframe[0].value
    cells = " ".join(str(v) for v in frame.to_numpy().ravel())
    captions = " ".join(c.value for c in page.caption)
    if publication:
        assert "SECRET-NAME" not in cells and "김철수" not in cells
        assert "Withheld for publication: Count in the source's words (count_text)" in captions
        assert list(frame["Event id"]) == ["a"] and "disagree" in frame["Conflicting claims"][0]
    else:
        assert MARKER in cells and "Withheld" not in captions
