"""Totals for a view: events, people as a range, per-province breakdown, report cross-checks.

Counting rules
--------------
- Only reference rows (``same_event_as == ''``) count; other sources' claims never add up.
- ``report`` rows are aggregate claims, never events: they feed ``cross_checks`` only.
- ``people_low`` sums ``count_low``; a missing low counts as 0, so the total stays a lower
  bound (an event of unknown size adds nothing to it).
- ``people_best`` sums ``count_best``, falling back to ``count_low`` (the figure the source
  vouches for) and then 0 when neither is given; with valid counts (low <= best) it is
  never below ``people_low``.
- ``people_high`` sums ``count_high``, and is None (no upper bound) as soon as one counted
  event has none ("more than 500" has no ceiling).
- A multi-province event counts once in every total and appears in each of its provinces'
  breakdowns, where ``shared_events`` counts it too. Per-province people include shared
  events in full, so province figures do not add up to the total when events are shared.
- ``outside_map_area`` counts the events with ``map_level == "outside"`` (kept, listed).
- ``country_uncertain`` counts the events on the China–DPRK border whose country the map
  cannot tell (``geo.join``): they count in every total and in no province's breakdown.
- ``assumed_event_type`` counts the events whose file gave no event type (``assumed``).
- ``returned_from`` / ``returned_to``: the ``forced_return`` events by the Chinese province
  they were returned from and the North Korean province they were returned to
  (``side_provinces``: every ``CN-`` / ``KP-`` code among the event's mapped ``provinces``
  and its ``admin1_codes``); an event naming none on that side is under
  ``PROVINCE_NOT_KNOWN`` (border-wide, or only a place on the other side given). An event
  returned from (or to) two provinces appears under each, where ``shared_events`` counts it,
  and once in ``returned``, the totals of all returns.
- ``spanning``: with ``match == "overlap"``, the counted events running past the range's
  start or end (``geo.filter.spanning_events``): they count in the neighbouring range too.
- ``conflicting_events`` counts the events whose claims disagree (``conflict``, ``geo.claims``);
  ``people_lowest_claims`` / ``people_highest_claims`` sum each event's lowest / highest
  claimed figure (``lowest_claim`` / ``highest_claim``; 0 when no claim gives a number): the
  spread of the total over what the sources say.

Cross-checks
------------
For each ``report`` reference row whose dates overlap the view's range, that gives a figure
and whose wording is about returns (``is_about_returns``), the people of the
``forced_return`` reference events lying within the report's period (open where the report
gives no start or end), over all events regardless of the view's type, province and match
filters. Each check carries a verdict, comparing the events' lower total (the people their
sources vouch for) with the reported figure:

- ``consistent``: the lower total lies within the reported figure (equal to an exact or
  open-ended figure, between the ends of a range, at most an "up to" figure);
- ``exceeds``: it is above the figure (``difference`` = how far);
- ``falls_short``: it is below the figure's lower end (``difference`` = how far).

Events *reported separately* (``explaining_event_ids``) are the events in the period that the
report does not list as its own but its publisher reported apart from it: not marked
"Component of <report>" in any of their rows' ``notes``, and either (a) the report lists
components and one of their rows cites a page the report's rows cite (the publisher gave them
beside the itemised figure, not in it), or (b)
they are a component of another report by the same organisation (``source_org`` up to its
first bracket) published after this one (``source_published``, else the end of its period).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.filter import date_mask, is_reference, known_dates, reference_ids, spanning_events
from geo.reference.schema import DEFAULT_MATCH
from geo.view import ViewParams

#: The key of events whose province on one side of the border is not known.
PROVINCE_NOT_KNOWN = "not_known"
#: The Chinese provinces of the border, always listed among the returns (first, in this order).
BORDER_CN_PROVINCES = ("CN-JL", "CN-LN")
#: The returns a summary always lists, by the Chinese province they were returned from.
RETURNED_FROM_ALWAYS = (*BORDER_CN_PROVINCES, PROVINCE_NOT_KNOWN)

#: Words that make a report's quote, figure or notes a claim about returns.
RETURN_WORDS = re.compile(
    r"repatriat|\breturn|\bsen(?:t|d|ding)\b.{0,60}\bback\b|deport|북송", re.IGNORECASE | re.DOTALL
)
#: Wording in a report's notes that marks it as not about returns (detention stocks, arrests).
NOT_RETURNS = re.compile(r"\bnot returns\b|\bstock\b|\bnot an? (?:arrest or )?return", re.I)


@dataclass(frozen=True)
class PeopleRange:
    """People as a range: sum of lows, of best estimates, and of highs (None: no upper bound)."""

    low: int
    best: int
    high: int | None


@dataclass(frozen=True)
class ProvinceTotals:
    """One province's events (``shared`` of them also in other provinces) and people."""

    events: int
    shared_events: int
    people: PeopleRange


