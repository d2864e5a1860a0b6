"""The events table on the page: the first lines of a long view, and where all of them are."""

import pytest
from streamlit.testing.v1 import AppTest

from webapp.events_table import MAX_ROWS


def _table_page(n: int) -> None:
    """An app page drawing the events table of ``n`` events, each with one claim."""
    from geo.view import ViewParams
    from tests.factories import make_events
    from webapp.events_table import render_events_table

    refs = [{"date_start": "2020-01-01", "event_id": f"e{i}"} for i in range(n)]
    claims = [{**r, "event_id": f"c{i}", "same_event_as": f"e{i}"} for i, r in enumerate(refs)]
    events = make_events(refs + claims)
    render_events_table(events, {}, None, ViewParams(), events)


@pytest.mark.parametrize("extra", [0, 25])
def test_the_page_gets_the_first_lines_of_a_long_table_and_where_all_are(extra):
    page = AppTest.from_function(_table_page, args=(MAX_ROWS + extra,), default_timeout=60).run()
    frame = page.dataframe[0].value
    assert len(frame) == MAX_ROWS and list(frame["Event id"][:2]) == ["e0", "e1"]
    assert (frame["Other claims"] == 1).all()
    assert page.caption[0].value.startswith(f"{MAX_ROWS + extra:,} records")
    notes = [info.value for info in page.info]
    if extra:
        assert notes == [
            f"The table shows the first {MAX_ROWS} of {MAX_ROWS + extra:,} records; the CSV and "
            "Excel files of the 'Export' tab have all of them."
        ]
    else:
        assert notes == []
