"""A Parquet file's view summarised batch by batch, in memory that does not grow with its rows.

``summarise_parquet`` gives what ``load_dataset`` then ``build_view`` give (the summary, the
by-year table, the rows and problems of the file) while holding one batch of rows
(``STREAM_ROWS``) at a time:

1. When the file has a ``same_event_as`` column, a first pass reads its ``event_id`` and
   ``same_event_as`` columns only: every row's id (``geo.validate.earlier``, 12 bytes an id)
   and the ids that claims name.
2. Each batch is validated against the rest of the file (``BatchMemory``: repeated ids and
   duplicate rows name the file's first row, a claim may name an event of any batch), joined,
   filtered and summarised; the batch summaries add up (``geo.aggregate.add_summaries``,
   ``geo.by_year.add_year_tables``).
3. The rows whose totals depend on other rows are held back and joined together at the end:
   the rows of an event with claims (a ``same_event_as``, or an id a claim names), ``report``
   rows and rows marking an event "Component of" a report. Their number grows with the claims
   and reports of the file, not with its events. A claim naming no kept reference row is
   refused there (``geo.validate.ids.check_claim_targets``).
4. When a held report is cross-checked, a last pass validates the file again for the
   forced returns within its period (a cross-check lists each of them).

``view_events`` then yields the view's joined events batch by batch, in the file's order (one
more pass), for an export written as it comes (``render.exports.data.write_geoparquet_parts``).

The result equals the whole file's, except where one table of the whole file and tables of
batches differ: problems of a kind are listed for the first ``LISTED_PER_CHECK`` rows of each
batch, not of the file (every problem is still counted), and two values with equal 64-bit
hashes would read as equal (``geo.validate.earlier``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aggregate import (
    SpanningEvent,
    Summary,
    add_summaries,
    checked_reports,
    checked_returns,
    counted_events,
    marks_component,
    summarise,
)
from geo.budget import time_budget
from geo.by_year import add_year_tables, year_province_table
from geo.errors import InputFileError, Problem, cap_repeated
from geo.filter import filter_events, spanning_events
from geo.join import join_events
from geo.read import too_big
from geo.read.columns import match_columns
from geo.read.common import LOCAL, Limits
from geo.read.parquet import BATCH_ROWS, ParquetSource
from geo.reference import Reference, load_reference
from geo.validate import validate_table
from geo.validate.core import Findings, SchemaCells, empty_events
from geo.validate.earlier import BatchMemory, value_hashes
from geo.validate.ids import check_claim_targets, check_ids
from geo.validate.layouts import read_layout
from geo.view import ViewParams

__all__ = ["STREAM_ROWS", "StreamedView", "summarise_parquet", "view_events"]

#: Rows read, validated and joined at a time.
STREAM_ROWS = 2 * BATCH_ROWS


@dataclass(frozen=True)
class StreamedView:
    """A file's view summarised in batches: what ``Dataset`` and ``ViewData`` would say of it.

    ``rows`` are the file's records, ``valid`` the rows kept as events, ``problems`` every
    problem (listed per batch, module doc); ``by_year`` the by-year table when asked for;
    ``held`` the rows held back to the end, joined (for :func:`view_events`).
    """

    summary: Summary
    view: ViewParams
    rows: int = 0
    valid: int = 0
    problems: tuple[Problem, ...] = ()
    by_year: pd.DataFrame | None = None
    held: gpd.GeoDataFrame = field(default_factory=empty_events)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Return the problems that excluded rows (or the whole file)."""
        return tuple(p for p in self.problems if p.severity == "error")


def summarise_parquet(
    path: Path,
    view: ViewParams,
    *,
    reference: Reference | None = None,
    fmt: str = "auto",
    limits: Limits = LOCAL,
    by_year: bool = False,
    batch_rows: int = STREAM_ROWS,
) -> StreamedView:
    """Read, validate, join and summarise a Parquet file batch by batch (module doc).

    Parameters
    ----------
    path
        The Parquet or GeoParquet file.
    view
        The filters and range to summarise.
    reference
        The reference data; None loads the shipped one.
    fmt
        What to read the file as (``geo.validate.layouts.FORMATS``).
    limits
        The file's largest size and longest time (the command line's by default).
    by_year
        Whether to make the by-year × province table (``geo.by_year``).
    batch_rows
        Rows held at a time.

    Returns
    -------
    StreamedView
        With no events and the one problem saying why when the file cannot be read at all.
    """
    reference = reference or load_reference()
    totals = _Totals(view, reference, by_year)
    try:
        with time_budget(limits.seconds):
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise too_big(size, limits.max_bytes)
            source = ParquetSource(path, size)
            return _stream(source, reference, fmt, max(1, batch_rows), totals)
    except InputFileError as err:
        return StreamedView(totals.result(), view, problems=(err.problem,))