def _totals_dict(totals: ProvinceTotals) -> dict[str, Any]:
    return {
        "events": totals.events,
        "shared_events": totals.shared_events,
        "people_low": totals.people.low,
        "people_best": totals.people.best,
        "people_high": totals.people.high,
    }


@dataclass(frozen=True)
class SpanningEvent:
    """An event running past the view's range (``overlap`` counts it in the next range too)."""

    event_id: str
    date_start: str | None
    date_end: str | None
    date_precision: str
    place: str

    def to_dict(self) -> dict[str, Any]:
        """Return the event as a JSON-ready dict."""
        return {
            "event_id": self.event_id,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "place": self.place,
        }


@dataclass(frozen=True)
class CheckedEvent:
    """One reference event a cross-check looks at: what lists it with its date, count and link."""

    event_id: str
    date_start: str | None
    date_end: str | None
    date_precision: str
    count_qualifier: str
    count_best: int | None
    count_low: int | None
    count_high: int | None
    count_text: str
    place_names: str
    source_org: str
    source_url: str
    place_ids: str = ""  # the gazetteer's ids of ``place_names`` (``|``-separated), if known


#: A cross-check's verdicts (worded by ``render.wording.verdict_text``).
VERDICTS = ("consistent", "exceeds", "falls_short")


@dataclass(frozen=True)
class CrossCheck:
    """A report's aggregate claim set against the forced-return events within its period.

    ``events`` are those events in date order, ``explaining_event_ids`` the ones reported
    separately, ``listed_event_ids`` the ones the report lists as its own ("Component of");
    ``verdict`` is one of :data:`VERDICTS` and ``difference`` how far the events'
    lower total lies above (``exceeds``) or below (``falls_short``) the reported figure.
    """

    event_id: str
    claim: str
    source_org: str
    period: tuple[str | None, str | None]
    reported_low: int | None
    reported_high: int | None
    events_low: int
    events_best: int
    events_count: int
    events_high: int | None = None
    reported_qualifier: str = ""
    verdict: str = "consistent"
    difference: int = 0
    source_url: str = ""
    events: tuple[CheckedEvent, ...] = ()
    explaining_event_ids: tuple[str, ...] = ()
    listed_event_ids: tuple[str, ...] = ()

    @property
    def event_ids(self) -> tuple[str, ...]:
        """Return the ids of the events within the report's period, in date order."""
        return tuple(event.event_id for event in self.events)

    @property
    def explaining(self) -> tuple[CheckedEvent, ...]:
        """Return the events reported separately (``explaining_event_ids``)."""
        ids = set(self.explaining_event_ids)
        return tuple(event for event in self.events if event.event_id in ids)

    @property
    def explained_people(self) -> PeopleRange:
        """Return the people of the events reported separately, as a range."""
        return _checked_range(self.explaining)

    @property
    def unlisted(self) -> tuple[CheckedEvent, ...]:
        """Return the events not among the cases the report lists (none when it lists none)."""
        listed = set(self.listed_event_ids)
        return tuple(e for e in self.events if e.event_id not in listed) if listed else ()

    @property
    def unlisted_people(self) -> PeopleRange:
        """Return the people of the events the report's list of cases leaves out, as a range."""
        return _checked_range(self.unlisted)

    def to_dict(self) -> dict[str, Any]:
        """Return the cross-check as a JSON-ready dict (``period`` as a list)."""
        return {
            "event_id": self.event_id,
            "claim": self.claim,
            "source_org": self.source_org,
            "period": list(self.period),
            "reported_low": self.reported_low,
            "reported_high": self.reported_high,
            "events_low": self.events_low,
            "events_best": self.events_best,
            "events_count": self.events_count,
            "events_high": self.events_high,
            "reported_qualifier": self.reported_qualifier,
            "verdict": self.verdict,
            "difference": self.difference,
            "event_ids": list(self.event_ids),
            "explaining_event_ids": list(self.explaining_event_ids),
            "listed_event_ids": list(self.listed_event_ids),
        }


