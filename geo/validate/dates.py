"""Date columns of :mod:`geo.validate`: ``date`` or ``date_start``/``date_end``, ``date_precision``.

A lone ``date`` (or ``date_start``) column holds whole dates read by
:func:`geo.parse.dates.parse_date` ("2024-04" is the month). With ``date_start`` and ``date_end``
columns an empty cell is an open end (NaT); both empty is an error. A given
``date_precision`` must fit the dates, else it is derived (never finer than the text). Only dates
from ``DATE_MIN`` to ``DATE_MAX`` (1900-01-01 to 2100-12-31) are read; any other is an error
naming that range, so the app's date slider and every later step can take every event.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.budget import check_time
from geo.parse.dates import parse_date
from geo.reference.schema import DATE_PRECISIONS
from geo.validate.core import Distinct, Findings, SchemaCells

__all__ = ["check_dates", "parse_date_cells"]


def parse_date_cells(
    cells: pd.Series, distinct: Distinct | None = None
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Start, end, precision ('' if none) and error message ('' if none) of each cell.

    ``distinct``: the cells already factorised (``SchemaCells.distinct``).
    """
    codes, uniques = pd.factorize(cells) if distinct is None else distinct
    start = np.full(len(uniques), None, dtype=object)
    end = np.full(len(uniques), None, dtype=object)
    precision = np.full(len(uniques), "", dtype=object)
    errors = np.full(len(uniques), "", dtype=object)
    for i, text in enumerate(uniques):
        check_time()
        if not text:
            continue
        try:
            value = parse_date(text)
        except ValueError as err:
            errors[i] = str(err)
            continue
        start[i], end[i], precision[i] = value.start, value.end, value.precision
    # Each distinct value converted once, then taken for every cell that holds it.
    return (
        pd.Series(np.asarray(pd.to_datetime(start), dtype="datetime64[us]")[codes]),
        pd.Series(np.asarray(pd.to_datetime(end), dtype="datetime64[us]")[codes]),
        pd.Series(pa.array(precision, pa.large_string()).take(codes), dtype=str),
        pd.Series(pa.array(errors, pa.large_string()).take(codes), dtype=str),
    )


def _dates_from_columns(t: SchemaCells, found: Findings) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Start, end and derived precision from ``date_start``/``date_end``."""
    parsed = {}
    for col in ("date_start", "date_end"):
        *parsed[col], errors = parse_date_cells(t.cell(col), t.distinct(col))
        found.add(errors != "", col, t.cell(col), errors)
    start, _, start_precision = parsed["date_start"]
    _, end, _ = parsed["date_end"]
    same_text = (t.cell("date_start") == t.cell("date_end")) & start.notna()
    day = (start_precision == "day") & (start == end)
    derived = np.where(same_text, start_precision, np.where(day, "day", "period"))
    none = (t.cell("date_start") == "") & (t.cell("date_end") == "")
    column = "date_start" if "date_start" in t.found else "date_end"
    found.add(none, column, t.cell(column), "no date: give date_start, date_end or both")
    return start, end, pd.Series(derived, dtype=object)


#: Whether start and end dates (both known) fit a given ``date_precision``.
_FITS: dict[str, Callable[[pd.Series, pd.Series], pd.Series]] = {
    "day": lambda start, end: start == end,
    "month": lambda start, end: (start.dt.day == 1) & (end == start + pd.offsets.MonthEnd(0)),
    "year": lambda start, end: (
        (start.dt.day_of_year == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    ),
}


def check_dates(t: SchemaCells) -> Findings:
    """Return ``date_start``, ``date_end`` and ``date_precision``, and the bad dates."""
    found = Findings(t)
    # A lone date or date_start column holds whole dates ("2024-04" is the month); with both
    # date_start and date_end columns, an empty cell is an open end (NaT).
    single = "date" if "date" in t.found else "date_start"
    if single in t.found and "date_end" not in t.found:
        start, end, derived, errors = parse_date_cells(t.cell(single), t.distinct(single))
        cells = t.cell(single)
        found.add(errors != "", single, cells, errors)
        found.add(cells == "", single, cells, "no date given")
    else:
        start, end, derived = _dates_from_columns(t, found)
    found.add(start > end, "date_end", t.cell("date_end"), "date_end is before date_start")
    precision = t.choice("date_precision", DATE_PRECISIONS, "", found)
    fits = np.ones(t.n, dtype=bool)
    for kind, fit in _FITS.items():  # only the rows that give that precision
        rows = (precision == kind).to_numpy(dtype=bool)
        if rows.any():
            first, last = start[rows], end[rows]
            fits[rows] = (first.notna() & last.notna() & fit(first, last)).to_numpy(dtype=bool)
    found.add(
        ~fits,
        "date_precision",
        t.cell("date_precision"),
        "date_precision does not fit the dates: day needs start = end, month a whole month, "
        "year a whole year; use period otherwise",
    )
    found.columns["date_start"], found.columns["date_end"] = start, end
    given = precision != ""
    found.columns["date_precision"] = precision.where(given, derived) if given.any() else derived
    return found
