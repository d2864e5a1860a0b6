"""How things are worded, in one place: every screen, map, export and the CLI use these.

Numbers are written with thousands separators; a range of people reads ``640 to 1,250, best
estimate 900``, an exact one ``26``, an open-ended one ``at least 620, best estimate 640``;
nothing reads "at least 0" (``none``, ``number not stated``). A range is never written as a
single figure unless it is one.

One event's count is worded from its count columns (the count rule of data/README.md):
``about 60``, ``50 to 60``, ``number not stated``; the source's own words follow in brackets
when they say it differently. Dates are written as precisely as they are known, with the month
spelled out: ``26 April 2024``, ``July 2021``, ``January–May 2024``. Event types, the data
credits, and the view's date range are worded here too. Where both a scalar and a pandas
version exist, the pandas one applies the scalar rule to each distinct value.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup

from geo.aggregate import (
    PROVINCE_NOT_KNOWN,
    RETURNED_FROM_ALWAYS,
    CheckedEvent,
    CrossCheck,
    PeopleRange,
    ProvinceTotals,
    SpanningEvent,
    Summary,
    verdict_of,
)
from geo.by_year import ALL
from geo.reference.places import CN_PROVINCES, KP_EXTRA_CODES
from i18n import N_, _, current_language, formats, language, ngettext
from render.markup import link_html
from render.names import first_place_name


def number(value: int) -> str:
    """Return a whole number with the language's thousands separators: ``1,222``."""
    return formats.number(value)


#: How a range of people is worded (:func:`people_kind` picks the pattern): ``{best}`` is
#: :data:`PEOPLE_WORDS` ``["best"]`` or '', ``{bestn}`` the best estimate alone. The web map's
#: events layer fills the same patterns for the events shown at each slider step
#: (``render/webmap/templates/events_layer.js``), so a total reads the same everywhere.
#: An event (or events) whose source gives no number.
COUNT_NOT_STATED = N_("number not stated")
#: The English patterns (marked for the catalogue); :func:`people_words` gives them translated.
PEOPLE_WORDS = {
    "none": N_("none"),
    "not_stated": COUNT_NOT_STATED,
    "exact": N_("{low}"),
    "range": N_("{low} to {high}{best}"),
    "up_to": N_("up to {high}{best}"),
    "open": N_("at least {low}{best}"),
    "best_only": N_("best estimate {bestn}, no bounds stated"),
    "best": N_(", best estimate {bestn}"),
}


def people_words() -> dict[str, str]:
    """Return :data:`PEOPLE_WORDS` in the current language (same keys and placeholders).

    The web map passes them to its events layer, which fills them in the browser.
    """
    return {key: _(pattern) for key, pattern in PEOPLE_WORDS.items()}


def people_kind(people: PeopleRange) -> str:
    """Return which :data:`PEOPLE_WORDS` pattern words ``people``.

    ``none``: nothing (an empty view, or only zero counts); ``not_stated``: events whose
    sources give no number; ``exact``: one number; ``range``/``up_to``: bounded (``up_to``
    when the lower bound is 0); ``open``: no upper bound; ``best_only``: no upper bound and
    a lower bound of 0, but a best estimate. Never "at least 0".
    """
    if people.high is None:
        if people.low > 0:
            return "open"
        return "best_only" if people.best > 0 else "not_stated"
    if people.high == people.low:
        return "exact" if people.low > 0 else "none"
    return "range" if people.low > 0 else "up_to"


def people_text(people: PeopleRange) -> str:
    """Return people as a range in words (:data:`PEOPLE_WORDS`, :func:`people_kind`).

    The best estimate is added when it differs from the lower bound.

    Examples
    --------
    >>> people_text(PeopleRange(640, 900, 1250))
    '640 to 1,250, best estimate 900'
    >>> people_text(PeopleRange(26, 26, 26))
    '26'
    >>> people_text(PeopleRange(620, 640, None))
    'at least 620, best estimate 640'
    >>> people_text(PeopleRange(0, 0, 0))
    'none'
    """
    words = people_words()
    best = words["best"].format(bestn=number(people.best))
    return words[people_kind(people)].format(
        low=number(people.low),
        high=number(people.high if people.high is not None else people.low),
        best=best if people.best != people.low else "",
        bestn=number(people.best),
    )


# --- One event's count -------------------------------------------------------------------