@dataclass(frozen=True)
class Summary:
    """Totals of one view; ``to_dict()`` is the ``border-map summary --json`` object."""

    start: dt.date | None
    end: dt.date | None
    events: int
    people: PeopleRange
    by_province: dict[str, ProvinceTotals] = field(default_factory=dict)
    outside_map_area: int = 0
    country_uncertain: int = 0
    assumed_event_type: int = 0
    cross_checks: tuple[CrossCheck, ...] = ()
    match: str = DEFAULT_MATCH
    returned: ProvinceTotals = ProvinceTotals(0, 0, PeopleRange(0, 0, 0))
    returned_from: dict[str, ProvinceTotals] = field(default_factory=dict)
    returned_to: dict[str, ProvinceTotals] = field(default_factory=dict)
    spanning: tuple[SpanningEvent, ...] = ()
    conflicting_events: int = 0
    people_lowest_claims: int = 0
    people_highest_claims: int = 0

    @property
    def provinces_with_events(self) -> int:
        """Return how many provinces have at least one event in the view."""
        return sum(1 for totals in self.by_province.values() if totals.events > 0)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict (dates as ISO strings or None)."""
        return {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "events": self.events,
            "people_low": self.people.low,
            "people_best": self.people.best,
            "people_high": self.people.high,
            "by_province": {
                code: {
                    "events": totals.events,
                    "shared_events": totals.shared_events,
                    "people_low": totals.people.low,
                    "people_best": totals.people.best,
                }
                for code, totals in self.by_province.items()
            },
            "outside_map_area": self.outside_map_area,
            "country_uncertain": self.country_uncertain,
            "assumed_event_type": self.assumed_event_type,
            "cross_checks": [check.to_dict() for check in self.cross_checks],
            "match": self.match,
            "returned": _totals_dict(self.returned),
            "returned_from": {c: _totals_dict(t) for c, t in self.returned_from.items()},
            "returned_to": {c: _totals_dict(t) for c, t in self.returned_to.items()},
            "spanning_boundary": [event.to_dict() for event in self.spanning],
            "conflicting_events": self.conflicting_events,
            "people_lowest_claims": self.people_lowest_claims,
            "people_highest_claims": self.people_highest_claims,
        }


def _iso(value: dt.date | pd.Timestamp | None) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def people_per_event(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each event's counted low and best people (rules in the module doc), 0 if unknown."""
    low = events["count_low"].fillna(0)
    return low, events["count_best"].fillna(events["count_low"]).fillna(0)


def people_range(events: pd.DataFrame) -> PeopleRange:
    """Return the people of ``events`` as a range (counting rules in the module doc)."""
    low, best = people_per_event(events)
    high = events["count_high"]
    high_total = None if high.isna().any() else int(high.sum())
    return PeopleRange(int(low.sum()), int(best.sum()), high_total)


def _totals_by_code(
    codes: NDArray[np.intp], distinct: Sequence[str], shared: NDArray[np.bool_], people: _People
) -> dict[str, ProvinceTotals]:
    """Return the totals per code of ``|``-separated cells given as ``distinct[codes]``.

    A row counts under each code its cell names (as often as it names it); empty codes are not
    codes. The events, shared events and people are summed per distinct cell (one pass over
    the rows each), then added up per code.
    """
    size = len(distinct)
    high = people.high
    sums = np.stack(
        [
            np.bincount(codes, minlength=size),
            np.bincount(codes, weights=shared, minlength=size),
            np.bincount(codes, weights=people.low, minlength=size),
            np.bincount(codes, weights=people.best, minlength=size),
            np.bincount(codes, weights=np.nan_to_num(high), minlength=size),
            np.bincount(codes, weights=np.isnan(high), minlength=size),
        ],
        axis=1,
    )
    per_code: dict[str, NDArray[np.float64]] = {}
    for cell, row in zip(distinct, sums, strict=True):
        for code in cell.split("|"):
            if code:
                per_code[code] = per_code[code] + row if code in per_code else row
    return {
        code: ProvinceTotals(
            int(events),
            int(shared_events),
            PeopleRange(int(low), int(best), None if unknown else int(high)),
        )
        for code, (events, shared_events, low, best, high, unknown) in per_code.items()
    }