def _stream(
    source: ParquetSource, reference: Reference, fmt: str, batch_rows: int, totals: _Totals
) -> StreamedView:
    memory = BatchMemory(source.rows)
    claimed, headers = _claimed_ids(source, reference, fmt, batch_rows, memory)
    head: list[Problem] = []
    read: list[Problem] = []
    found: list[Problem] = []
    held: list[gpd.GeoDataFrame] = []
    valid = 0
    for number, raw in enumerate(source.batches(batch_rows)):
        raw.problems = cap_repeated(raw.problems)
        result = validate_table(raw, reference, fmt, memory=memory)
        given = len(raw.problems)
        read += result.problems[:given]
        whole = [p for p in result.problems[given:] if p.row == 0]
        head += whole if number == 0 else []
        found += [p for p in result.problems[given:] if p.row != 0]
        events = result.events
        valid += len(events)
        keep = _held(events, claimed)
        held.append(events[keep])
        totals.add(join_events(events[~keep], reference))
    rest, unlinked = _linked_claims(pd.concat(held, ignore_index=True), memory, headers)
    found = sorted(found + unlinked.problems, key=lambda p: p.row)
    valid -= int(unlinked.excluded.sum())
    rest = join_events(rest, reference)
    if len(rest):
        reports = checked_reports(rest, totals.view)
        checked = _checked_returns(source, reference, fmt, batch_rows, rest, reports)
        every = pd.concat([rest, checked]).sort_values("row", kind="stable", ignore_index=True)
        totals.add(rest, every)
    whole_file = list(dict.fromkeys(p for p in read if p.row == 0))  # once, not per batch
    problems = whole_file + [p for p in read if p.row != 0] + head + found
    return StreamedView(
        totals.result(), totals.view, source.rows, valid, tuple(problems), totals.table, rest
    )


def _claimed_ids(
    source: ParquetSource, reference: Reference, fmt: str, batch_rows: int, memory: BatchMemory
) -> tuple[set[str], dict[str, str]]:
    """Return the ids that claims name; put every row's id in ``memory`` (pass 1).

    Also returns the headers of ``event_id`` and ``same_event_as``. Only a file read in this
    tool's columns has claims (no data set's layout gives ``same_event_as``); without them
    nothing is read and both are empty.
    """
    first = next(source.batches(1))
    if read_layout(first, reference, fmt).layout is not None:
        return set(), {}
    found = match_columns([c for c in first.frame.columns if c != "row"]).found
    if "same_event_as" not in found:
        return set(), {}
    wanted: dict[str, str] = {c: found[c] for c in ("event_id", "same_event_as") if c in found}
    claimed: set[str] = set()
    for raw in source.batches(batch_rows, columns=list(wanted.values())):
        t = SchemaCells(raw.frame, wanted)
        check_ids(t, memory.ids)
        same = t.cell("same_event_as")
        claimed.update(same[same != ""].unique().tolist())
    return claimed, wanted


def _linked_claims(
    held: gpd.GeoDataFrame, memory: BatchMemory, headers: dict[str, str]
) -> tuple[gpd.GeoDataFrame, Findings]:
    """Return the held rows but the claims naming no kept reference row, and what was found.

    Every claim and every row a claim names is held, so this is the whole file's
    ``geo.validate.ids.check_claim_targets``, its ids those of the whole file (pass 1).
    ``headers``: the file's headers of ``event_id`` and ``same_event_as`` (none: no claims).
    """
    header = headers.get("same_event_as", "same_event_as")
    frame = pd.DataFrame({header: held["same_event_as"], "row": held["row"]})
    cells = SchemaCells(frame, {"same_event_as": header} if headers else {})
    found = check_claim_targets(
        cells,
        held["event_id"].reset_index(drop=True),
        np.ones(len(held), dtype=bool),
        lambda wanted: memory.ids.first(value_hashes(wanted)),
    )
    return held[~found.excluded], found