#: Words before the number for each ``count_qualifier`` (``unknown`` has none), in English.
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}
#: One event's count per ``count_qualifier``: the whole phrase, translated where shown (the
#: number's place and its counter differ between languages). English reads as
#: :data:`QUALIFIER_WORDS` followed by the number.
QUALIFIER_PATTERNS = {
    "exact": N_("{n}"),
    "about": N_("about {n}"),
    "more_than": N_("more than {n}"),
    "at_least": N_("at least {n}"),
    "up_to": N_("up to {n}"),
}
#: A count given only as a range of people.
COUNT_RANGE = N_("{low} to {high}")


def _qualified(qualifier: str, n: int) -> str:
    """Return ``n`` people with the words of ``qualifier`` (:data:`QUALIFIER_PATTERNS`)."""
    return _(QUALIFIER_PATTERNS.get(qualifier, QUALIFIER_PATTERNS["exact"])).format(n=number(n))


def _count_range(low: int, high: int) -> str:
    """Return ``low`` to ``high`` people, or one number when they are equal."""
    if low == high:
        return _(QUALIFIER_PATTERNS["exact"]).format(n=number(low))
    return _(COUNT_RANGE).format(low=number(low), high=number(high))


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
    words = str(qualifier) if str(qualifier) in QUALIFIER_WORDS else "exact"
    if best_n is None:
        if low_n is not None and high_n is not None:
            return _count_range(low_n, high_n)
        if low_n is not None:
            best_n = low_n
            words = words if qualifier in ("more_than", "at_least") else "at_least"
        elif high_n is not None:
            best_n, words = high_n, "up_to"
        else:
            return _(COUNT_NOT_STATED)
    return _qualified(words, best_n)


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
    said = _said_otherwise(text, source_words)
    return _("{count} ({words})").format(count=text, words=said) if said else text


def _said_otherwise(text: str, source_words: Any) -> str:
    """Return the source's words (spaces collapsed) when they do not read as ``text``, else ''."""
    said = "" if source_words is None or pd.isna(source_words) else str(source_words)
    said = " ".join(said.split())
    return said if said.casefold() != text.casefold() else ""


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

DATE_UNKNOWN = N_("date unknown")


def _as_date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _span(start: dt.date, end: dt.date) -> str:
    """Write a span at the coarsest grain its ends allow: years, months or days."""
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        same = start.year == end.year
        return formats.year(start.year) if same else formats.years(start.year, end.year)
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        same = (start.year, start.month) == (end.year, end.month)
        return formats.month(start) if same else formats.months(start, end)
    return formats.day(start) if start == end else formats.days(start, end)


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
        return _(DATE_UNKNOWN)
    if first is None:
        return _("until {day}").format(day=formats.day(last))  # type: ignore[arg-type]
    if last is None:
        return _("from {day}").format(day=formats.day(first))
    if precision == "day" and first == last:
        return formats.day(first)
    if precision == "month" and (first.year, first.month) == (last.year, last.month):
        return formats.month(first)
    if precision == "year" and first.year == last.year:
        return formats.year(first.year)
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
        return _("all dates")
    first = formats.day(start) if start is not None else _("the earliest record")
    last = formats.day(end) if end is not None else _("the latest record")
    return _("{first} – {last}").format(first=first, last=last)


# --- Event types -------------------------------------------------------------------------

#: ``event_type`` -> (singular label, plural label used mid-sentence), in legend order.
#: English, marked for the catalogue; :func:`type_labels` gives them translated.
EVENT_TYPE_LABELS = {
    "forced_return": (N_("Forced return"), N_("forced returns")),
    "detention": (N_("Detention"), N_("detentions")),
    "policy": (N_("Policy measure"), N_("policy measures")),
    "diplomatic": (N_("Diplomatic event"), N_("diplomatic events")),
    "report": (N_("Aggregate report"), N_("aggregate reports")),
}


def type_labels() -> dict[str, tuple[str, str]]:
    """Return :data:`EVENT_TYPE_LABELS` in the current language, in legend order."""
    return {key: (_(one), _(many)) for key, (one, many) in EVENT_TYPE_LABELS.items()}


def type_label(event_type: str, *, plural: bool = False) -> str:
    """Return the label of an event type: ``Forced return``, or ``forced returns`` if plural.

    An unknown type is returned as given.
    """
    labels = EVENT_TYPE_LABELS.get(event_type)
    return event_type if labels is None else _(labels[1 if plural else 0])


