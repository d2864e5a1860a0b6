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
- ``conflicting_events`` counts the events whose claims disagree (``conflict``, ``geo.claims``);
  ``people_lowest_claims`` / ``people_highest_claims`` sum each event's lowest / highest
  claimed figure (``lowest_claim`` / ``highest_claim``; 0 when no claim gives a number): the
  spread of the total over what the sources say.

Cross-checks
------------
For each ``report`` reference row whose dates overlap the view's range, that gives a figure
and whose wording is about returns (``is_about_returns``), the people of the
``forced_return`` reference events lying within the report's period (open where the report
gives no start or end), over all events regardless of the view's type and province filters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.filter import date_mask, is_reference, reference_ids
from geo.view import ViewParams

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


@dataclass(frozen=True)
class CrossCheck:
    """A report's aggregate claim set against the forced-return events within its period."""

    event_id: str
    claim: str
    source_org: str
    period: tuple[str | None, str | None]
    reported_low: int | None
    reported_high: int | None
    events_low: int
    events_best: int
    events_count: int

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


def _by_province(events: pd.DataFrame) -> dict[str, ProvinceTotals]:
    rows = events.assign(province=events["provinces"].str.split("|")).explode("province")
    rows = rows[rows["province"].fillna("").ne("")]
    return {
        str(code): ProvinceTotals(len(group), int(group["shared"].sum()), people_range(group))
        for code, group in rows.groupby("province", sort=True)
    }


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


def _microseconds(dates: pd.Series, nat: int) -> NDArray[np.int64]:
    values = dates.to_numpy(dtype="datetime64[us]").view(np.int64)
    return np.where(dates.isna().to_numpy(), nat, values)


def _sums_within_periods(
    reports: pd.DataFrame, events: pd.DataFrame, chunk_cells: int = 4_000_000
) -> NDArray[np.int64]:
    """Return, per report, the (count, low, best) of the events lying within its period.

    Same rule as ``date_mask(..., "within")``: an open report bound accepts anything, an
    unknown event date never satisfies a set bound. Vectorised over chunks of reports.
    """
    first = _microseconds(reports["date_start"], _INT_MIN)
    first = np.where(first == _INT_MIN, first, first // _DAY_US * _DAY_US)
    last = _microseconds(reports["date_end"], _INT_MAX)
    last = np.where(last == _INT_MAX, last, (last // _DAY_US + 1) * _DAY_US - 1)
    starts = _microseconds(events["date_start"], _INT_MIN)
    ends = _microseconds(events["date_end"], _INT_MAX)
    low, best = people_per_event(events)
    values = np.column_stack([np.ones(len(events)), low, best]).astype(np.int64)
    sums = np.zeros((len(reports), 3), dtype=np.int64)
    step = max(1, chunk_cells // max(1, len(events)))
    for i in range(0, len(reports), step):
        inside = (starts >= first[i : i + step, None]) & (ends <= last[i : i + step, None])
        sums[i : i + step] = inside.astype(np.int64) @ values
    return sums


def _cross_checks(events: gpd.GeoDataFrame, view: ViewParams) -> tuple[CrossCheck, ...]:
    refs = events[is_reference(events)]
    reports = refs[refs["event_type"].eq("report")]
    reports = reports[
        date_mask(reports["date_start"], reports["date_end"], view.start, view.end, "overlap")
        & (reports["count_low"].notna() | reports["count_high"].notna())
    ]
    reports = reports[is_about_returns(reports)]
    sums = _sums_within_periods(reports, refs[refs["event_type"].eq("forced_return")])
    return tuple(
        CrossCheck(
            event_id=report.event_id,
            claim=report.count_text,
            source_org=report.source_org,
            period=(_iso(report.date_start), _iso(report.date_end)),
            reported_low=None if pd.isna(report.count_low) else int(report.count_low),
            reported_high=None if pd.isna(report.count_high) else int(report.count_high),
            events_low=int(low),
            events_best=int(best),
            events_count=int(count),
        )
        for report, (count, low, best) in zip(reports.itertuples(index=False), sums, strict=True)
    )


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
    counted = selected[is_reference(selected) & selected["event_type"].ne("report")]
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
        conflicting_events=int(counted["conflict"].ne("").sum()),
        people_lowest_claims=int(counted["lowest_claim"].fillna(0).sum()),
        people_highest_claims=int(counted["highest_claim"].fillna(0).sum()),
    )


def assumed(events: pd.DataFrame, column: str) -> pd.Series:
    """Return, per event, whether validation assumed ``column`` (listed in ``assumed``)."""
    return events["assumed"].fillna("").str.split("|").map(lambda names: column in names)


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
