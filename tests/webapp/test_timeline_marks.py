"""Every counted event has a mark on the timeline that can be seen, clear of the chart's edges.

The chart's spec is measured as Vega-Lite would draw it on a narrow chart (:data:`WIDTH`): a
span's bar from its first to its last day plus its offsets, a point mark by its size scale.
On the shipped data's default view three events were drawn as spans of no length (known by one
day, their other end unknown: "from 26 October 2004", "until 17 January 2013", "until 2 December
2018"), so nothing showed, and the first sat on the chart's left edge, before the first year on
its axis.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from geo.view import ViewParams
from tests.factories import make_events, shipped_events
from webapp.timeline import tick_rows, timeline_chart, timeline_events

#: A narrow chart (pixels): a phone, or a window beside the sidebar.
WIDTH = 600
#: The least width (pixels) of a mark that can be seen.
VISIBLE_PX = 4
#: The events known to have been invisible (event id: what the chart's tooltip says).
WERE_HIDDEN = {
    "2004-10-26-forced-return-beijing-62-nysun": "from 26 October 2004",
    "2013-01-forced-return-yanji-12-women-chosun": "until 17 January 2013",
    "2018-11-forced-return-sinuiju-laborers-dailynk": "until 2 December 2018",
}


def _day(value: object) -> pd.Timestamp:
    if isinstance(value, dict):  # Vega-Lite DateTime (month 1-12)
        return pd.Timestamp(value["year"], value.get("month", 1), value.get("date", 1))
    return pd.Timestamp(str(value))


def _marks(spec: dict) -> dict[str, list[tuple[str, float, float]]]:
    """Return each event's marks (label -> [(mark type, left px, right px)]) at :data:`WIDTH`."""
    domain = next(
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer.get("encoding", {}).get("x", {})
    )
    d0, d1 = (_day(d) for d in domain)

    def px(day: object) -> float:
        return (_day(day) - d0) / (d1 - d0) * WIDTH

    out: dict[str, list[tuple[str, float, float]]] = {}
    for layer in spec["layer"]:
        rows = spec["datasets"].get(layer.get("data", {}).get("name"), [])
        mark = layer["mark"]
        for row in rows:
            if not row.get("label"):
                continue
            if mark["type"] == "bar":
                left = px(row["start"]) + mark.get("xOffset", 0)
                right = px(row["end"]) + mark.get("x2Offset", 0)
            elif mark["type"] in ("circle", "point"):
                least = layer["encoding"]["size"]["scale"]["range"][0]  # area, px²
                largest = layer["encoding"]["size"]["scale"]["range"][-1]
                assert least >= 20
                if mark["type"] == "point" and not mark.get("filled", False):
                    assert mark.get("strokeWidth", 1) >= 2  # a ring, not a hairline
                radius = math.sqrt(largest / math.pi)  # clear of the edge at any size
                left, right = px(row["start"]) - radius, px(row["start"]) + radius
            else:
                continue
            out.setdefault(row["label"], []).append((mark["type"], left, right))
    return out


def _counted_labels(refs: pd.DataFrame, spec: dict) -> set[str]:
    rows = [r for d in spec["datasets"].values() for r in d if r.get("label") and "row" in r]
    return {r["label"] for r in rows if r["row"] not in tick_rows()}


def _check_every_event_visible(refs: pd.DataFrame, spec: dict) -> dict[str, list]:
    marks = _marks(spec)
    counted = _counted_labels(refs, spec)
    assert counted
    for label in counted:
        assert label in marks, f"{label}: no mark"
        for kind, left, right in marks[label]:
            assert right - left >= VISIBLE_PX, (label, kind, right - left)
            assert 0 <= left and right <= WIDTH, (label, kind, left, right)  # not cut by an edge
    return marks


def test_every_counted_event_of_the_shipped_default_view_can_be_seen():
    events = shipped_events()
    refs = timeline_events(events, ViewParams())
    spec = timeline_chart(refs, None, None).to_dict()
    marks = _check_every_event_visible(refs, spec)
    dates = {r["label"]: r["date"] for d in spec["datasets"].values() for r in d if "date" in r}
    for label, date in WERE_HIDDEN.items():
        assert dates[label] == date
        assert [kind for kind, *_ in marks[label]] == ["point"]  # a ring at its one known day
    # The axis starts at a year, at or before the first event: no event left of its first year.
    domain = next(
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer.get("encoding", {}).get("x", {})
    )
    assert _day(domain[0]) == pd.Timestamp(2004, 1, 1)


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_short_spans_and_single_days_are_seen_on_a_long_axis(lang):
    from i18n import language

    rows = [
        {"event_id": "old", "date_start": "1990-01-01", "date_end": "1990-01-01"},
        {"event_id": "new", "date_start": "2025-06-30", "date_end": "2025-06-30"},
        {"event_id": "days", "date_start": "2010-03-01", "date_end": "2010-03-03",
         "date_precision": "period"},
        {"event_id": "from", "date_start": "2011-05-01", "date_end": "",
         "date_precision": "period"},
        {"event_id": "until", "date_start": "", "date_end": "2012-07-09",
         "date_precision": "period", "event_type": "detention"},
    ]  # fmt: skip
    with language(lang):
        refs = make_events(rows)
        spec = timeline_chart(refs, None, None).to_dict()
    marks = _check_every_event_visible(refs, spec)
    assert set(marks) == {"old", "new", "days", "from", "until"}
    assert marks["days"][0][0] == "bar"
    assert marks["until"][0][0] == "point"
    first = _day(spec["layer"][0]["encoding"]["x"]["scale"]["domain"][0])
    assert first.date() < dt.date(1990, 1, 1)