#: Where an event on the China–DPRK border lies when the map cannot tell its country
#: (``geo.join``, ``country_uncertain``): the popups, the tables and the exports say this.
COUNTRY_UNCERTAIN = N_("country uncertain (on the border)")


def country_uncertain_text(events: int) -> str:
    """Return the note for events on the border whose country is uncertain.

    Examples
    --------
    >>> country_uncertain_text(2)
    '2 events on the border, country uncertain'
    """
    return ngettext(
        "{n} event on the border, country uncertain",
        "{n} events on the border, country uncertain",
        events,
    ).format(n=number(events))


def assumed_type_text(events: int) -> str:
    """Return the note for events whose file gave no event type (read as forced returns)."""
    return ngettext(
        "{n} event has no event type in its file and is counted among {types} "
        "(see the validation report)",
        "{n} events have no event type in their file and are counted as {types} "
        "(see the validation report)",
        events,
    ).format(n=number(events), types=type_label("forced_return", plural=True))


# --- Cross-checks ------------------------------------------------------------------------

#: The labels of a cross-check's parts, in the order every output shows them.
#: English, marked for the catalogue; :func:`cross_check_labels` gives them translated.
CROSS_CHECK_LABELS = {
    "report": N_("Report"),
    "period": N_("Period"),
    "reported": N_("Reported"),
    "events": N_("Events in its period"),
    "total": N_("Events' total"),
    "verdict": N_("Verdict"),
}


def cross_check_labels() -> dict[str, str]:
    """Return :data:`CROSS_CHECK_LABELS` in the current language."""
    return {key: _(label) for key, label in CROSS_CHECK_LABELS.items()}


def reported_text(low: int | None, high: int | None, qualifier: str = "") -> str:
    """Return a report's figure as a number: ``670+``, ``about 2,600``, ``up to 600``, ``4,809``.

    A lower bound alone reads ``670+`` ("more than", "at least"), or ``about 2,600`` when the
    report's ``count_qualifier`` is ``about``; both ends read ``600 to 2,000`` (or one number).

    Examples
    --------
    >>> reported_text(670, None), reported_text(None, 600), reported_text(600, 2000)
    ('670+', 'up to 600', '600 to 2,000')
    >>> reported_text(2600, None, "about")
    'about 2,600'
    """
    if high is None:
        if qualifier == "about":
            return _qualified("about", low or 0)
        return _("{n}+").format(n=number(low or 0))
    if low is None:
        return _qualified("up_to", high)
    return _count_range(low, high)


def reported_words(check: CrossCheck) -> str:
    """Return a report's figure as a number and, beside it, the report's own words."""
    text = reported_text(check.reported_low, check.reported_high, check.reported_qualifier)
    said = _said_otherwise(text, check.claim)
    if not said:
        return text
    return _("{figure} (source's words: “{words}”)").format(figure=text, words=said)


def _lower_total(low: int, high: int | None) -> str:
    return _qualified("exact" if high == low else "at_least", low)


def checked_event_label(event: CheckedEvent) -> str:
    """Return one event of a cross-check as ``January 2024, Helong (108)``."""
    when = date_text(event.date_start, event.date_end, event.date_precision)
    place = first_place_name(event.place_ids, event.place_names)
    count = count_text(event.count_qualifier, event.count_best, event.count_low, event.count_high)
    if place:
        return _("{date}, {place} ({count})").format(date=when, place=place, count=count)
    return _("{date} ({count})").format(date=when, count=count)


def verdict_text(check: CrossCheck) -> str:
    """Return a cross-check's verdict in plain words.

    Examples: "events account for at least 500 of the reported up to 600: consistent";
    "events exceed the report by 168: these events were reported separately: January 2024,
    Helong (108); 26 April 2024 (about 60); the other events account for 670 of the reported
    670+: consistent"; "events fall short by 4,809: the report covers returns not in the
    dataset".
    """
    reported = reported_text(check.reported_low, check.reported_high, check.reported_qualifier)
    if check.verdict == "consistent":
        total = _lower_total(check.events_low, check.events_high)
        return _("events account for {total} of the reported {reported}: consistent").format(
            total=total, reported=reported
        )
    if check.verdict == "falls_short":
        return _("events fall short by {n}: the report covers returns not in the dataset").format(
            n=number(check.difference)
        )
    exceed = number(check.difference)
    if check.explaining:
        people = check.explained_people.low
        return _taken_out(check, exceed, reported, check.explaining, people, _SEPARATELY)
    if check.unlisted:
        people = check.unlisted_people.low
        return _taken_out(check, exceed, reported, check.unlisted, people, _UNLISTED)
    return _(
        "events exceed the report by {n}: the data do not say which of these events the "
        "report leaves out"
    ).format(n=exceed)


