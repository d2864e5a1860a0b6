"""Headline figures: events, people returned (as a range in words) and provinces.

The numbers come from the view's ``Summary`` and are worded by ``render.wording``, as in the
command line and the exports, so they always agree for the same view.
"""

from __future__ import annotations

import streamlit as st

from geo.aggregate import Summary
from render.wording import (
    assumed_type_text,
    country_uncertain_text,
    number,
    people_text,
    summary_conflict_text,
)


def headline_figures(summary: Summary) -> dict[str, str]:
    """Return the metric label -> displayed value of a view's summary."""
    return {
        "Events": number(summary.events),
        "People returned": people_text(summary.people),
        "Provinces": number(summary.provinces_with_events),
    }


#: Let a long people range wrap instead of being cut off with an ellipsis (static CSS).
_WRAP_CSS = """<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def render_figures(summary: Summary) -> None:
    """Show the headline figures as three ``st.metric`` side by side.

    Parameters
    ----------
    summary
        The summary of the view shown.
    """
    st.html(_WRAP_CSS)
    figures = headline_figures(summary)
    help_texts = {
        "Events": "Distinct events in the view; further sources' claims are not counted again.",
        "People returned": "Sum of lower bounds, of best estimates, and of upper bounds "
        "(given only when every event has one).",
        "Provinces": "Mapped provinces with at least one event; a multi-province event counts "
        "once in the totals.",
    }
    for column, (label, value) in zip(st.columns([1, 3, 1]), figures.items(), strict=True):
        column.metric(label, value, help=help_texts[label])
    if summary.outside_map_area:
        st.caption(
            f"{number(summary.outside_map_area)} of these events lie outside the map area "
            "(see the table)."
        )
    if summary.country_uncertain:
        st.caption(
            country_uncertain_text(summary.country_uncertain)
            + ": counted in the totals, in neither country's provinces (see the table)."
        )
    if summary.assumed_event_type:
        st.caption(assumed_type_text(summary.assumed_event_type) + ".")
    if summary.conflicting_events:
        st.caption(f"Conflicting claims: {summary_conflict_text(summary)} (see the table).")
