"""The sidebar's view controls, kept in step with the URL query string.

The view lives in ``st.query_params``: on a session's first run (or when the query string was
changed outside the app) the widgets are set from it, read by ``geo.view.view_from_query``
alone (bounded, de-duplicated, dates within the accepted range), and so are where the map is
(slider date, zoom, centre: ``webapp.links.apply_link``); after every run the query string is
rewritten from the widgets and the live map (``webapp.links.write_query``), so the address bar
always holds a link that reopens the view. The date slider's span always lies within
``DATE_MIN`` .. ``DATE_MAX`` and is at least one day long, whatever the dataset holds (a
dataset saved before dates were bounded, too), so Streamlit is never given a date it cannot
show.

The dates are set three ways, all kept in step: a preset, the "From" and "To" date inputs
(typed from the keyboard, ``YYYY-MM-DD``) and the slider (dragged). ``date_range`` holds the
view's dates; the inputs are set from it before they are drawn, unless they hold an end before
the start just typed (then a message says so and the view keeps its dates). The preset shown is
the one whose dates equal the view's (:func:`preset_of`), whichever way the dates were set, a
link included; "Custom range", when chosen, leaves the dates as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.state import SessionStateProxy

from geo.reference.schema import DATE_MAX, DATE_MIN, EVENT_TYPES, MATCH_MODES
from geo.view import BASEMAPS, LANGUAGES, PROVINCE_CODES, SLIDER_MODES, ViewParams, view_from_query
from i18n import LANGUAGE_NAMES, N_, _, formats
from render.wording import MATCH_LABELS, type_label
from webapp.language import in_language, visitor_language
from webapp.links import apply_link, is_link, live_view, write_query
from webapp.uploads import SHIPPED
from webapp.widget_state import set_values

BORDER_CLOSURE = dt.date(2020, 1, 1)
#: The preset names (the selectbox's values, shown through :func:`preset_label`).
ALL = N_("All")
SINCE_CLOSURE = N_("Since border closure (2020)")
LAST_12_MONTHS = N_("Last 12 months")
CUSTOM = N_("Custom range")
#: The sidebar's select widgets whose option labels are translated (``keep_choices``).
CHOICE_KEYS = ("preset", "types", "provinces", "match", "mode", "basemap")
#: The language picker's label, in every language the app is written in.
LANGUAGE_LABEL = "Language / 언어 / 语言"
_NOTICES = "_link_notices"  # (view, notices) of the link last opened
_DATASET = "_view_dataset"
#: The date inputs' keys (their values: ``datetime.date``).
FROM_KEY = "date_from"
TO_KEY = "date_to"
#: Set while the date inputs hold an end before the start (what was typed, not applied).
_INVERTED = "_dates_inverted"

BASEMAP_LABELS = {
    "none": N_("None (offline outline)"),
    "osm": "OpenStreetMap",
    "carto": N_("CARTO light"),
    "esri": N_("Esri imagery"),
}
MODE_LABELS = {"cumulative": N_("Cumulative"), "date": N_("This date only")}


@dataclass(frozen=True)
class DateSpan:
    """The first and last date the date-range slider offers."""

    first: dt.date
    last: dt.date

    def clamp(self, day: dt.date) -> dt.date:
        """Return ``day`` moved inside the span."""
        return min(max(day, self.first), self.last)


def _accepted(day: dt.date) -> dt.date:
    """Return ``day`` moved inside the accepted dates (``DATE_MIN`` .. ``DATE_MAX``)."""
    return min(max(day, DATE_MIN), DATE_MAX)


def bounded_span(first: dt.date, last: dt.date) -> DateSpan:
    """Return a span the slider can show: within the accepted dates and at least a day long.

    Streamlit's slider refuses equal bounds and dates far from 1970; both ends are moved
    inside ``DATE_MIN`` .. ``DATE_MAX`` and a one-day span is widened by a day.
    """
    first, last = _accepted(min(first, last)), _accepted(max(first, last))
    if first == last:
        if last < DATE_MAX:
            last += dt.timedelta(days=1)
        else:
            first -= dt.timedelta(days=1)
    return DateSpan(first, last)


def date_span(events: pd.DataFrame, today: dt.date | None = None) -> DateSpan:
    """Return the slider's span: the data's first start to its last end (or today, if later).

    The span is bounded by :func:`bounded_span` (accepted dates, at least a day long).

    Parameters
    ----------
    events
        Normalised events (``date_start``/``date_end`` may hold NaT).
    today
        The date used for "Last 12 months"; defaults to the current UTC date.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    first = pd.Series([events["date_start"].min(), events["date_end"].min()]).min()
    last = pd.Series([events["date_start"].max(), events["date_end"].max()]).max()
    if pd.isna(first):
        return bounded_span(today - dt.timedelta(days=365), today)
    return bounded_span(first.date(), max(last.date(), today))