#: Events exceeding a report, some reported separately: the rest consistent, short, still over.
_SEPARATELY = (
    N_("events exceed the report by {n}: these events were reported separately: {events}; "
       "the other events account for {rest} of the reported {reported}: consistent"),
    N_("events exceed the report by {n}: these events were reported separately: {events}; "
       "without them, events fall short by {difference}"),
    N_("events exceed the report by {n}: these events were reported separately: {events}; "
       "without them, events still exceed the report by {difference}"),
)  # fmt: skip
#: The same, some not among the cases the report lists.
_UNLISTED = (
    N_("events exceed the report by {n}: not among the cases the report lists: {events}; "
       "the other events account for {rest} of the reported {reported}: consistent"),
    N_("events exceed the report by {n}: not among the cases the report lists: {events}; "
       "without them, events fall short by {difference}"),
    N_("events exceed the report by {n}: not among the cases the report lists: {events}; "
       "without them, events still exceed the report by {difference}"),
)  # fmt: skip


def _taken_out(
    check: CrossCheck,
    exceed: str,
    reported: str,
    events: tuple[CheckedEvent, ...],
    people: int,
    sentences: tuple[str, str, str],
) -> str:
    """Return the verdict of events exceeding a report, naming ``events`` and without them.

    The total without ``events`` (``people``: their lower total) is compared with the report
    again (``sentences``: the wording when the rest is consistent, falls short, still
    exceeds), so the sentence adds up:
    "events exceed the report by 8: not among the cases the report lists: 26 April 2024
    (about 60); without them, events fall short by 52".
    """
    named = _list_join().join(checked_event_label(event) for event in events)
    rest = check.events_low - people
    verdict, difference = verdict_of(check.reported_low, check.reported_high, rest)
    sentence = {"consistent": sentences[0], "falls_short": sentences[1]}.get(verdict, sentences[2])
    return _(sentence).format(
        n=exceed, events=named, rest=number(rest), reported=reported, difference=number(difference)
    )


def _list_join() -> str:
    """Return how the items of a list are joined mid-sentence (``; ``)."""
    return _("; ")


def cross_check_fields(check: CrossCheck) -> dict[str, str]:
    """Return a cross-check's parts worded, keyed as :data:`CROSS_CHECK_LABELS`."""
    total = PeopleRange(check.events_low, check.events_best, check.events_high)
    return {
        "report": check.source_org,
        "period": date_text(check.period[0], check.period[1], "period"),
        "reported": reported_words(check),
        "events": events_text(check.events_count),
        "total": people_text(total) if check.events_count else _("no events"),
        "verdict": verdict_text(check),
    }


def cross_check_lines(check: CrossCheck) -> list[str]:
    """Return a cross-check as labelled lines, its events listed with their links (text outputs)."""
    fields = cross_check_fields(check)
    labels = cross_check_labels()
    lines = [_labelled().format(label=labels[key], value=value) for key, value in fields.items()]
    for event in check.events:
        role = event_role(check, event.event_id)
        mark = f" [{role}]" if role else ""
        lines.append(f"  - {checked_event_label(event)}{mark}: {event.source_url}")
    return lines


def _labelled() -> str:
    """Return the pattern of a labelled value, ``{label}: {value}``, in the current language."""
    return _("{label}: {value}")


#: How an event in a report's period relates to the report (``event_role``).
EVENT_ROLES = {"listed": N_("listed by the report"), "separate": N_("reported separately")}


def event_role(check: CrossCheck, event_id: str) -> str:
    """Return how an event relates to a checked report: listed by it, reported apart, or ''."""
    if event_id in check.listed_event_ids:
        return _(EVENT_ROLES["listed"])
    if event_id in check.explaining_event_ids:
        return _(EVENT_ROLES["separate"])
    return ""


