"""The events table: one line per event with its date as written, count wording and source.

Its headers and words are in the page's language; the column ``Link`` and the numbers' columns
are configured by their translated headers (:func:`column_names`). The page gets the view's
first :data:`MAX_ROWS` lines, with a note saying how many there are and that the data export
has them all: what a rerun sends does not grow with the events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from geo.view import ViewParams
from i18n import N_, _, ngettext
from i18n.formats import number
from render.markup import safe_url
from render.names import local_name
from render.wording import (
    COUNTRY_UNCERTAIN,
    SINGLE_SOURCE,
    count_texts,
    date_texts,
    type_label,
    withheld_note,
)
from webapp.links import TABLE_PART, drawn
from webapp.page_order import waits_for_map
from webapp.page_tabs import EXPORT
from webapp.view_cache import cached_for_view

#: The table's columns, in order (their English headers; shown translated).
COLUMNS = (
    N_("Date"), N_("Type"), N_("Count"), N_("Places"), N_("Province(s)"), N_("Map"),
    N_("Source"), N_("Link"), N_("Other claims"), N_("Independent sources"), N_("Support"),
    N_("Conflicting claims"), N_("Event id"),
)  # fmt: skip
#: The most lines the page gets (the rest are counted in the caption and in the data export).
MAX_ROWS = 200
#: What the ``Map`` column says of an event outside the map area.
OUTSIDE_MAP_AREA = N_("outside the map area")


def column_names() -> dict[str, str]:
    """Return each column's English header -> its header in the page's language."""
    return {column: _(column) for column in COLUMNS}


def place_names(places: Any, lang: str) -> dict[str, str]:
    """Return gazetteer ``place_id`` -> the place's name in ``lang`` (none for English).

    English shows the names the events hold (``place_names``); Korean and Chinese the
    gazetteer's ``name_ko`` / ``name_zh`` of each resolved place (``render.names.local_name``).

    Parameters
    ----------
    places
        ``Reference.places`` (the gazetteer).
    lang
        The page's language.
    """
    if lang == "en":
        return {}
    rows = places.drop(columns="geometry", errors="ignore").to_dict("records")
    return {str(row["place_id"]): local_name(row, lang) for row in rows}


def _places(refs: pd.DataFrame, names: Mapping[str, str]) -> pd.Series:
    """Return each row's places: in ``names``' language when all are resolved, else as given.

    All: one gazetteer place per name the row gives, each with a name in ``names``; a row
    naming a place the gazetteer lacks ("Kunming|Beijing|Pyongyang", of which only Pyongyang
    is known) shows its names as written, none left out.
    """
    given = (
        refs["place_names"]
        .str.replace("|", ", ")
        .where(refs["place_names"] != "", refs["location_text"])
    )
    if not names or "place_ids" not in refs:
        return given

    def local(ids: str, written: str, fallback: str) -> str:
        found = [p for p in str(ids).split("|") if p]
        named = [n for n in str(written).split("|") if n.strip()]
        if found and len(found) == len(named) and all(p in names for p in found):
            return ", ".join(names[p] for p in found)
        return fallback

    rows = zip(refs["place_ids"], refs["place_names"], given, strict=True)
    return pd.Series([local(*row) for row in rows], index=refs.index)


def table_frame(
    events: pd.DataFrame,
    province_names: Mapping[str, str],
    places: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return the displayed table: reference rows, one line per event, with claim counts.

    Headers and words are in the page's language (English: :data:`COLUMNS`).

    Each line also says how many independent sources support the event (``single source``
    when one) and how its claims disagree (``geo.claims``), '' when they do not.

    Parameters
    ----------
    events
        ``ViewData.events`` (joined events; claim rows point at their reference row through
        ``same_event_as``).
    province_names
        ISO 3166-2 code -> display name.
    places
        Gazetteer ``place_id`` -> name in the page's language (:func:`place_names`); empty
        or None: the names the events hold.
    """
    claims = events.loc[events["same_event_as"] != "", "same_event_as"].value_counts()
    refs = events[events["same_event_as"] == ""]

    def provinces(codes: str) -> str:
        return ", ".join(province_names.get(c, c) for c in codes.split("|") if c)

    frame = pd.DataFrame(
        {
            "Date": date_texts(refs["date_start"], refs["date_end"], refs["date_precision"]),
            "Type": refs["event_type"].map(type_label),
            "Count": count_texts(refs),
            "Places": _places(refs, places or {}),
            "Province(s)": [
                _(COUNTRY_UNCERTAIN) if uncertain else provinces(codes)
                for codes, uncertain in zip(
                    refs["provinces"], refs["country_uncertain"], strict=True
                )
            ],
            "Map": refs["in_map_area"].map({True: "", False: _(OUTSIDE_MAP_AREA)}),
            "Source": refs["source_org"],
            "Link": refs["source_url"].map(safe_url),
            "Other claims": refs["event_id"].map(claims).fillna(0).astype(int),
            "Independent sources": refs["independent_sources"].astype(int),
            "Support": refs["single_source"].map({True: _(SINGLE_SOURCE), False: ""}),
            "Conflicting claims": refs["conflict"],
            "Event id": refs["event_id"],
        }
    ).reset_index(drop=True)
    return frame.rename(columns=column_names())