def _held(events: pd.DataFrame, claimed: set[str]) -> pd.Series:
    """Return which rows are held back to the end (module doc, step 3)."""
    return (
        events["same_event_as"].ne("")
        | events["event_id"].isin(claimed)
        | events["event_type"].eq("report")
        | marks_component(events)
    )


def _checked_returns(
    source: ParquetSource,
    reference: Reference,
    fmt: str,
    batch_rows: int,
    held: pd.DataFrame,
    reports: pd.DataFrame,
) -> pd.DataFrame:
    """Return the rows not ``held`` that the cross-checks of ``reports`` look at (last pass)."""
    found = [empty_events()]
    if len(reports):
        for events, _ in _events(source, reference, fmt, batch_rows, held):
            found.append(events[checked_returns(reports, events)])
    return pd.concat(found, ignore_index=True)


def _events(
    source: ParquetSource, reference: Reference, fmt: str, batch_rows: int, held: pd.DataFrame
) -> Iterator[tuple[gpd.GeoDataFrame, tuple[int, int]]]:
    """Yield each batch's valid rows but the ``held`` ones and claims, validated again.

    A later pass: every claim kept is held, the others are refused (``_linked_claims``). Each
    batch comes with its first and last row.
    """
    memory = BatchMemory(source.rows)
    rows = held["row"].to_numpy()
    for raw in source.batches(batch_rows):
        events = validate_table(raw, reference, fmt, memory=memory).events
        numbers = raw.frame["row"]
        span = (int(numbers.iloc[0]), int(numbers.iloc[-1])) if len(numbers) else (0, 0)
        yield events[~(events["row"].isin(rows) | events["same_event_as"].ne(""))], span


def view_events(
    path: Path,
    streamed: StreamedView,
    *,
    reference: Reference | None = None,
    fmt: str = "auto",
    batch_rows: int = STREAM_ROWS,
) -> Iterator[gpd.GeoDataFrame]:
    """Yield the view's joined events batch by batch, in the file's order (another pass).

    ``streamed`` is the file's :func:`summarise_parquet` with the same view: the rows it held
    back join the batch they were read in. Together the batches are ``ViewData.events``.
    """
    reference = reference or load_reference()
    view = streamed.view
    held = filter_events(streamed.held, view)
    source = ParquetSource(path, path.stat().st_size)
    for events, (first, last) in _events(source, reference, fmt, max(1, batch_rows), streamed.held):
        joined = filter_events(join_events(events, reference), view)
        joined = pd.concat([joined, held[held["row"].between(first, last)]])
        yield joined.sort_values("row", kind="stable")


class _Totals:
    """The summary (and by-year table) of a view's events added up part by part."""

    def __init__(self, view: ViewParams, reference: Reference, by_year: bool) -> None:
        self.view = view
        self.reference = reference
        self.by_year = by_year
        self.summary: Summary | None = None
        self.table: pd.DataFrame | None = None
        self.spanning: list[tuple[int, SpanningEvent]] = []

    def add(self, joined: gpd.GeoDataFrame, every: pd.DataFrame | None = None) -> None:
        """Add the events of ``joined`` (cross-checked against ``every``, default themselves)."""
        selected = filter_events(joined, self.view)
        part = summarise(selected, self.view, joined if every is None else every)
        if part.spanning:
            rows = spanning_events(counted_events(selected), self.view)["row"]
            self.spanning += list(zip(rows.tolist(), part.spanning, strict=True))
        self.summary = part if self.summary is None else add_summaries(self.summary, part)
        if self.by_year:
            table = year_province_table(selected)
            self.table = table if self.table is None else add_year_tables(self.table, table)

    def result(self) -> Summary:
        """Return the summary of every part (of no event before the first)."""
        summary = self.summary
        if summary is None:
            selected = join_events(empty_events(), self.reference)
            summary = summarise(selected, self.view, selected)
        spanning = tuple(event for _, event in sorted(self.spanning, key=lambda p: p[0]))
        return replace(summary, spanning=spanning)