# --- Counting rules, returns by province, the by-year table ------------------------------

#: How each match rule (``geo.reference.schema.MATCH_MODES``) is labelled in the app's sidebar
#: and described in subtitles and notes.
#: (English, marked for the catalogue: translate with ``_()`` where shown; :func:`match_label`.)
MATCH_LABELS = {
    "start": N_("By start date (ranges add up)"),
    "overlap": N_("Overlaps the range"),
    "within": N_("Entirely within the range"),
}
MATCH_PHRASES = {
    "start": N_("events starting in"),
    "overlap": N_("events overlapping"),
    "within": N_("events entirely within"),
}
#: :data:`MATCH_PHRASES` with "the range" as one phrase (:func:`match_text`): the word order
#: differs between languages.
MATCH_TEXTS = {
    "start": N_("events starting in the range"),
    "overlap": N_("events overlapping the range"),
    "within": N_("events entirely within the range"),
}
#: The Chinese or North Korean province of an event that cannot be told.
PROVINCE_NOT_KNOWN_TEXT = N_("province not known")
#: The by-year table's labels of the undated row and of the rows and column of totals.
YEAR_NOT_KNOWN_TEXT = N_("date not known")
ALL_YEARS_TEXT = N_("All years")
ALL_PROVINCES_TEXT = N_("All (each event once)")
#: The by-year table's first column (:func:`year_table_text`).
YEAR_COLUMN = N_("Year")
#: What the by-year table's rows mean, said wherever the table is shown.
YEAR_TABLE_NOTE = N_(
    "Each event is in the year of its start date (an event with no start, in the year of its "
    "end), so the years add up to All years. An event in two provinces is under each and "
    "once in All (each event once). Years with no documented event have no row."
)
#: How many spanning events the overlap note names before "and N more".
SPANNING_NAMED = 5
_PLACE_CHARS = 48


def match_label(match: str) -> str:
    """Return a match rule's label (:data:`MATCH_LABELS`) in the current language."""
    return _(MATCH_LABELS.get(match, MATCH_LABELS["start"]))


def match_phrase(match: str) -> str:
    """Return how a match rule selects events: ``events starting in`` (before "the range")."""
    return _(MATCH_PHRASES.get(match, MATCH_PHRASES["start"]))


def match_text(match: str) -> str:
    """Return how a match rule selects events, whole: ``events starting in the range``."""
    return _(MATCH_TEXTS.get(match, MATCH_TEXTS["start"]))


def province_label(code: str, names: Mapping[str, str] | None = None) -> str:
    """Return a province's name, ``province not known`` for ``PROVINCE_NOT_KNOWN``.

    From ``names`` (``render.names.province_names``), else the ISO 3166-2 list, else the code.
    """
    if code == PROVINCE_NOT_KNOWN:
        return _(PROVINCE_NOT_KNOWN_TEXT)
    if code == ALL:
        return _(ALL_PROVINCES_TEXT)
    return (names or {}).get(code) or CN_PROVINCES.get(code) or KP_EXTRA_CODES.get(code) or code


def year_label(key: str) -> str:
    """Return a by-year table row's label: ``2023``, ``date not known`` or ``All years``."""
    if key == ALL:
        return _(ALL_YEARS_TEXT)
    if key == PROVINCE_NOT_KNOWN:
        return _(YEAR_NOT_KNOWN_TEXT)
    return formats.year(int(key)) if str(key).isdigit() else str(key)


#: The counted nouns :func:`plural` knows, each with its message in every language's forms.
_COUNTED: dict[str, Callable[[int], str]] = {
    "event": lambda n: ngettext("{n} event", "{n} events", n),
    "further claim": lambda n: ngettext("{n} further claim", "{n} further claims", n),
    "mapped event": lambda n: ngettext("{n} mapped event", "{n} mapped events", n),
    "source": lambda n: ngettext("{n} source", "{n} sources", n),
    "record": lambda n: ngettext("{n} record", "{n} records", n),
}


def plural(n: int, noun: str) -> str:
    """Return ``n`` and ``noun``, plural unless one: ``1 event``, ``3 further claims``.

    The nouns of :data:`_COUNTED` are translated (``ngettext``: Korean and Chinese count with
    their own counters, ``사건 3건``, ``3起事件``); any other noun is English.
    """
    counted = _COUNTED.get(noun)
    if counted is not None:
        return counted(n).format(n=number(n))
    return f"{number(n)} {noun}" if n == 1 else f"{number(n)} {noun}s"