def presets(events: pd.DataFrame, span: DateSpan, today: dt.date | None = None) -> dict:
    """Return the date-range presets, name -> ``(first, last)`` within ``span``.

    "All", "Since border closure (2020)", each year in the data, "Last 12 months". The names
    are the same in every language (they are the selectbox's values); :func:`preset_label`
    shows them in the page's language.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    found: dict[str, tuple[dt.date, dt.date]] = {ALL: (span.first, span.last)}
    if span.first <= BORDER_CLOSURE <= span.last:
        found[SINCE_CLOSURE] = (BORDER_CLOSURE, span.last)
    years = pd.concat([events["date_start"].dt.year, events["date_end"].dt.year]).dropna()
    years = years[(years >= span.first.year) & (years <= span.last.year)]
    for year in sorted(years.unique().astype(int), reverse=True):
        found[str(year)] = (
            span.clamp(dt.date(year, 1, 1)),
            span.clamp(dt.date(year, 12, 31)),
        )
    year_ago = (pd.Timestamp(today) - pd.DateOffset(years=1)).date()
    found[LAST_12_MONTHS] = (
        span.clamp(year_ago + dt.timedelta(days=1)),
        span.clamp(today),
    )
    return found


def view_state(view: ViewParams, span: DateSpan) -> dict[str, Any]:
    """Return the widget values (session-state key -> value) that show ``view``.

    Not the preset: which one the dates are depends on the dataset (:func:`preset_of`).
    """
    first = view.start or span.first
    last = view.end or span.last
    return {
        "date_range": (first, last),
        "types": list(view.types),
        "provinces": list(view.provinces),
        "match": view.match,
        "mode": view.mode,
        "basemap": view.basemap,
        "lang": view.lang,
        "present": view.present,
    }


def view_from_state(
    state: Mapping[str, Any] | SessionStateProxy, span: DateSpan, dataset: str | None = None
) -> ViewParams:
    """Return the view the widget values describe (a full-span range means no date filter).

    ``dataset``: the saved dataset shown (None: the shipped data).
    """
    first, last = state["date_range"]
    return ViewParams(
        start=None if first <= span.first else first,
        end=None if last >= span.last else last,
        types=tuple(state["types"]),
        provinces=tuple(state["provinces"]),
        match=str(state["match"]),
        mode=str(state["mode"]),
        basemap=str(state["basemap"]),
        lang=str(state["lang"]),
        present=bool(state["present"]),
        dataset=dataset,
    )


def _span_with(span: DateSpan, view: ViewParams) -> DateSpan:
    """Widen the span so a linked date outside the data still fits on the slider.

    The widened span stays within the accepted dates (:func:`bounded_span`).
    """
    first = min(d for d in (span.first, view.start) if d is not None)
    last = max(d for d in (span.last, view.end) if d is not None)
    return bounded_span(first, last)


def preset_of(
    options: Mapping[str, tuple[dt.date, dt.date]], dates: tuple[dt.date, dt.date]
) -> str:
    """Return the first preset whose dates are ``dates``; none: "Custom range".

    Examples
    --------
    >>> year = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    >>> preset_of({"2023": year}, year), preset_of({"2023": year}, (year[0], year[0]))
    ('2023', 'Custom range')
    """
    first, last = dates
    for name, (start, end) in options.items():
        if (start, end) == (first, last):
            return name
    return CUSTOM


def preset_label(name: str) -> str:
    """Return a date preset's name in the page's language (a year as the language writes it)."""
    if name.isdigit():
        return formats.year(int(name))
    return _(name)


def linked_language(query: Mapping[str, Any]) -> str:
    """Return the language a link asks for; without a valid ``lang``, the browser's."""
    if "lang" in query:
        linked, notices = view_from_query({"lang": query["lang"]})
        if not notices:
            return linked.lang
    return visitor_language()


