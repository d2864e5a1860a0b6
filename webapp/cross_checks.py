"""Cross-checks: aggregate claims against the view's totals, and every claim per event.

Aggregate claims are ``report`` rows such as "more than 670 since 2020"; per-event claims are
rows whose ``same_event_as`` points at a reference row.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.aggregate import Summary
from render.markup import safe_url
from render.wording import count_texts, date_text, date_texts


def claims_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Return every claim about the events that more than one source reports.

    One line per claim, reference row first within each event.
    """
    claimed = set(events.loc[events["same_event_as"] != "", "same_event_as"])
    event = events["same_event_as"].where(events["same_event_as"] != "", events["event_id"])
    keep = event.isin(claimed)
    rows = events[keep].assign(_event=event[keep], _claim=events["same_event_as"][keep] != "")
    rows = rows.sort_values(["_event", "_claim"], kind="stable")
    return pd.DataFrame(
        {
            "Event": rows["_event"],
            "Role": rows["_claim"].map({False: "reference", True: "other claim"}),
            "Date": date_texts(rows["date_start"], rows["date_end"], rows["date_precision"]),
            "Count": count_texts(rows),
            "Source": rows["source_org"],
            "Link": rows["source_url"].map(safe_url),
        }
    ).reset_index(drop=True)


def render_cross_checks(summary: Summary, events: pd.DataFrame) -> None:
    """Show the summary's cross-checks and the claims per event (keys ``cross_checks``, ``claims``).

    Parameters
    ----------
    summary
        The view's summary.
    events
        ``ViewData.events`` (reference rows and their claims).
    """
    checks = [check.to_dict() for check in summary.cross_checks]
    if checks:
        st.markdown("**Aggregate claims compared with the mapped totals**")
        table = pd.DataFrame(
            [{**c, "period": date_text(c["period"][0], c["period"][1], "period")} for c in checks]
        )
        st.dataframe(table, key="cross_checks", hide_index=True)
    claims = claims_frame(events)
    if not claims.empty:
        st.markdown("**Events reported by more than one source** (totals use the reference row)")
        st.dataframe(
            claims,
            key="claims",
            hide_index=True,
            width="stretch",
            column_config={"Link": st.column_config.LinkColumn("Link", display_text="source")},
        )
    if not checks and claims.empty:
        st.caption("No aggregate claims or multi-source events in this view.")