def events_text(events: int) -> str:
    """Return ``1 event`` / ``3 events``."""
    return plural(events, "event")


def totals_text(totals: ProvinceTotals) -> str:
    """Return a province's people and events: ``at least 620 (3 events)``; ``none``.

    Examples
    --------
    >>> totals_text(ProvinceTotals(2, 1, PeopleRange(168, 168, None)))
    'at least 168 (2 events)'
    >>> totals_text(ProvinceTotals(0, 0, PeopleRange(0, 0, 0)))
    'none'
    """
    if totals.events == 0:
        return _(PEOPLE_WORDS["none"])
    return _("{people} ({events})").format(
        people=people_text(totals.people), events=events_text(totals.events)
    )


def spanning_text(event: SpanningEvent) -> str:
    """Return one event running past a range, short: its dates and place (else its id)."""
    when = date_text(event.date_start, event.date_end, event.date_precision)
    place = textwrap.shorten(event.place, _PLACE_CHARS, placeholder=" …") or event.event_id
    return _("{date}, {place}").format(date=when, place=place)


def overlap_note(match: str, spanning: tuple[SpanningEvent, ...]) -> str | None:
    """Return the one-line note of an ``overlap`` view (None for the other rules).

    It says that the totals do not add up with neighbouring ranges and names the events that
    run past the range (at most :data:`SPANNING_NAMED`, then how many more).

    Examples
    --------
    >>> overlap_note("start", ()) is None
    True
    >>> overlap_note("overlap", ())[:54]
    'Counted by overlap: totals of neighbouring ranges may '
    """
    if match != "overlap":
        return None
    if not spanning:
        return _(
            "Counted by overlap: totals of neighbouring ranges may not add up (no event here "
            "runs past this range)"
        )
    named = _list_join().join(spanning_text(event) for event in spanning[:SPANNING_NAMED])
    more = len(spanning) - SPANNING_NAMED
    rest = _("; and {n} more").format(n=number(more)) if more > 0 else ""
    return ngettext(
        "Counted by overlap: totals of neighbouring ranges do not add up: {events} runs past "
        "this range into a neighbouring one: {named}{rest}",
        "Counted by overlap: totals of neighbouring ranges do not add up: {events} run past "
        "this range into a neighbouring one: {named}{rest}",
        len(spanning),
    ).format(events=events_text(len(spanning)), named=named, rest=rest)


#: Returns whose province on the Chinese / North Korean side cannot be told.
SIDE_NOT_KNOWN = {
    "from": N_("Chinese province not known"),
    "to": N_("North Korean province not known"),
}


def returned_label(code: str, side: str, names: Mapping[str, str] | None = None) -> str:
    """Return the label of returns from (``side="from"``) or to (``"to"``) a province.

    Examples
    --------
    >>> returned_label("CN-JL", "from")
    'Returned from Jilin'
    >>> returned_label("not_known", "to")
    'North Korean province not known'
    """
    if code == PROVINCE_NOT_KNOWN:
        return _(SIDE_NOT_KNOWN[side])
    province = province_label(code, names)
    if side == "from":
        return _("Returned from {province}").format(province=province)
    return _("Returned to {province}").format(province=province)


#: The heading of :func:`returns_lines` (the CLI summary and the report pack's README).
RETURNS_HEADING = N_(
    "Forced returns by province (an event in two provinces is under each, once in totals):"
)


_NO_RETURNS = ProvinceTotals(0, 0, PeopleRange(0, 0, 0))
#: The first two headline figures' labels (translated where shown).
EVENTS, PEOPLE_RETURNED = N_("Events"), N_("People returned")


