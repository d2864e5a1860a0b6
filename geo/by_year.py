"""The by-year × Chinese province table of a view: rows that add up to the view's totals.

Rules
-----
- The table counts the events the view counts (``geo.aggregate.counted_events``): its
  ``all`` × ``all`` row is the view's ``Summary.events`` and ``Summary.people``, whatever the
  view's match rule.
- Each event is in exactly one year: the year of its start (``geo.filter.known_dates``: an
  event with no start is placed at its end). An event with neither date is in the row
  ``PROVINCE_NOT_KNOWN`` ("date not known"), never in a year. Only years with events get a
  row: a missing year means no documented event, not none returned.
- Province columns are the event's Chinese provinces (``geo.aggregate.side_provinces``):
  Jilin and Liaoning always, other Chinese provinces when an event names one, then
  ``PROVINCE_NOT_KNOWN`` (no Chinese province can be told), then ``ALL`` (every event once).
  An event in two provinces is under each (``shared_events`` counts it) and once under ``ALL``.
- The ``ALL`` row of each province is the sum of its year rows (events and people; its
  upper bound is None as soon as one year's is).
"""

from __future__ import annotations

import pandas as pd

from geo.aggregate import (
    PROVINCE_NOT_KNOWN,
    RETURNED_FROM_ALWAYS,
    PeopleRange,
    ProvinceTotals,
    counted_events,
    people_range,
    province_order,
    side_provinces,
)
from geo.filter import known_dates

#: The key of the row summing every year, and of the column counting every event once.
ALL = "all"
#: The columns of the table, in order.
TABLE_COLUMNS = (
    "year", "province", "events", "shared_events", "people_low", "people_best", "people_high",
)  # fmt: skip


def event_years(events: pd.DataFrame) -> pd.Series:
    """Return each event's year as text (``"2023"``), ``PROVINCE_NOT_KNOWN`` if undated."""
    starts, _ = known_dates(events)
    years = pd.to_datetime(starts).dt.year
    return years.map(lambda y: PROVINCE_NOT_KNOWN if pd.isna(y) else str(int(y))).astype(object)


def year_province_table(selected: pd.DataFrame) -> pd.DataFrame:
    """Return the view's events and people per start year and Chinese province.

    Parameters
    ----------
    selected
        The rows a view selected (``ViewData.events``: reference rows with their claims).

    Returns
    -------
    pandas.DataFrame
        ``TABLE_COLUMNS``: one row per year (ascending, then ``PROVINCE_NOT_KNOWN`` for
        undated events, then ``ALL``) and province column (Jilin, Liaoning, other Chinese
        provinces, ``PROVINCE_NOT_KNOWN``, ``ALL``). ``people_high`` is nullable (``<NA>``:
        no upper bound). Rules in the module doc.
    """
    counted = counted_events(selected)
    sides = side_provinces(counted, "CN-")
    frame = pd.DataFrame(counted[["count_low", "count_best", "count_high"]]).assign(
        year=event_years(counted),
        province=sides.str.split("|"),
        multi=sides.str.contains("|", regex=False),
    )
    each = frame.explode("province")
    rows = pd.concat([each, frame.assign(province=ALL, multi=False)])
    rows = pd.concat([rows, rows.assign(year=ALL)])
    found = {
        key: ProvinceTotals(len(group), int(group["multi"].sum()), people_range(group))
        for key, group in rows.groupby(["year", "province"], sort=False)
    }
    columns = sorted({*RETURNED_FROM_ALWAYS, *each["province"]},
                     key=province_order)  # fmt: skip
    years = sorted(set(frame["year"]), key=lambda y: (y == PROVINCE_NOT_KNOWN, y))
    none = ProvinceTotals(0, 0, PeopleRange(0, 0, 0))
    table = pd.DataFrame(
        [
            (year, code, t.events, t.shared_events, t.people.low, t.people.best, t.people.high)
            for year in (*years, ALL)
            for code in (*columns, ALL)
            for t in [found.get((year, code), none)]
        ],
        columns=list(TABLE_COLUMNS),
    )
    table["people_high"] = table["people_high"].astype("Int64")
    return table


def add_year_tables(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Return the table of two disjoint sets of a view's events from each one's table.

    The result is :func:`year_province_table` of both sets together: each cell adds up (an
    upper bound stays missing when either is), in the same order of years and provinces.
    """
    both = pd.concat([a, b], ignore_index=True)
    groups = both.groupby(["year", "province"], sort=False)
    totals = groups[["events", "shared_events", "people_low", "people_best"]].sum()
    unbounded = groups["people_high"].apply(lambda high: high.isna().any())
    totals["people_high"] = groups["people_high"].sum().astype("Int64").mask(unbounded)
    years = sorted(set(both["year"]) - {ALL}, key=lambda y: (y == PROVINCE_NOT_KNOWN, y))
    columns = sorted(set(both["province"]) - {ALL}, key=province_order)
    grid = pd.MultiIndex.from_tuples(
        [(year, code) for year in (*years, ALL) for code in (*columns, ALL)],
        names=["year", "province"],
    )
    table = totals.reindex(grid, fill_value=0).reset_index()
    for column in ("events", "shared_events", "people_low", "people_best"):
        table[column] = table[column].astype("int64")
    return table[list(TABLE_COLUMNS)]
