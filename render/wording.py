"""How things are worded, in one place: every screen, map, export and the CLI use these.

Numbers are written with thousands separators; a range of people reads ``640 to 1,250 (best
estimate 900)``, an exact one ``26``, an open-ended one ``at least 640 (best estimate 900), no
upper bound``. A range is never written as a single figure unless it is one.

One event's count is worded from its count columns (the count rule of data/README.md):
``about 60``, ``50 to 60``, ``number not stated``; the source's own words follow in brackets
when they say it differently. Dates are written as precisely as they are known, with the month
spelled out: ``26 April 2024``, ``July 2021``, ``January–May 2024``. Event types, the data
credits, and the view's date range are worded here too. Where both a scalar and a pandas
version exist, the pandas one applies the scalar rule to each distinct value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup

from geo.aggregate import PeopleRange, Summary
from render.markup import link_html


def number(value: int) -> str:
    """Return a whole number with thousands separators: ``1,222``."""
    return f"{int(value):,}"


#: How a range of people is worded; ``{best}`` is :data:`PEOPLE_WORDS` ``["best"]`` or ''.
#: The web map's events layer fills the same patterns for the events it shows at each slider
#: step (``render/webmap/templates/events_layer.js``), so a total reads the same everywhere.
PEOPLE_WORDS = {
    "exact": "{low}",
    "range": "{low} to {high}{best}",
    "open": "at least {low}{best}, no upper bound",
    "best": " (best estimate {best})",
}


def people_text(people: PeopleRange) -> str:
    """Return people as a range in words (:data:`PEOPLE_WORDS`).

    The best estimate is added when it differs from the lower bound.

    Examples
    --------
    >>> people_text(PeopleRange(640, 900, 1250))
    '640 to 1,250 (best estimate 900)'
    >>> people_text(PeopleRange(26, 26, 26))
    '26'
    >>> people_text(PeopleRange(500, 500, None))
    'at least 500, no upper bound'
    """
    best = PEOPLE_WORDS["best"].format(best=number(people.best))
    if people.high is None:
        kind = "open"
    else:
        kind = "exact" if people.high == people.low else "range"
    return PEOPLE_WORDS[kind].format(
        low=number(people.low),
        high=number(people.high if people.high is not None else people.low),
        best=best if people.best != people.low else "",
    )


# --- One event's count -------------------------------------------------------------------

#: Words before the number for each ``count_qualifier`` (``unknown`` has none).
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}
#: An event whose source gives no number.
COUNT_NOT_STATED = "number not stated"


def _whole(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def count_text(qualifier: object, best: object, low: object, high: object) -> str:
    """Return an event's count in words, from its count columns alone.

    Follows the count rule of data/README.md: a stated number with its qualifier (``about 60``,
    ``more than 500``, ``up to 600``), a range as ``50 to 60``, a lone lower bound as
    ``at least 24``, nothing as ``number not stated``. Missing values may be None, NaN or NA.

    Examples
    --------
    >>> count_text("about", 60, 60, None)
    'about 60'
    >>> count_text("unknown", None, 600, 2000)
    '600 to 2,000'
    """
    best_n, low_n, high_n = _whole(best), _whole(low), _whole(high)
    words = QUALIFIER_WORDS.get(str(qualifier), "")
    if best_n is None:
        if low_n is not None and high_n is not None:
            return number(low_n) if low_n == high_n else f"{number(low_n)} to {number(high_n)}"
        if low_n is not None:
            best_n = low_n
            words = words if qualifier in ("more_than", "at_least") else QUALIFIER_WORDS["at_least"]
        elif high_n is not None:
            best_n, words = high_n, QUALIFIER_WORDS["up_to"]
        else:
            return COUNT_NOT_STATED
    return words + number(best_n)


def count_words(
    qualifier: object, best: object, low: object, high: object, source_words: Any = ""
) -> str:
    """Return :func:`count_text`, followed by the source's words when they say it differently.

    The number shown is always the one the count columns hold (the one the totals use); the
    source's own words (``count_text``) follow it in brackets unless they read the same.

    Examples
    --------
    >>> count_words("exact", 108, 108, 108, "108명")
    '108 (108명)'
    >>> count_words("about", 20, 20, None, "About 20")
    'about 20'
    """
    text = count_text(qualifier, best, low, high)
    said = "" if source_words is None or pd.isna(source_words) else str(source_words)
    said = " ".join(said.split())
    if said and said.casefold() != text.casefold():
        text += f" ({said})"
    return text


def row_count_words(row: Mapping[str, Any]) -> str:
    """Return :func:`count_words` of one event row (a dict with the schema's count columns)."""
    return count_words(
        row.get("count_qualifier"),
        row.get("count_best"),
        row.get("count_low"),
        row.get("count_high"),
        row.get("count_text"),
    )


def _each_distinct(columns: Iterable[Iterable[Hashable]], rule: Callable[..., str]) -> list[str]:
    """Apply ``rule`` to each row of ``columns``, once per distinct row."""
    done: dict[tuple, str] = {}
    out = []
    for key in zip(*columns, strict=True):
        if key not in done:
            done[key] = rule(*key)
        out.append(done[key])
    return out


def count_texts(events: pd.DataFrame) -> pd.Series:
    """Return :func:`count_words` of every row of ``events`` (same index), e.g. for tables."""
    columns = ("count_qualifier", "count_best", "count_low", "count_high", "count_text")
    words = _each_distinct((events[c].astype(object) for c in columns), count_words)
    return pd.Series(words, index=events.index, dtype=object)


# --- Dates -------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
DATE_UNKNOWN = "date unknown"


def _as_date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def month_text(day: dt.date) -> str:
    """Return the month of ``day``: ``July 2021``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def day_text(day: dt.date) -> str:
    """Return ``day`` with the month spelled out: ``26 April 2024``."""
    return f"{day.day} {month_text(day)}"


def _span(start: dt.date, end: dt.date) -> str:
    """Write a span at the coarsest grain its ends allow: years, months or days."""
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        if (start.year, start.month) == (end.year, end.month):
            return month_text(start)
        if start.year == end.year:
            return f"{MONTHS[start.month - 1]}–{month_text(end)}"
        return f"{month_text(start)} – {month_text(end)}"
    if start == end:
        return day_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_text(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {day_text(end)}"
    return f"{day_text(start)} – {day_text(end)}"


def date_text(start: object, end: object, precision: object) -> str:
    """Write an event's date as precisely as it is known.

    Parameters
    ----------
    start, end
        First and last day (date, Timestamp, ISO text, or None/NaT when unknown).
    precision
        ``day``, ``month``, ``year`` or ``period`` (``geo.reference.schema.DATE_PRECISIONS``).

    Returns
    -------
    str
        For example ``"26 April 2024"``, ``"July 2021"``, ``"2023"``, ``"January–May 2024"``,
        ``"from 3 March 2020"``, ``"until 3 March 2020"``, ``"date unknown"``.

    Examples
    --------
    >>> date_text("2021-07-01", "2021-07-31", "month")
    'July 2021'
    """
    first, last = _as_date(start), _as_date(end)
    if first is None and last is None:
        return DATE_UNKNOWN
    if first is None:
        return f"until {day_text(last)}"  # type: ignore[arg-type]
    if last is None:
        return f"from {day_text(first)}"
    if precision == "day" and first == last:
        return day_text(first)
    if precision == "month" and (first.year, first.month) == (last.year, last.month):
        return month_text(first)
    if precision == "year" and first.year == last.year:
        return str(first.year)
    return _span(first, last)


def date_texts(starts: pd.Series, ends: pd.Series, precisions: pd.Series) -> pd.Series:
    """Return :func:`date_text` of each row (index of ``starts``), e.g. for tables."""
    columns = (pd.to_datetime(starts), pd.to_datetime(ends), precisions.astype(str))
    words = _each_distinct((list(c) for c in columns), date_text)
    return pd.Series(words, index=starts.index, dtype=object)


def row_date_text(row: Mapping[str, Any]) -> str:
    """Return :func:`date_text` of one event row (``date_start``, ``date_end``, precision)."""
    return date_text(row.get("date_start"), row.get("date_end"), row.get("date_precision"))


def range_text(start: dt.date | None, end: dt.date | None) -> str:
    """Return the dates a view covers: ``1 January 2023 – 31 December 2023``.

    An open end reads "the earliest record" / "the latest record"; no dates, "all dates".
    """
    if start is None and end is None:
        return "all dates"
    first = day_text(start) if start is not None else "the earliest record"
    last = day_text(end) if end is not None else "the latest record"
    return f"{first} – {last}"


# --- Event types -------------------------------------------------------------------------

#: ``event_type`` -> (singular label, plural label used mid-sentence), in legend order.
EVENT_TYPE_LABELS = {
    "forced_return": ("Forced return", "forced returns"),
    "detention": ("Detention", "detentions"),
    "policy": ("Policy measure", "policy measures"),
    "diplomatic": ("Diplomatic event", "diplomatic events"),
    "report": ("Aggregate report", "aggregate reports"),
}


def type_label(event_type: str, *, plural: bool = False) -> str:
    """Return the label of an event type: ``Forced return``, or ``forced returns`` if plural.

    An unknown type is returned as given.
    """
    labels = EVENT_TYPE_LABELS.get(event_type)
    return event_type if labels is None else labels[1 if plural else 0]


#: Where an event on the China–DPRK border lies when the map cannot tell its country
#: (``geo.join``, ``country_uncertain``): the popups, the tables and the exports say this.
COUNTRY_UNCERTAIN = "country uncertain (on the border)"


def country_uncertain_text(events: int) -> str:
    """Return the note for events on the border whose country is uncertain.

    Examples
    --------
    >>> country_uncertain_text(2)
    '2 events on the border, country uncertain'
    """
    noun = "event" if events == 1 else "events"
    return f"{number(events)} {noun} on the border, country uncertain"


def assumed_type_text(events: int) -> str:
    """Return the note for events whose file gave no event type (read as forced returns)."""
    noun = "event has" if events == 1 else "events have"
    return (
        f"{number(events)} {noun} no event type in their file and are counted as "
        f"{type_label('forced_return', plural=True)} (see the validation report)"
    )


# --- What the claims about an event say together (geo.claims) ---------------------------

#: An event only one independent source supports (claims citing one original count once).
SINGLE_SOURCE = "single source"


def sources_text(independent: int) -> str:
    """Return how many independent sources support an event.

    Examples
    --------
    >>> sources_text(1)
    '1 independent source (single source)'
    >>> sources_text(4)
    '4 independent sources'
    """
    if independent == 1:
        return f"1 independent source ({SINGLE_SOURCE})"
    return f"{number(independent)} independent sources"


def conflict_text(conflicting: int, lowest: int, highest: int) -> str:
    """Return the note on events whose claims disagree, with the spread of the total.

    ``lowest`` / ``highest``: the total using each event's lowest / highest claimed figure
    (``Summary.people_lowest_claims`` / ``people_highest_claims``).

    Examples
    --------
    >>> conflict_text(2, 610, 760)
    '2 events have conflicting claims; using each event's lowest claim the total is 610, using its highest 760'
    """  # noqa: E501
    noun = "event has" if conflicting == 1 else "events have"
    return (
        f"{number(conflicting)} {noun} conflicting claims; using each event's lowest claim "
        f"the total is {number(lowest)}, using its highest {number(highest)}"
    )


def summary_conflict_text(summary: Summary) -> str:
    """Return :func:`conflict_text` of a view's summary, '' when no event's claims disagree."""
    if not summary.conflicting_events:
        return ""
    return conflict_text(
        summary.conflicting_events, summary.people_lowest_claims, summary.people_highest_claims
    )


# --- Credits -----------------------------------------------------------------------------

#: (what, credit, link, licence) of the data every map shows.
DATA_CREDITS = (
    ("Boundaries and rivers", "Made with Natural Earth", "https://www.naturalearthdata.com/",
     "public domain"),
    ("Place names", "© GeoNames", "https://www.geonames.org/", "CC BY 4.0"),
)  # fmt: skip
#: The data credits as plain text (exports, README of the report pack).
ATTRIBUTION = " ".join(
    f"{what}: {credit} ({url.split('//')[1].rstrip('/')}), {licence}."
    for what, credit, url, licence in DATA_CREDITS
)
#: The data credits as HTML with links, for the web map's attribution control.
ATTRIBUTION_HTML = Markup(" ").join(
    Markup("{}: {}, {}.").format(what, link_html(url, credit), licence)
    for what, credit, url, licence in DATA_CREDITS
)
#: The credits printed on static maps: the data, the font, and how the map was made.
PRINT_ATTRIBUTION = (
    f"{ATTRIBUTION} Font: Noto Sans CJK (SIL OFL 1.1). "
    "Map: border-events-map (vector basemap, no web tiles)."
)