def headline_figures(summary: Summary, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return a view's headline figures, label -> value, in the current language.

    The events, the people returned, then returns from Jilin, from Liaoning and from an
    unknown Chinese province: the app's metrics, the figure line of presentation mode and the
    HTML export's header.

    Parameters
    ----------
    summary
        The view's summary.
    names
        Province code -> name in the view's language (``render.names.province_names``).
    """
    figures = {
        _(EVENTS): number(summary.events),
        _(PEOPLE_RETURNED): people_text(summary.people),
    }
    for code in RETURNED_FROM_ALWAYS:
        label = returned_label(code, "from", names)
        figures[label] = totals_text(summary.returned_from.get(code, _NO_RETURNS))
    return figures


def returns_lines(
    returned_from: Mapping[str, ProvinceTotals],
    returned_to: Mapping[str, ProvinceTotals],
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """Return the forced returns by province as lines of text.

    From each Chinese province, then to each North Korean one (``Returned from Jilin: 60
    (1 event)``); an event in two provinces is under each.
    """
    return [
        _labelled().format(label=returned_label(code, side, names), value=totals_text(totals))
        for side, totals_by in (("from", returned_from), ("to", returned_to))
        for code, totals in totals_by.items()
    ]


def year_table_text(table: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return the by-year table (``geo.by_year.year_province_table``) in words, one row a year.

    Columns: ``Year``, then one per province (``Jilin``, ..., ``province not known``,
    ``All (each event once)``), each cell :func:`totals_text`.
    """
    cells = {
        (row.year, row.province): totals_text(ProvinceTotals(
            int(row.events), int(row.shared_events), PeopleRange(
                int(row.people_low), int(row.people_best),
                None if pd.isna(row.people_high) else int(row.people_high),
            ),
        ))
        for row in table.itertuples(index=False)
    }  # fmt: skip
    years = list(dict.fromkeys(table["year"]))
    provinces = list(dict.fromkeys(table["province"]))
    return pd.DataFrame(
        [[year_label(y), *(cells[(y, p)] for p in provinces)] for y in years],
        columns=[_(YEAR_COLUMN), *(province_label(p, names) for p in provinces)],
    )


def year_table_lines(table: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Return :func:`year_table_text` as lines of text: ``2023: Jilin: none; ...``."""
    frame = year_table_text(table, names)
    labelled, join = _labelled(), _list_join()
    lines = []
    for year, *cells in frame.itertuples(index=False):
        pairs = zip(frame.columns[1:], cells, strict=True)
        value = join.join(labelled.format(label=name, value=cell) for name, cell in pairs)
        lines.append(labelled.format(label=year, value=value))
    return lines


# --- What the claims about an event say together (geo.claims) ---------------------------

#: An event only one independent source supports (claims citing one original count once).
SINGLE_SOURCE = N_("single source")
#: An event whose claims disagree (``geo.claims``: counts, dates or provinces).
SOURCES_DISAGREE = N_("sources disagree")
#: A claim about a part of an event (``claim_scope`` ``part``: one crossing, one person).
PART_OF_EVENT = N_("part of the event")
#: How the legend explains an event drawn at the places its sources name, and its support.
CLAIM_PLACES_NOTE = N_(
    "An event whose reference source names no place is drawn at the places other sources "
    "name, one circle per place; together the circles stand for the event once."
)
SUPPORT_NOTE = N_(
    "Popups say how many independent sources support an event (sources quoting one original "
    "count once) and mark “single source” events and sources that disagree."
)


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
        return _("1 independent source (single source)")
    return _("{n} independent sources").format(n=number(independent))


def conflict_text(conflicting: int, lowest: int, highest: int) -> str:
    """Return the note on events whose claims disagree, with the spread of the total.

    ``lowest`` / ``highest``: the total using each event's lowest / highest claimed figure
    (``Summary.people_lowest_claims`` / ``people_highest_claims``).

    Examples
    --------
    >>> conflict_text(2, 610, 760)
    '2 events have conflicting claims; over every event's claims, the total runs from 610 (each event's lowest claim) to 760 (its highest)'

    The spread is over the claims of every event, not only of those that conflict: an event
    whose claims agree within the tolerance (``geo.claims``) may still have a lower one.
    """  # noqa: E501
    return ngettext(
        "{n} event has conflicting claims; over every event's claims, the total runs from "
        "{lowest} (each event's lowest claim) to {highest} (its highest)",
        "{n} events have conflicting claims; over every event's claims, the total runs from "
        "{lowest} (each event's lowest claim) to {highest} (its highest)",
        conflicting,
    ).format(n=number(conflicting), lowest=number(lowest), highest=number(highest))


def summary_conflict_text(summary: Summary) -> str:
    """Return :func:`conflict_text` of a view's summary, '' when no event's claims disagree."""
    if not summary.conflicting_events:
        return ""
    return conflict_text(
        summary.conflicting_events, summary.people_lowest_claims, summary.people_highest_claims
    )


def summary_notes(summary: Summary) -> list[str]:
    """Return the notes that qualify a view's figures, each one sentence without its stop.

    Events on the border whose country is uncertain, rows read with an assumed event type, and
    events whose claims disagree; only those the view has. The CLI, the PDF's data note and the
    report pack's README print them alike.
    """
    return [
        note
        for note in (
            country_uncertain_text(summary.country_uncertain) if summary.country_uncertain else "",
            _("Event type assumed: {note}").format(
                note=assumed_type_text(summary.assumed_event_type)
            )
            if summary.assumed_event_type
            else "",
            summary_conflict_text(summary),
        )
        if note
    ]


# --- Credits -----------------------------------------------------------------------------

#: (what, credit, link, licence) of the data every map shows; the words are translated where
#: shown (:func:`attribution`), the names of the data and the licences stay as they are.
DATA_CREDITS = (
    (N_("Boundaries and rivers"), N_("Made with Natural Earth"),
     "https://www.naturalearthdata.com/", N_("public domain")),
    (N_("Place names"), "© GeoNames", "https://www.geonames.org/", "CC BY 4.0"),
)  # fmt: skip


def attribution() -> str:
    """Return the data credits as plain text in the current language (exports, README)."""
    return ("" if current_language() == "zh" else " ").join(
        _("{what}: {credit} ({site}), {licence}.").format(
            what=_(what), credit=_(credit), site=url.split("//")[1].rstrip("/"),
            licence=_(licence),
        )
        for what, credit, url, licence in DATA_CREDITS
    )  # fmt: skip


def attribution_html() -> Markup:
    """Return the data credits as HTML with links in the current language (web map)."""
    return Markup(" ").join(
        Markup(_("{what}: {credit}, {licence}.")).format(
            what=_(what), credit=link_html(url, _(credit)), licence=_(licence)
        )
        for what, credit, url, licence in DATA_CREDITS
    )


def print_attribution() -> str:
    """Return the credits printed on static maps: the data, the font, how the map was made."""
    return _(
        "{credits} Font: Noto Sans CJK (SIL OFL 1.1). "
        "Map: border-events-map (vector basemap, no web tiles)."
    ).format(credits=attribution())


with language("en"):
    #: The data credits as plain text, in English (:func:`attribution`: the current language).
    ATTRIBUTION = attribution()
    #: The data credits as HTML with links, in English (:func:`attribution_html`).
    ATTRIBUTION_HTML = attribution_html()
    #: The credits printed on static maps, in English (:func:`print_attribution`).
    PRINT_ATTRIBUTION = print_attribution()


#: How people read the columns a dataset's owner may mark sensitive
#: (``geo.reference.schema.SENSITIVE_COLUMNS``): the note on what was withheld and the data
#: exports' headers (``render.exports.data.COLUMN_LABELS``).
SENSITIVE_LABELS = {
    "count_text": N_("Count in the source's words"),
    "location_text": N_("Location in the source's words"),
    "source_org": N_("Source organisation"),
    "source_title": N_("Source title"),
    "source_url": N_("Source URL"),
    "evidence_quote": N_("Quote"),
    "notes": N_("Notes"),
    "cites": N_("Cites"),
}
WITHHELD_NOTE = N_("Withheld for publication: {columns} (these columns are blank)")


def sensitive_column_label(column: str) -> str:
    """Return a markable column as people read it, with its name in files: ``Notes (notes)``."""
    if column not in SENSITIVE_LABELS:
        return column
    return _("{label} ({column})").format(label=_(SENSITIVE_LABELS[column]), column=column)


def withheld_note(columns: Iterable[str]) -> str | None:
    """Return the note on the columns left out for publication (``geo.withhold``), or None.

    One sentence without its full stop, in the current language, naming each column as people
    read it with its name in files: ``Withheld for publication: Quote (evidence_quote), Notes
    (notes) (these columns are blank)``. Every output made from a view with
    ``ViewData.withheld`` carries it in its data note, whoever chose the columns (the dataset's
    owner in the app, the person exporting on the command line).
    """
    named = [sensitive_column_label(c) for c in columns]
    if not named:
        return None
    return _(WITHHELD_NOTE).format(columns=_(", ").join(named))
