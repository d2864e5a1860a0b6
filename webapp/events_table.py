"""The events table: one line per event with its date as written, count wording and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

_QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}


_MONTHS = pd.Series(["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])  # fmt: skip


def _part(values: pd.Series) -> pd.Series:
    return values.astype("Int64").astype("string")


def _month_year(dates: pd.Series) -> pd.Series:
    month = dates.dt.month.astype("Int64") - 1
    names = month.map(_MONTHS, na_action="ignore").astype("string")
    return names + " " + _part(dates.dt.year)


def _day(dates: pd.Series) -> pd.Series:
    return _part(dates.dt.day) + " " + _month_year(dates)


def date_texts(starts: pd.Series, ends: pd.Series, precisions: pd.Series) -> pd.Series:
    """Return dates as precisely as the sources give them: "9 Oct 2023", "Jul 2021", "2023".

    Periods read "1 Jan 2024 – 8 May 2024"; a missing start or end reads "until …"/"from …".
    """
    starts, ends = pd.to_datetime(starts), pd.to_datetime(ends)
    one_day = ends.isna() | (ends == starts)
    start_day = _day(starts)
    choices = [
        (starts.isna() & ends.isna(), pd.Series("date unknown", index=starts.index)),
        (starts.isna(), "until " + _day(ends)),
        (precisions == "month", _month_year(starts)),
        (precisions == "year", _part(starts.dt.year)),
        ((precisions == "day") & one_day, start_day),
        (ends.isna(), "from " + start_day),
    ]
    out = start_day + " – " + _day(ends)
    for condition, text in reversed(choices):
        out = text.where(condition, out)
    return out.astype(str)


def _number(values: pd.Series) -> pd.Series:
    return values.map(lambda v: f"{int(v):,}", na_action="ignore").astype("string")


def count_texts(events: pd.DataFrame) -> pd.Series:
    """Return counts in words: the source's own words when given, else built from the range."""
    best, low, high = (_number(events[c]) for c in ("count_best", "count_low", "count_high"))
    prefix = events["count_qualifier"].map(_QUALIFIER_WORDS)
    out = pd.Series("number not given", index=events.index, dtype="string")
    out = ("at least " + low).where(low.notna(), out)
    out = (low + " to " + high).where(low.notna() & high.notna(), out)
    out = (prefix + best).where(best.notna() & prefix.notna(), out)
    out = events["count_text"].where(events["count_text"] != "", out)
    return out.astype(str)


def safe_link(url: str) -> str | None:
    """Return ``url`` when it is an http(s) link, else None (nothing else is made clickable)."""
    return url if url.lower().startswith(("http://", "https://")) else None


def table_frame(events: pd.DataFrame, province_names: dict[str, str]) -> pd.DataFrame:
    """Return the displayed table: reference rows, one line per event, with claim counts.

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
            "Type": refs["event_type"].str.replace("_", " "),
            "Count": count_texts(refs),
            "Places": refs["place_names"]
            .str.replace("|", ", ")
            .where(refs["place_names"] != "", refs["location_text"]),
            "Province(s)": [provinces(c) for c in refs["provinces"]],
            "Map": refs["in_map_area"].map({True: "", False: "outside the map area"}),
            "Source": refs["source_org"],
            "Link": [safe_link(u) for u in refs["source_url"]],
            "Other claims": refs["event_id"].map(claims).fillna(0).astype(int),
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
        },
    )