def page_language() -> str:
    """Return the language of this run, before anything is drawn.

    The link's, when the query string is applied in this run (a session's first run, or a
    query string changed outside the app): its ``lang``, else the browser's language
    (:func:`linked_language`). Otherwise the language picker's value.
    """
    query = st.query_params.to_dict()
    if is_link() or "lang" not in st.session_state:
        return linked_language(query)
    return str(st.session_state["lang"])


def _apply_preset(options: dict[str, tuple[dt.date, dt.date]]) -> None:
    """Give the view the chosen preset's dates ("Custom range" keeps them)."""
    st.session_state.pop(_INVERTED, None)
    chosen = st.session_state["preset"]
    if chosen in options:
        set_values({"date_range": options[chosen]})


def _slid(options: dict[str, tuple[dt.date, dt.date]]) -> None:
    """Show the preset of the slider's new dates ("Custom range" when none is)."""
    st.session_state.pop(_INVERTED, None)
    set_values({"preset": preset_of(options, st.session_state["date_range"])})


def _typed(options: dict[str, tuple[dt.date, dt.date]]) -> None:
    """Give the view the typed dates, unless the end is before the start.

    An end before the start is kept in the inputs, unapplied (the sidebar says so).
    """
    first, last = st.session_state.get(FROM_KEY), st.session_state.get(TO_KEY)
    if first is None or last is None:  # a box emptied: the next run shows the view's date again
        return
    if first > last:
        st.session_state[_INVERTED] = (first, last)
        return
    st.session_state.pop(_INVERTED, None)
    set_values({"date_range": (first, last), "preset": preset_of(options, (first, last))})


def _show_dates_in_inputs() -> bool:
    """Set the date inputs to the view's dates unless they hold an end before the start.

    Returns True when they do (what was typed is kept, and not applied).
    """
    typed = (st.session_state.get(FROM_KEY), st.session_state.get(TO_KEY))
    if st.session_state.get(_INVERTED) == typed:
        return True
    st.session_state.pop(_INVERTED, None)
    first, last = st.session_state["date_range"]
    set_values({FROM_KEY: first, TO_KEY: last})
    return False


