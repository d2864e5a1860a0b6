"""The events table: one line per event with its date as written, count wording and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from render.markup import safe_url
from render.wording import COUNTRY_UNCERTAIN, SINGLE_SOURCE, count_texts, date_texts, type_label


def table_frame(events: pd.DataFrame, province_names: dict[str, str]) -> pd.DataFrame:
    """Return the displayed table: reference rows, one line per event, with claim counts.

    Each line also says how many independent sources support the event (``single source``
    when one) and how its claims disagree (``geo.claims``), '' when they do not.

    Parameters
    ----------
    events
        ``ViewData.events`` (joined events; claim rows point at their reference row through
        ``same_event_as``).
    province_names
        ISO 3166-2 code -> display name.
    """
    claims = events.loc[events["same_event_as"] != "", "same_event_as"].value_counts()
    refs = events[events["same_event_as"] == ""]

    def provinces(codes: str) -> str:
        return ", ".join(province_names.get(c, c) for c in codes.split("|") if c)

    return pd.DataFrame(
        {
            "Date": date_texts(refs["date_start"], refs["date_end"], refs["date_precision"]),
            "Type": refs["event_type"].map(type_label),
            "Count": count_texts(refs),
            "Places": refs["place_names"]
            .str.replace("|", ", ")
            .where(refs["place_names"] != "", refs["location_text"]),
            "Province(s)": [
                COUNTRY_UNCERTAIN if uncertain else provinces(codes)
                for codes, uncertain in zip(
                    refs["provinces"], refs["country_uncertain"], strict=True
                )
            ],
            "Map": refs["in_map_area"].map({True: "", False: "outside the map area"}),
            "Source": refs["source_org"],
            "Link": refs["source_url"].map(safe_url),
            "Other claims": refs["event_id"].map(claims).fillna(0).astype(int),
            "Independent sources": refs["independent_sources"].astype(int),
            "Support": refs["single_source"].map({True: SINGLE_SOURCE, False: ""}),
            "Conflicting claims": refs["conflict"],
            "Event id": refs["event_id"],
        }
    ).reset_index(drop=True)


def render_events_table(events: pd.DataFrame, province_names: dict[str, str]) -> None:
    """Show the events of the view as a table (key ``events_table``); none are left out."""
    frame = table_frame(events, province_names)
    outside = int((frame["Map"] != "").sum())
    caption = (
        f"{len(frame):,} records, one line per event, report or policy row (further sources' "
        "claims about the same event are counted under 'Other claims')"
    )
    if outside:
        caption += f"; {outside:,} outside the map area (listed, not mapped)"
    st.caption(caption)
    st.dataframe(
        frame,
        key="events_table",
        hide_index=True,
        width="stretch",
        column_config={
            "Link": st.column_config.LinkColumn("Link", display_text="source"),
            "Other claims": st.column_config.NumberColumn(
                "Other claims", help="Further sources' claims about the same event"
            ),
            "Independent sources": st.column_config.NumberColumn(
                "Independent sources",
                help="Sources of the event's claims; claims citing the same original count once",
            ),
        },
    )
