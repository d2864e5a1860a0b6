"""Timeline chart (Altair): events over time beside the map.

Day events are point marks sized by people; month, year and period events are spans from
their first to their last possible day, never narrower than :data:`MIN_SPAN_PX`; an event known
by one day only though not dated to it ("from 26 October 2004", "until 17 January 2013": its
other end unknown) is a ring sized by people at that day, not a span of no length. Aggregate
claims (``report``) and policy/diplomatic rows are ticks in rows of their own. The time axis
covers the events (and the selected range), so decades-old policy rows do not squeeze recent
events, with :data:`DOMAIN_PAD` of it added at each end, so the first and last marks are not cut
by the chart's edge; the selected range is shaded.

The timeline is linked to the map both ways. The date the map's time slider shows is a labelled
rule (``render.webmap.time_slider.slider_day``); clicking an event moves the slider to its
first day, clicking elsewhere in a year moves it to the end of that year (the point selections
``pick_*``, read by :func:`picked_date`). The chart is a fragment with a key
(``webapp.links.TIMELINE_PART``): a click reruns the map, the timeline and the link, and the
map's slider report reruns the timeline and the link, never the whole page.

Every word of the chart is in the page's language: the rows (``render.wording.type_label``),
the tooltips' and legends' titles, the months of the monthly totals (``i18n.formats``) and the
time axis's month and day names (Vega's ``config.locale``, :func:`time_locale`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
import streamlit as st
from babel import Locale

from geo.filter import known_dates
from geo.view import ViewParams
from i18n import _, current_language, formats
from i18n.catalogue import LOCALES
from render.webmap.layers.events import mapped_references
from render.webmap.time_slider import slider_position
from render.wording import count_texts, date_texts, type_label
from webapp.links import (
    LINK_PART,
    MAP_PART,
    TIMELINE_PART,
    drawn,
    live_view,
    rerun_parts,
    set_live,
    write_query,
)
from webapp.page_order import waits_for_map
from webapp.view_cache import cached_for_view

if TYPE_CHECKING:
    from geo.pipeline import ViewData

ANNOTATION_TYPES = ("policy", "diplomatic")
#: Above this many events the chart shows monthly totals instead of one mark per event.
MAX_MARKS = 3000
#: The chart's point selections (a click on an event, a month's bar or a year); each holds
#: the ``at`` field, the date the map's slider moves to.
PICKS = ("pick_year", "pick_span", "pick_day", "pick_ring", "pick_note", "pick_month")
#: The least width of a span's bar on screen (pixels): a span of a few days on an axis of
#: decades would otherwise be drawn less than a pixel wide, or not at all.
MIN_SPAN_PX = 6
#: What a bar is widened by at each end (pixels), centred on its span.
_WIDEN = MIN_SPAN_PX / 2
#: The part of the events' time span added before the first and after the last (so a circle at
#: either end is whole, and the first event does not sit on the chart's left edge).
DOMAIN_PAD = 0.03
#: The least padding at each end, for a chart of one day or a few.
MIN_PAD = pd.Timedelta(days=15)
#: From this span of events on, the time axis begins on a 1st of January (a year's label).
YEAR_START_SPAN = pd.Timedelta(days=8 * 365)
#: The colour of the rule at the slider's date.
SLIDER_RULE = "#111827"


def annotation_row() -> str:
    """Return the row of policy and diplomatic events (context, not counts)."""
    return " / ".join(type_label(t) for t in ANNOTATION_TYPES)


def tick_rows() -> tuple[str, str]:
    """Return the rows drawn as ticks, not sized by people: aggregate claims and context."""
    return (type_label("report"), annotation_row())


def _row_order() -> list[str]:
    return [type_label("forced_return"), type_label("detention"), *tick_rows()]


#: d3's date formats of the languages other than English (the names come from CLDR).
_TIME_FORMATS = {
    "ko": {"dateTime": "%Y년 %-m월 %-d일 %a %X", "date": "%Y. %-m. %-d.", "time": "%H:%M:%S"},
    "zh": {"dateTime": "%Y年%-m月%-d日 %A %X", "date": "%Y/%-m/%-d", "time": "%H:%M:%S"},
}


def time_locale() -> dict | None:
    """Return Vega's time locale for the page's language (None: Vega's own, English).

    Month, day and period names are Babel's (CLDR), as ``i18n.formats`` writes dates.
    """
    lang = current_language()
    if lang not in _TIME_FORMATS:
        return None
    locale = Locale.parse(LOCALES[lang])
    days = [locale.days["format"][width][(i + 6) % 7] for width in ("wide", "abbreviated")
            for i in range(7)]  # fmt: skip
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        **_TIME_FORMATS[lang],
        "periods": [periods["am"], periods["pm"]],
        "days": days[:7],  # d3 weeks start on Sunday, CLDR's day 0 is Monday
        "shortDays": days[7:],
        "months": [locale.months["format"]["wide"][m] for m in range(1, 13)],
        "shortMonths": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
    }


def _chart_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Return one row per dated event; its tooltip's texts only when events get marks.

    Past :data:`MAX_MARKS` the chart draws monthly totals, which have no per-event texts.
    """
    starts, ends = known_dates(events)
    rows = pd.DataFrame(
        {
            "start": starts,
            "end": ends,
            "type": events["event_type"].astype(str),
            "people": events["count_best"].astype("Float64").fillna(0).astype(float),
            "precision": events["date_precision"].astype(str),
        }
    ).dropna(subset=["start"])
    labels = {t: type_label(t) for t in rows["type"].unique()}  # once per type, not per event
    rows["row"] = (
        rows["type"].map(labels).where(~rows["type"].isin(ANNOTATION_TYPES), annotation_row())
    )
    if len(rows) <= MAX_MARKS:
        dated = events.loc[rows.index]
        rows["date"] = date_texts(dated["date_start"], dated["date_end"], dated["date_precision"])
        rows["count"] = count_texts(dated)
        rows["source"] = dated["source_org"].astype(str)
        rows["label"] = dated["event_id"].astype(str) if "event_id" in dated else ""
        rows["at"] = rows["start"].dt.strftime("%Y-%m-%d")
    return rows


def _monthly(rows: pd.DataFrame) -> pd.DataFrame:
    month = rows["start"].dt.to_period("M").dt.to_timestamp()
    grouped = rows.assign(start=month).groupby(["row", "start"], as_index=False)
    out = grouped.agg(people=("people", "sum"), events=("type", "size"))
    out["end"] = out["start"] + pd.offsets.MonthEnd(0)
    out["month"] = [formats.month(day) for day in out["start"]]
    out["at"] = out["end"].dt.strftime("%Y-%m-%d")
    return out


def _years(first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Return one band per year from ``first`` to ``last``; a click moves the slider to its end."""
    years = range(first.year, last.year + 1)
    return pd.DataFrame(
        {
            "start": [pd.Timestamp(y, 1, 1) for y in years],
            "end": [pd.Timestamp(y + 1, 1, 1) for y in years],
            "at": [f"{y}-12-31" for y in years],
            "year": [formats.year(y) for y in years],
        }
    )


def _pick(name: str) -> alt.Parameter:
    return alt.selection_point(name=name, fields=["at"], on="click", clear=False)


def _known(pick, *dates: object) -> pd.Timestamp:
    """Return ``pick`` (min or max) of the dates that are known; today if none is."""
    known = [pd.Timestamp(d) for d in dates if d is not None and pd.notna(d)]
    return pick(known) if known else pd.Timestamp.today().normalize()


def _padded(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the time axis from ``first`` to ``last`` with :data:`DOMAIN_PAD` added each side.

    An axis of :data:`YEAR_START_SPAN` or more begins on the 1st of January, where the axis
    writes a year, so the first event is never left of the first year on the axis.
    """
    pad = max((last - first) * DOMAIN_PAD, MIN_PAD)
    start, end = (first - pad).normalize(), (last + pad).normalize() + pd.Timedelta(days=1)
    if last - first >= YEAR_START_SPAN:
        start = pd.Timestamp(start.year, 1, 1)
    return start, end


def _vega_date(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


def timeline_chart(
    events: pd.DataFrame,
    start: dt.date | None,
    end: dt.date | None,
    slider: tuple[dt.date, str] | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Return the timeline of ``events`` with the range ``start``–``end`` shaded.

    Parameters
    ----------
    events
        Reference rows of the events to draw (normalised frame columns).
    start, end
        The selected range; None for open-ended.
    slider
        The day the map's time slider shows and its label (``render.webmap.time_slider.
        slider_position``): a labelled rule (None: none drawn).
    """
    rows = _chart_rows(events)
    y = alt.Y("row:N", title=None, sort=_row_order())
    ticks = tick_rows()
    marks = rows[~rows["row"].isin(ticks)]
    focus = marks if not marks.empty else rows
    first, last = _padded(
        _known(min, focus["start"].min(), start), _known(max, focus["end"].max(), end)
    )
    x_scale = alt.Scale(domain=[_vega_date(first), _vega_date(last)])
    layers: list[alt.Chart] = []
    shade = pd.DataFrame(
        {
            "start": [pd.Timestamp(start) if start else first],
            "end": [pd.Timestamp(end) if end else last],
        }
    )
    layers.append(
        alt.Chart(shade)
        .mark_rect(color="#fde68a", opacity=0.45, clip=True)
        .encode(x=alt.X("start:T", scale=x_scale), x2="end:T")
    )
    layers.append(  # above the shade, so a click anywhere in a year picks it
        alt.Chart(_years(first, last))
        .mark_rect(color="#000000", opacity=0.001, clip=True, cursor="pointer")
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale),
            x2="end:T",
            tooltip=[alt.Tooltip("year:N", title=_("Click: the map's slider to the end of"))],
        )
        .add_params(_pick("pick_year"))
    )
    if len(rows) > MAX_MARKS:
        monthly = _monthly(rows)
        layers.append(
            alt.Chart(monthly)
            .mark_bar(color="#b91c1c", clip=True, xOffset=-_WIDEN, x2Offset=_WIDEN)
            .encode(
                x=alt.X("start:T", title=None, scale=x_scale),
                x2="end:T",
                y=y,
                opacity=alt.Opacity(
                    "people:Q", title=_("People (month)"), legend=alt.Legend(orient="bottom")
                ),
                tooltip=[
                    alt.Tooltip("row:N", title=_("Type")),
                    alt.Tooltip("month:N", title=_("Month")),
                    alt.Tooltip("events:Q", title=_("Events")),
                    alt.Tooltip("people:Q", title=_("People")),
                ],
            )
            .add_params(_pick("pick_month"))
        )
    else:
        tooltip = [
            alt.Tooltip("label:N", title=_("Event")),
            alt.Tooltip("date:N", title=_("Date")),
            alt.Tooltip("count:N", title=_("Count")),
            alt.Tooltip("source:N", title=_("Source")),
        ]
        is_day = marks["precision"].eq("day")
        one_day = ~is_day & marks["start"].eq(marks["end"])  # "from ..." / "until ...": a bound
        day, rings, spans = marks[is_day], marks[one_day], marks[~is_day & ~one_day]
        notes = rows[rows["row"].isin(ticks)]
        size = alt.Size(
            "people:Q",
            title=_("People"),
            scale=alt.Scale(range=[20, 600]),
            # Beside the chart, the legend's largest circles fell below its height.
            legend=alt.Legend(orient="bottom", direction="horizontal"),
        )
        layers.append(
            alt.Chart(spans)
            .mark_bar(
                color="#ef4444", opacity=0.5, height=10, clip=True, cursor="pointer",
                xOffset=-_WIDEN, x2Offset=_WIDEN,
            )
            .encode(x=alt.X("start:T", title=None, scale=x_scale), x2="end:T", y=y, tooltip=tooltip)
            .add_params(_pick("pick_span"))
        )  # fmt: skip
        layers.append(
            alt.Chart(day)
            .mark_circle(color="#b91c1c", opacity=0.75, clip=True, cursor="pointer")
            .encode(x=alt.X("start:T", title=None, scale=x_scale), y=y, size=size, tooltip=tooltip)
            .add_params(_pick("pick_day"))
        )
        layers.append(  # after the day circles: the first symbol on the page stays a day's
            alt.Chart(rings)
            .mark_point(
                shape="circle", filled=False, color="#b91c1c", strokeWidth=2.5, opacity=0.9,
                clip=True, cursor="pointer",
            )
            .encode(x=alt.X("start:T", title=None, scale=x_scale), y=y, size=size, tooltip=tooltip)
            .add_params(_pick("pick_ring"))
        )  # fmt: skip
        layers.append(
            alt.Chart(notes)
            .mark_tick(color="#1d4ed8", thickness=2, clip=True, cursor="pointer")
            .encode(x=alt.X("start:T", title=None, scale=x_scale), y=y, tooltip=tooltip)
            .add_params(_pick("pick_note"))
        )
    if slider is not None:
        right_half = pd.Timestamp(slider[0]) > first + (last - first) / 2
        layers.extend(_slider_rule(*slider, x_scale, left=right_half))
    chart = alt.layer(*layers).properties(height=220)
    locale = time_locale()
    return chart if locale is None else chart.configure(locale={"time": locale})


def _slider_rule(
    day: dt.date, label: str, x_scale: alt.Scale, *, left: bool
) -> list[alt.Chart]:
    """Return the rule at the map's slider date and its label ("Map: 3 June 2023").

    ``left``: the label goes left of the rule (a rule in the right half of the chart).
    """
    rule = pd.DataFrame(
        {
            "start": [pd.Timestamp(day)],
            "label": [_("Map: {date}").format(date=label)],
        }
    )
    base = alt.Chart(rule).encode(x=alt.X("start:T", title=None, scale=x_scale))
    return [
        base.mark_rule(color=SLIDER_RULE, strokeWidth=2, strokeDash=[6, 3], clip=True),
        base.mark_text(
            align="right" if left else "left", baseline="top", dx=-4 if left else 4, y=2,
            color=SLIDER_RULE, fontWeight="bold", clip=True,
        ).encode(text="label:N"),
    ]  # fmt: skip


def picked_date(selection: Mapping[str, Any]) -> dt.date | None:
    """Return the date a click on the timeline picked (its ``at``), or None.

    ``selection``: Streamlit's chart selection state, ``{"pick_day": [{"at": "2023-06-03"}],
    ...}``; the first pick holding a real ``YYYY-MM-DD`` day wins.
    """
    for name in PICKS:
        for point in selection.get(name) or []:
            try:
                return dt.date.fromisoformat(str(point.get("at")))
            except (AttributeError, ValueError):
                continue
    return None


def timeline_events(events: pd.DataFrame, view: ViewParams) -> pd.DataFrame:
    """Return the reference rows of the view's types and provinces, at every date.

    The chart shows the whole span so that the selected range can be seen in context.
    """
    from geo.filter import filter_events, is_reference

    shown = filter_events(events, view.with_changes(start=None, end=None))
    return shown[is_reference(shown)]


_CLICKS = "timeline_clicks"


@st.fragment(key=TIMELINE_PART)
def render_timeline(events: pd.DataFrame, data: ViewData) -> None:
    """Show the timeline chart full width, linked to the map (key ``timeline-<n>``).

    Parameters
    ----------
    events
        All the dataset's joined events (``Dataset.events``); the chart draws the reference
        rows of those the view's filters other than dates keep (:func:`timeline_events`).
    data
        The view's ``ViewData``: its range is shaded, its map's slider date drawn.

    The chart is built once per view and slider date (``webapp.view_cache``).
    """
    drawn(TIMELINE_PART, data.view.lang)
    if waits_for_map():
        return
    view = live_view(data.view)
    spec = cached_for_view(
        "timeline", events, view.with_changes(zoom=None, centre=None),
        lambda: _chart_spec(timeline_events(events, data.view), data, view),
    )  # fmt: skip
    if spec is None:
        st.info(_("No events of the chosen types and provinces to draw on the timeline."))
        return
    # A new key after each click: the chart forgets it, so the same event can be clicked again.
    key = f"timeline-{st.session_state.get(_CLICKS, 0)}"
    st.vega_lite_chart(
        copy.deepcopy(spec), width="stretch", key=key, on_select=partial(_clicked, key, data.view)
    )


def _chart_spec(events: pd.DataFrame, data: ViewData, view: ViewParams) -> dict | None:
    """Return the Vega-Lite spec of the timeline of ``events`` (None: no events to draw)."""
    if events.empty:
        return None
    slider = slider_position(mapped_references(data.events), view.at)
    # Built with Altair; its JSON-schema check runs in the tests, not on every rerun.
    return timeline_chart(events, view.start, view.end, slider).to_dict(validate=False)


def _clicked(key: str, view: ViewParams) -> None:
    """Move the map's slider to the date clicked on the timeline; rerun the linked parts."""
    state = st.session_state.get(key) or {}
    picked = picked_date(state.get("selection") or {})
    if picked is None:
        return
    st.session_state[_CLICKS] = st.session_state.get(_CLICKS, 0) + 1
    set_live(at=picked)
    write_query(live_view(view))
    rerun_parts(MAP_PART, TIMELINE_PART, LINK_PART)