def render_sidebar(
    events: pd.DataFrame,
    province_names: Mapping[str, str],
    where: Any = None,
    dataset_key: str = "",
) -> tuple[ViewParams, list[str]]:
    """Draw the view controls in the sidebar and return the chosen view.

    Parameters
    ----------
    events
        The dataset's normalised events (for the date span and year presets).
    province_names
        ISO 3166-2 code -> display name.
    where
        The container to draw in (default ``st.sidebar``).
    dataset_key
        Identifies the dataset shown; when it changes, the date range resets to its full span.
        A saved dataset's key is its id (the link's ``dataset``); the shipped data's is
        ``webapp.uploads.SHIPPED``.

    Returns
    -------
    tuple
        The view (with the live slider date, zoom and centre: ``webapp.links.live_view``), and
        notices about query-string values that were ignored (for display).
    """
    query = st.query_params.to_dict()
    notices: list[str] = []
    span = date_span(events)
    linked_now = is_link()
    if linked_now:
        linked, notices = view_from_query(query)
        linked = linked.with_changes(lang=linked_language(query))
        apply_link(linked)
        span = _span_with(span, linked)
        set_values(view_state(linked, span))
        st.session_state.pop(_INVERTED, None)
    elif st.session_state.get(_DATASET) != dataset_key:
        set_values({"date_range": (span.first, span.last), "preset": ALL})
        st.session_state.pop(_INVERTED, None)
    else:
        first, last = st.session_state["date_range"]
        span = _span_with(span, ViewParams(start=first, end=last))
    st.session_state[_DATASET] = dataset_key
    first, last = st.session_state["date_range"]
    set_values({"date_range": (span.clamp(first), span.clamp(last))})
    options = presets(events, span)
    if linked_now:  # a link's dates show the preset they are (``?start=2023-01-01&end=2023-12-31``)
        set_values({"preset": preset_of(options, st.session_state["date_range"])})
    inverted = _show_dates_in_inputs()

    sb = where if where is not None else st.sidebar
    sb.header(_("View"))
    sb.selectbox(
        _("Date presets"),
        [*options, CUSTOM],
        key="preset",
        format_func=in_language(preset_label),
        on_change=_apply_preset,
        args=(options,),
    )
    for label, key in ((_("From"), FROM_KEY), (_("To"), TO_KEY)):
        sb.date_input(
            label,
            min_value=span.first,
            max_value=span.last,
            key=key,
            format="YYYY-MM-DD",
            on_change=_typed,
            args=(options,),
        )
    if inverted:
        first, last = st.session_state[FROM_KEY], st.session_state[TO_KEY]
        sb.error(
            _(
                "The end date ({last}) is before the start date ({first}); the view keeps its "
                "dates until the end is on or after the start."
            ).format(first=first.isoformat(), last=last.isoformat())
        )
    sb.slider(
        _("Date range"),
        min_value=span.first,
        max_value=span.last,
        key="date_range",
        format="YYYY-MM-DD",
        on_change=_slid,
        args=(options,),
    )
    sb.multiselect(
        _("Event types"),
        EVENT_TYPES,
        key="types",
        format_func=in_language(type_label),
        placeholder=_("Choose options"),
    )
    sb.multiselect(
        _("Provinces (none = all)"),
        PROVINCE_CODES,
        key="provinces",
        format_func=in_language(lambda c: f"{province_names.get(c, c)} ({c})"),
        placeholder=_("Choose options"),
    )
    sb.radio(
        _("Match dates"),
        MATCH_MODES,
        key="match",
        format_func=in_language(lambda m: _(MATCH_LABELS[m])),
    )
    sb.radio(
        _("Time slider"),
        SLIDER_MODES,
        key="mode",
        format_func=in_language(lambda m: _(MODE_LABELS[m])),
    )
    sb.selectbox(
        _("Basemap"),
        BASEMAPS,
        key="basemap",
        format_func=in_language(lambda b: _(BASEMAP_LABELS[b])),
    )
    sb.selectbox(LANGUAGE_LABEL, LANGUAGES, key="lang", format_func=LANGUAGE_NAMES.__getitem__)
    sb.toggle(_("Presentation mode"), key="present")

    dataset = None if dataset_key in (SHIPPED, "") else dataset_key
    # Session state itself, which reads each value by its key: ``to_dict()`` can hold the value
    # of a slider of the previous dataset (another widget id under the same key).
    view = live_view(view_from_state(st.session_state, span, dataset))
    write_query(view)
    return view, _lasting(notices, view)


def _lasting(notices: list[str], view: ViewParams) -> list[str]:
    """Return the link's notices for as long as the view is still the one the link opened.

    The link is read once; the runs after it (the map's first report reruns the page) show
    its notices again until the user changes the view.
    """
    if notices:
        st.session_state[_NOTICES] = (view, notices)
        return notices
    shown_view, kept = st.session_state.get(_NOTICES, (None, []))
    return kept if shown_view == view else []


#: Presenting: larger type, the page's top padding just below Streamlit's header, and the
#: line of figures (``webapp.figures.render_figure_line``) above the map, wrapped onto a
#: second line where the window is too narrow for it (a projector's 1024 px), never cut off;
#: Chinese and Korean break at spaces (``keep-all``: Chinese between the figures, not inside
#: one), a figure wider than the window anywhere. ``--bem-above-map`` is the height they take,
#: which ``webapp.map_view`` leaves above the map (measured in the browser by
#: ``webapp/presenter_keys/index.html``, so a wrapped line makes the map shorter; this is its
#: value until then).
_PRESENTATION_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 1.25rem; }
[data-testid="stMetricValue"] { font-size: 2.4rem; line-height: 1.15; }
[data-testid="stMainBlockContainer"] { padding: 3.75rem 1.5rem 2rem; max-width: 100%; }
.st-key-figure_line p { margin: 0; white-space: normal; word-break: keep-all;
  overflow-wrap: anywhere; }
.st-key-presenter_keys { position: absolute; width: 0; height: 0; overflow: hidden; }
:root { --bem-above-map: 7rem; }
</style>
"""


def apply_presentation_mode(present: bool) -> None:
    """Collapse the sidebar on load, enlarge the type and make room for the map when presenting.

    Static CSS only; the map's height is ``webapp.map_view``'s.
    """
    st.set_page_config(initial_sidebar_state="collapsed" if present else "auto")
    if present:
        st.html(_PRESENTATION_CSS)