def first_rows(events: pd.DataFrame, rows: int = MAX_ROWS) -> pd.DataFrame:
    """Return the first ``rows`` reference rows of ``events`` and the claims about them."""
    refs = events.loc[events["same_event_as"] == "", "event_id"]
    if len(refs) <= rows:
        return events
    kept = refs.iloc[:rows]
    return events[events["event_id"].isin(kept) | events["same_event_as"].isin(kept)]


@st.fragment(key=TABLE_PART)
def render_events_table(
    events: pd.DataFrame,
    province_names: Mapping[str, str],
    places: Mapping[str, str] | None,
    view: ViewParams,
    source: pd.DataFrame,
    withheld: tuple[str, ...] = (),
) -> None:
    """Show the events of the view as a table (key ``events_table``), its first lines.

    The caption counts every line of the view; past :data:`MAX_ROWS` it says that the page
    shows the first of them and the data export has all.
    ``places``: gazetteer ``place_id`` -> name in the page's language (:func:`place_names`).
    A fragment: on a session's first page it waits for the map (``webapp.page_order``).
    ``view``: the filters ``events`` passed; ``source``: the dataset's events they came from.
    The table is built once per view (``webapp.view_cache``). ``withheld``: the columns left
    out of ``events`` for publication (``ViewData.withheld``, ``geo.withhold``), which a note
    under the caption names.
    """
    drawn(TABLE_PART, view.lang)
    if waits_for_map():
        return
    frame = cached_for_view(
        "table", source,
        (view.with_changes(at=None, zoom=None, centre=None, mode="", basemap=""), withheld),
        lambda: table_frame(first_rows(events), province_names, places),
    )  # fmt: skip
    names = column_names()
    refs = events[events["same_event_as"] == ""]
    records, outside = len(refs), int((~refs["in_map_area"].astype(bool)).sum())
    caption = ngettext(
        "{n} record, one line per event, report or policy row (further sources' claims about "
        "the same event are counted under '{other}')",
        "{n} records, one line per event, report or policy row (further sources' claims about "
        "the same event are counted under '{other}')",
        records,
    ).format(n=number(records), other=names["Other claims"])
    if outside:
        caption += _("; {n} outside the map area (listed, not mapped)").format(n=number(outside))
    st.caption(caption)
    note = withheld_note(withheld)
    if note:
        st.caption(_("{sentence}.").format(sentence=note))
    if records > MAX_ROWS:
        st.info(_(
            "The table shows the first {shown} of {n} records; the CSV and Excel files of the "
            "'{tab}' tab have all of them."
        ).format(shown=number(len(frame)), n=number(records), tab=_(EXPORT)))  # fmt: skip
    st.dataframe(
        frame,
        key="events_table",
        hide_index=True,
        width="stretch",
        column_config={
            names["Link"]: st.column_config.LinkColumn(names["Link"], display_text=_("source")),
            names["Other claims"]: st.column_config.NumberColumn(
                names["Other claims"], help=_("Further sources' claims about the same event")
            ),
            names["Independent sources"]: st.column_config.NumberColumn(
                names["Independent sources"],
                help=_("Sources of the event's claims; claims citing the same original count once"),
            ),
        },
    )