class _People:
    """The people of each event as arrays, for the totals of many subsets of the events."""

    def __init__(self, events: pd.DataFrame) -> None:
        low, best = people_per_event(events)
        self.low = low.to_numpy(dtype=float)
        self.best = best.to_numpy(dtype=float)
        self.high = events["count_high"].to_numpy(dtype=float, na_value=np.nan)


def _by_province(events: pd.DataFrame) -> dict[str, ProvinceTotals]:
    codes, distinct = pd.factorize(events["provinces"].fillna(""), use_na_sentinel=False)
    shared = events["shared"].to_numpy(dtype=bool)
    totals = _totals_by_code(codes, [str(cell) for cell in distinct], shared, _People(events))
    return dict(sorted(totals.items()))


class _Sides:
    """Each event's provinces on one side of the border, as codes into distinct cells."""

    def __init__(self, events: pd.DataFrame, prefix: str) -> None:
        mapped, mapped_cells = pd.factorize(events["provinces"].fillna(""), use_na_sentinel=False)
        given, given_cells = pd.factorize(events["admin1_codes"].fillna(""), use_na_sentinel=False)
        width = max(len(given_cells), 1)
        self.codes, pairs = pd.factorize(mapped.astype(np.int64) * width + given)
        self.distinct = [
            _side(f"{mapped_cells[pair // width]}|{given_cells[pair % width]}", prefix)
            for pair in pairs.tolist()
        ]

    def shared(self) -> NDArray[np.bool_]:
        """Return, per event, whether it is in more than one province of the side."""
        return np.array(["|" in cell for cell in self.distinct], dtype=bool)[self.codes]


def _side(cell: str, prefix: str) -> str:
    found = sorted({c for c in cell.split("|") if c.startswith(prefix)})
    return "|".join(found) or PROVINCE_NOT_KNOWN


def side_provinces(events: pd.DataFrame, prefix: str) -> pd.Series:
    """Return each event's provinces on one side of the border, ``|``-separated.

    Every code starting with ``prefix`` (``"CN-"`` or ``"KP-"``) among the event's mapped
    ``provinces`` and its ``admin1_codes`` (which may name provinces off the map, e.g.
    ``CN-NM``), sorted; ``PROVINCE_NOT_KNOWN`` when there is none.
    """
    sides = _Sides(events, prefix)
    return pd.Series(np.array(sides.distinct, dtype=object)[sides.codes],
                     index=events.index, dtype=object)  # fmt: skip


def province_order(code: str) -> tuple[int, str]:
    """Sort key of province codes: Jilin, Liaoning, other codes, then ``PROVINCE_NOT_KNOWN``."""
    if code in BORDER_CN_PROVINCES:
        return (0, str(BORDER_CN_PROVINCES.index(code)))
    return (2, code) if code == PROVINCE_NOT_KNOWN else (1, code)


def totals_by_side(
    events: pd.DataFrame, prefix: str, always: tuple[str, ...] = ()
) -> dict[str, ProvinceTotals]:
    """Return the events and people of ``events`` per province on one side of the border.

    An event in two provinces of that side is under each (``shared_events`` counts it);
    ``always`` lists codes given even with no event. Keys in ``province_order``.
    """
    return _side_totals(_Sides(events, prefix), _People(events), always)


def _side_totals(
    sides: _Sides, people: _People, always: tuple[str, ...] = ()
) -> dict[str, ProvinceTotals]:
    totals = _totals_by_code(sides.codes, sides.distinct, sides.shared(), people)
    for code in always:
        totals.setdefault(code, ProvinceTotals(0, 0, PeopleRange(0, 0, 0)))
    return {code: totals[code] for code in sorted(totals, key=province_order)}


