"""Leaving the text of columns marked sensitive out of a view: the one home of withholding.

A dataset's owner marks columns sensitive (``storage.store.Store.set_sensitive_columns``; the
columns that may be marked are ``geo.reference.schema.SENSITIVE_COLUMNS``). Public links,
exports made "for publication" and ``border-map export --withhold COLUMN`` then show a view
passed through :func:`withhold_view`: the marked columns are blank on every row, and so is
every text derived from them (the sources and count words in the ``conflict`` sentences, the
cross-checks' claims, sources and links, the place of an event running past the range when it
was the source's words). The figures
stay those of the whole view: the summary is built before withholding, so counts, cross-check
verdicts and returns are the same in the published and the full view; only the words go.
``ViewData.withheld`` names the columns, and every output says so in its data note
(``render.wording.withheld_note``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aggregate import CheckedEvent, CrossCheck, SpanningEvent, Summary
from geo.claims import event_conflict
from geo.filter import reference_positions
from geo.pipeline import ViewData
from geo.reference import load_reference
from geo.reference.schema import SENSITIVE_COLUMNS


def markable_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """Return the columns of ``columns`` an owner may mark sensitive, in the schema's order."""
    present = set(columns)
    return tuple(c for c in SENSITIVE_COLUMNS if c in present)


def sensitive_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """Return ``columns`` checked and in the schema's order (duplicates dropped).

    Raises
    ------
    ValueError
        A column is not one of ``SENSITIVE_COLUMNS``.
    """
    wanted = list(columns)
    unknown = sorted(set(wanted) - set(SENSITIVE_COLUMNS))
    if unknown:
        raise ValueError(
            f"columns that cannot be marked sensitive: {', '.join(unknown)} "
            f"(markable: {', '.join(SENSITIVE_COLUMNS)})"
        )
    return markable_columns(wanted)


def withhold(events: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Return a copy of ``events`` with the text of ``columns`` removed ('' on every row).

    The frame keeps every column (a withheld one is blank), so files still read back through
    ``border-map validate``. The ``conflict`` sentences, which quote the claims' count words
    and name their sources (``geo.claims.event_conflict``), are worded again from the blanked
    rows (places by the shipped gazetteer, ``geo.reference.load_reference``). ``events`` is
    not changed.

    Raises
    ------
    ValueError
        A column is not one of ``SENSITIVE_COLUMNS``.
    """
    marked = sensitive_columns(columns)
    out = events.copy(deep=False)
    if not marked:
        return out
    for column in marked:
        if column in out.columns:
            out[column] = pd.Series("", index=out.index, dtype=object)
    if "conflict" in out.columns and {"count_text", "source_org"} & set(marked):
        out["conflict"] = _conflicts(out)
    return out


def _conflicts(events: pd.DataFrame) -> pd.Series:
    """Return the ``conflict`` sentence of each row's event, worded from ``events`` as given."""
    conflict = events["conflict"].fillna("").astype(str)
    with_conflict = np.flatnonzero(conflict.ne("").to_numpy(dtype=bool))
    if not len(with_conflict):
        return conflict
    reference = reference_positions(events)
    wanted = set(reference[with_conflict].tolist())
    members: dict[int, list[int]] = {}
    for pos in np.flatnonzero(np.isin(reference, list(wanted))):
        members.setdefault(int(reference[pos]), []).append(int(pos))
    reference_data = load_reference()
    place_admin1 = dict(
        zip(reference_data.places["place_id"], reference_data.places["admin1_iso"], strict=True)
    )
    plain = events.drop(columns="geometry", errors="ignore")
    values = conflict.to_numpy(dtype=object, copy=True)
    for ref, positions in members.items():
        ordered = [ref, *(p for p in positions if p != ref)]
        rows = plain.iloc[ordered].to_dict("records")
        values[ordered] = event_conflict(rows, place_admin1)
    return pd.Series(values, index=events.index, dtype=object)


def withhold_view(data: ViewData, columns: Iterable[str]) -> ViewData:
    """Return the view ``data`` for publication: ``columns``' text left out everywhere.

    The events pass :func:`withhold`; the summary keeps its figures, its texts taken from the
    columns (cross-checks' claim, source and link; their events' count words, source and link;
    a spanning event's place from ``location_text``) are blank. ``withheld`` names the
    columns (with any withheld before). No columns: ``data`` itself.

    Raises
    ------
    ValueError
        A column is not one of ``SENSITIVE_COLUMNS``.
    """
    marked = sensitive_columns(columns)
    if not marked:
        return data
    events = withhold(data.events, marked)
    summary = _withhold_summary(data.summary, data.events, set(marked))
    withheld = markable_columns((*data.withheld, *marked))
    return ViewData(view=data.view, events=events, summary=summary, withheld=withheld)


def _blank(obj: object, fields: dict[str, str], marked: set[str]) -> dict[str, Any]:
    """Return the replacements blanking ``obj``'s fields whose source column is marked."""
    return {f: "" for f, column in fields.items() if column in marked and getattr(obj, f)}


#: Text fields of the summary's records -> the column each is taken from (``geo.aggregate``).
_CHECK_FIELDS = {"claim": "count_text", "source_org": "source_org", "source_url": "source_url"}
_CHECKED_FIELDS = {
    "count_text": "count_text",
    "source_org": "source_org",
    "source_url": "source_url",
}


def _withhold_summary(summary: Summary, events: pd.DataFrame, marked: set[str]) -> Summary:
    """Return ``summary`` with the texts taken from ``marked`` columns blank."""
    checks = tuple(_withhold_check(check, marked) for check in summary.cross_checks)
    spanning = summary.spanning
    if "location_text" in marked and spanning:
        spanning = tuple(_withhold_spanning(event, events) for event in spanning)
    return dataclasses.replace(summary, cross_checks=checks, spanning=spanning)


def _withhold_check(check: CrossCheck, marked: set[str]) -> CrossCheck:
    listed: tuple[CheckedEvent, ...] = tuple(
        dataclasses.replace(event, **_blank(event, _CHECKED_FIELDS, marked))
        for event in check.events
    )
    return dataclasses.replace(check, events=listed, **_blank(check, _CHECK_FIELDS, marked))


def _withhold_spanning(event: SpanningEvent, events: pd.DataFrame) -> SpanningEvent:
    """Blank a spanning event's place when it is the source's words (no place names)."""
    rows = events.loc[events["event_id"] == event.event_id]
    names = "" if rows.empty else str(rows["place_names"].iloc[0])
    place = names.replace("|", ", ")
    return event if place == event.place else dataclasses.replace(event, place=place)