def counted_events(selected: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that count: reference rows that are not ``report`` rows."""
    return selected[is_reference(selected) & selected["event_type"].ne("report")]


def spanning(counted: pd.DataFrame, view: ViewParams) -> tuple[SpanningEvent, ...]:
    """Return the counted events an ``overlap`` view shares with its neighbours (else none)."""
    if view.match != "overlap":
        return ()
    rows = spanning_events(counted, view)
    starts, ends = known_dates(rows)
    return tuple(
        SpanningEvent(
            event_id=str(row.event_id),
            date_start=_iso(first),
            date_end=_iso(last),
            date_precision=str(row.date_precision),
            place=str(row.place_names).replace("|", ", ") or str(row.location_text),
        )
        for row, first, last in zip(rows.itertuples(index=False), starts, ends, strict=True)
    )


def is_about_returns(reports: pd.DataFrame) -> pd.Series:
    """Return which report rows claim a number of returns (not detentions or arrests).

    The schema has no column for what a report counts, so this reads the source's words:
    return wording in ``evidence_quote``, ``count_text`` or ``notes``, and no note saying the
    figure is a detention stock or not returns.
    """
    text = reports["evidence_quote"] + "\n" + reports["count_text"] + "\n" + reports["notes"]
    about = _matches(RETURN_WORDS, text) & ~_matches(NOT_RETURNS, reports["notes"])
    return pd.Series(about, index=reports.index)


def _matches(pattern: re.Pattern[str], texts: pd.Series) -> NDArray[np.bool_]:
    """Return which texts match ``pattern``, searching each distinct text once."""
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    return np.array([bool(pattern.search(t)) for t in distinct], dtype=bool)[codes]


_DAY_US = 86_400_000_000
_INT_MIN, _INT_MAX = np.iinfo(np.int64).min, np.iinfo(np.int64).max
#: The notes marker that makes a row's event part of a report's figure ("Component of <id>").
COMPONENT_OF = re.compile(r"\bComponent of ([^\s,;()]+)", re.IGNORECASE)


def _microseconds(dates: pd.Series, nat: int) -> NDArray[np.int64]:
    values = dates.to_numpy(dtype="datetime64[us]").view(np.int64)
    return np.where(dates.isna().to_numpy(), nat, values)


def _within_periods(
    reports: pd.DataFrame, events: pd.DataFrame, chunk_cells: int = 4_000_000
) -> tuple[NDArray[np.int64], list[NDArray[np.intp]]]:
    """Return, per report, the (count, low, best, high, no high) of the events within its period.

    Also returns, per report, the positions of those events in ``events``. Same rule as
    ``date_mask(..., "within")`` over the events' ``known_dates``: an open report bound accepts
    anything, an event with no date never satisfies a set bound. Vectorised over chunks of
    reports.
    """
    first = _microseconds(reports["date_start"], _INT_MIN)
    first = np.where(first == _INT_MIN, first, first // _DAY_US * _DAY_US)
    last = _microseconds(reports["date_end"], _INT_MAX)
    last = np.where(last == _INT_MAX, last, (last // _DAY_US + 1) * _DAY_US - 1)
    known_starts, known_ends = known_dates(events)
    starts = _microseconds(known_starts, _INT_MIN)
    ends = _microseconds(known_ends, _INT_MAX)
    low, best = people_per_event(events)
    high = events["count_high"]
    values = np.column_stack(
        [np.ones(len(events)), low, best, high.fillna(0), high.isna()]
    ).astype(np.int64)
    sums = np.zeros((len(reports), values.shape[1]), dtype=np.int64)
    positions: list[NDArray[np.intp]] = []
    step = max(1, chunk_cells // max(1, len(events)))
    for i in range(0, len(reports), step):
        inside = (starts >= first[i : i + step, None]) & (ends <= last[i : i + step, None])
        sums[i : i + step] = inside.astype(np.int64) @ values
        positions.extend(np.flatnonzero(row) for row in inside)
    return sums, positions


def _organisation(source_org: str) -> str:
    """Return the organisation a ``source_org`` names: its text up to the first bracket."""
    return source_org.split("(", 1)[0].strip().casefold()


def marks_component(events: pd.DataFrame) -> pd.Series:
    """Return which rows' ``notes`` may mark their event a report's component (``COMPONENT_OF``)."""
    return events["notes"].str.contains("component of", case=False, regex=False)


def _components(events: pd.DataFrame, refs: pd.Series) -> dict[str, set[str]]:
    """Return, per report's reference id, the reference ids of the events marked its components.

    A row whose ``notes`` say "Component of <id>" (any case) makes its event part of the
    figure of the report ``<id>`` belongs to (``<id>`` may name any row of that report).
    """
    ref_of = dict(zip(events["event_id"], refs, strict=True))
    marked = marks_component(events).to_numpy()
    found: dict[str, set[str]] = {}
    for note, ref in zip(events["notes"][marked], refs[marked], strict=True):
        for target in COMPONENT_OF.findall(note):
            report = ref_of.get(target.rstrip("."))
            if report is not None and report != ref:
                found.setdefault(report, set()).add(ref)
    return found


def _report_links(
    events: pd.DataFrame, reports: pd.DataFrame, within: list[list[str]]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Return, per report, the events within its period it lists, and those reported apart.

    ``within`` lists, per report, the reference ids of the events within its period. Listed:
    marked "Component of <report>"; reported separately: the rule in the module doc.
    """
    refs = reference_ids(events)
    components = _components(events, refs)
    part_of: dict[str, set[str]] = {}
    for report, members in components.items():
        for member in members:
            part_of.setdefault(member, set()).add(report)
    cited = events["source_url"].ne("").to_numpy(dtype=bool)
    urls: dict[str, set[str]] = {}
    for ref, url in zip(refs[events.index[cited]], events["source_url"][cited], strict=True):
        urls.setdefault(ref, set()).add(url)
    all_reports = events.loc[
        is_reference(events) & events["event_type"].eq("report"),
        ["event_id", "source_org", "source_published", "date_end"],
    ]
    organisation = dict(
        zip(all_reports["event_id"], all_reports["source_org"].map(_organisation), strict=True)
    )
    published = dict(
        zip(
            all_reports["event_id"],
            [
                given or (_iso(end) or "")
                for given, end in zip(
                    all_reports["source_published"], all_reports["date_end"], strict=True
                )
            ],
            strict=True,
        )
    )
    out = []
    for report, ids in zip(reports["event_id"], within, strict=True):
        own = components.get(report, set())
        pages = urls.get(report, set()) if own else set()  # (a) needs a list of components
        later = {  # (b) reports of the same organisation published after this one
            other
            for other in organisation
            if other != report
            and organisation[other] == organisation[report]
            and published[other] > published[report]
        }
        listed = tuple(i for i in ids if i in own)
        separate = tuple(
            i
            for i in ids
            if i not in own
            and (pages & urls.get(i, set()) or later & part_of.get(i, set()))
        )
        out.append((listed, separate))
    return out


def verdict_of(low: int | None, high: int | None, events_low: int) -> tuple[str, int]:
    """Return the verdict (:data:`VERDICTS`) and difference of a lower total against a figure.

    ``low`` and ``high`` are the reported figure's ends (None: open); the rule is in the module
    doc. Examples: ``verdict_of(670, None, 838) == ("exceeds", 168)``,
    ``verdict_of(None, 600, 500) == ("consistent", 0)``.
    """
    ceiling = high if high is not None else low
    if ceiling is not None and events_low > ceiling:
        return "exceeds", events_low - ceiling
    if low is not None and events_low < low:
        return "falls_short", low - events_low
    return "consistent", 0


def _whole_or_none(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


#: The columns of :class:`CheckedEvent` (and ``place_ids`` when the events have it); they hold
#: what ``_within_periods`` reads too.
_CHECKED_COLUMNS = (
    "event_id", "date_start", "date_end", "date_precision", "count_qualifier", "count_best",
    "count_low", "count_high", "count_text", "place_names", "source_org", "source_url",
    "source_published",
)  # fmt: skip


def _checked_columns(events: pd.DataFrame) -> list[str]:
    """Return the columns of ``events`` that :func:`_checked_events` reads."""
    return [*_CHECKED_COLUMNS, *(["place_ids"] if "place_ids" in events.columns else [])]


def _checked_events(events: pd.DataFrame) -> list[CheckedEvent]:
    """Return each row of ``events`` as a :class:`CheckedEvent`."""
    return [
        CheckedEvent(
            event_id=row.event_id,
            date_start=_iso(row.date_start),
            date_end=_iso(row.date_end),
            date_precision=row.date_precision,
            count_qualifier=row.count_qualifier,
            count_best=_whole_or_none(row.count_best),
            count_low=_whole_or_none(row.count_low),
            count_high=_whole_or_none(row.count_high),
            count_text=row.count_text,
            place_names=row.place_names,
            source_org=row.source_org,
            source_url=row.source_url,
            place_ids=str(getattr(row, "place_ids", "") or ""),
        )
        for row in events[_checked_columns(events)].itertuples(index=False)
    ]


def _checked_range(events: tuple[CheckedEvent, ...]) -> PeopleRange:
    """Return the people of checked events as a range (counting rules in the module doc)."""
    lows = [e.count_low or 0 for e in events]
    bests = [
        e.count_best if e.count_best is not None else (e.count_low or 0) for e in events
    ]
    highs = [e.count_high for e in events]
    high = None if any(h is None for h in highs) else sum(h for h in highs if h is not None)
    return PeopleRange(sum(lows), sum(bests), high)


def checked_reports(events: pd.DataFrame, view: ViewParams) -> pd.DataFrame:
    """Return the report reference rows a view cross-checks (rule in the module doc)."""
    reports = events[
        is_reference(events)
        & events["event_type"].eq("report")
        & date_mask(events["date_start"], events["date_end"], view.start, view.end, "overlap")
        & (events["count_low"].notna() | events["count_high"].notna())
    ]
    return reports[is_about_returns(reports)]


def checked_returns(reports: pd.DataFrame, events: pd.DataFrame) -> NDArray[np.bool_]:
    """Return which rows of ``events`` are forced-return reference rows within a report's period.

    These are the events the cross-checks of ``reports`` (:func:`checked_reports`) look at.
    """
    returns = is_reference(events).to_numpy() & events["event_type"].eq("forced_return").to_numpy()
    inside = np.zeros(len(events), dtype=bool)
    if len(reports) and returns.any():
        _, positions = _within_periods(reports, events[returns])
        inside[np.flatnonzero(returns)[np.unique(np.concatenate(positions))]] = True
    return inside


def _cross_checks(events: gpd.GeoDataFrame, view: ViewParams) -> tuple[CrossCheck, ...]:
    reports = checked_reports(events, view)
    if reports.empty:
        return ()
    returns = events.loc[
        is_reference(events) & events["event_type"].eq("forced_return"), _checked_columns(events)
    ]
    first = returns["date_start"].fillna(returns["date_end"])
    order = np.lexsort((returns["date_end"].to_numpy(), first.to_numpy()))
    returns = returns.iloc[order]
    sums, positions = _within_periods(reports, returns)
    used = np.unique(np.concatenate(positions)) if positions else np.array([], dtype=np.intp)
    checked = dict(zip(used.tolist(), _checked_events(returns.iloc[used]), strict=True))
    listed = [tuple(checked[int(p)] for p in where) for where in positions]
    links = _report_links(events, reports, [[e.event_id for e in group] for group in listed])
    checks = []
    for report, totals, group, (counted, separate) in zip(
        reports.itertuples(index=False), sums, listed, links, strict=True
    ):
        count, low, best, high, no_high = (int(v) for v in totals)
        reported_low = _whole_or_none(report.count_low)
        reported_high = _whole_or_none(report.count_high)
        verdict, difference = verdict_of(reported_low, reported_high, low)
        checks.append(
            CrossCheck(
                event_id=report.event_id,
                claim=report.count_text,
                source_org=report.source_org,
                period=(_iso(report.date_start), _iso(report.date_end)),
                reported_low=reported_low,
                reported_high=reported_high,
                events_low=low,
                events_best=best,
                events_count=count,
                events_high=None if no_high else high,
                reported_qualifier=report.count_qualifier,
                verdict=verdict,
                difference=difference,
                source_url=report.source_url,
                events=group,
                explaining_event_ids=separate,
                listed_event_ids=counted,
            )
        )
    return tuple(checks)


def summarise(
    selected: gpd.GeoDataFrame, view: ViewParams, all_events: gpd.GeoDataFrame
) -> Summary:
    """Return the totals of the events a view selected (rules in the module doc).

    Parameters
    ----------
    selected
        The joined events passing ``view``'s filters (``geo.filter.filter_events``).
    view
        The view: its range heads the summary and selects the reports to cross-check.
    all_events
        Every joined event, unfiltered: cross-checks look at every forced return.

    Returns
    -------
    Summary
        Counts, people ranges, per-province breakdown and report cross-checks.
    """
    counted = counted_events(selected)
    returns = counted[counted["event_type"].eq("forced_return")]
    from_sides, returned_people = _Sides(returns, "CN-"), _People(returns)
    return Summary(
        start=view.start,
        end=view.end,
        events=len(counted),
        people=people_range(counted),
        by_province=_by_province(counted),
        outside_map_area=int(counted["map_level"].eq("outside").sum()),
        country_uncertain=int(counted["country_uncertain"].sum()),
        assumed_event_type=int(assumed(counted, "event_type").sum()),
        cross_checks=_cross_checks(all_events, view),
        match=view.match,
        returned=ProvinceTotals(
            len(returns),
            int(from_sides.shared().sum()),
            people_range(returns),
        ),
        returned_from=_side_totals(from_sides, returned_people, RETURNED_FROM_ALWAYS),
        returned_to=_side_totals(_Sides(returns, "KP-"), returned_people),
        spanning=spanning(counted, view),
        conflicting_events=int(counted["conflict"].ne("").sum()),
        people_lowest_claims=int(counted["lowest_claim"].fillna(0).sum()),
        people_highest_claims=int(counted["highest_claim"].fillna(0).sum()),
    )


def _add_ranges(a: PeopleRange, b: PeopleRange) -> PeopleRange:
    high = None if a.high is None or b.high is None else a.high + b.high
    return PeopleRange(a.low + b.low, a.best + b.best, high)


def _add_totals(a: ProvinceTotals, b: ProvinceTotals) -> ProvinceTotals:
    return ProvinceTotals(
        a.events + b.events, a.shared_events + b.shared_events, _add_ranges(a.people, b.people)
    )


def _add_by_code(
    a: dict[str, ProvinceTotals], b: dict[str, ProvinceTotals], key: Any
) -> dict[str, ProvinceTotals]:
    both = dict(a)
    for code, totals in b.items():
        both[code] = _add_totals(both[code], totals) if code in both else totals
    return {code: both[code] for code in sorted(both, key=key)}


def add_summaries(a: Summary, b: Summary) -> Summary:
    """Return the summary of two disjoint sets of events of one view (``a``'s first).

    Every count and people range adds up (a missing upper bound stays missing); the spanning
    events of ``b`` follow ``a``'s; the cross-checks are ``a``'s and ``b``'s together, so at
    most one of them should have any (a cross-check looks at every event: ``geo.stream``).
    """
    return replace(
        a,
        events=a.events + b.events,
        people=_add_ranges(a.people, b.people),
        by_province=_add_by_code(a.by_province, b.by_province, None),
        outside_map_area=a.outside_map_area + b.outside_map_area,
        country_uncertain=a.country_uncertain + b.country_uncertain,
        assumed_event_type=a.assumed_event_type + b.assumed_event_type,
        cross_checks=a.cross_checks + b.cross_checks,
        returned=_add_totals(a.returned, b.returned),
        returned_from=_add_by_code(a.returned_from, b.returned_from, province_order),
        returned_to=_add_by_code(a.returned_to, b.returned_to, province_order),
        spanning=a.spanning + b.spanning,
        conflicting_events=a.conflicting_events + b.conflicting_events,
        people_lowest_claims=a.people_lowest_claims + b.people_lowest_claims,
        people_highest_claims=a.people_highest_claims + b.people_highest_claims,
    )


def assumed(events: pd.DataFrame, column: str) -> pd.Series:
    """Return, per event, whether validation assumed ``column`` (listed in ``assumed``)."""
    codes, distinct = pd.factorize(events["assumed"].fillna(""), use_na_sentinel=False)
    named = np.array([column in str(names).split("|") for names in distinct], dtype=bool)
    return pd.Series(named[codes], index=events.index)


def claims_for(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """Return every row about the same event as ``event_id``, its reference row first.

    ``event_id`` may name the reference row or any of its claims. Unknown ids give an empty
    frame.
    """
    refs = reference_ids(events)
    target = refs[events["event_id"].eq(event_id)]
    if target.empty:
        return events.iloc[0:0].copy()
    rows = events[refs.eq(target.iloc[0])]
    order = rows["event_id"].ne(target.iloc[0]).argsort(kind="stable")
    return rows.iloc[order].copy()
