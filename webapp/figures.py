"""Headline figures: events, people returned (as a range in words) and provinces.

The numbers come from ``Summary.to_dict()`` — the object ``border-map summary --json`` prints —
so the app and the command line always agree for the same view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st


def _number(value: int) -> str:
    return f"{int(value):,}"


def people_text(low: int | None, best: int | None, high: int | None) -> str:
    """Return the people range in words, e.g. ``"at least 730 (best estimate 800) to at most 900"``.

    ``high`` is None when at least one event has no upper bound; the upper bound is then left
    out rather than guessed. A best estimate of None is left out too.
    """
    text = f"at least {_number(low or 0)}"
    if best is not None:
        text += f" (best estimate {_number(best)})"
    if high is not None:
        text += f" to at most {_number(high)}"
    return text


def province_count(by_province: Mapping[str, Mapping[str, Any]]) -> int:
    """Return how many provinces have at least one event in the view."""
    return sum(1 for figures in by_province.values() if figures.get("events", 0) > 0)


def headline_figures(summary: Mapping[str, Any]) -> dict[str, str]:
    """Return the metric label -> displayed value for a ``Summary.to_dict()`` object."""
    return {
        "Events": _number(summary["events"]),
        "People returned": people_text(
            summary["people_low"], summary["people_best"], summary["people_high"]
        ),
        "Provinces": _number(province_count(summary["by_province"])),
    }


#: Let a long people range wrap instead of being cut off with an ellipsis (static CSS).
_WRAP_CSS = """<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def render_figures(summary: Mapping[str, Any]) -> None:
    """Show the headline figures as three ``st.metric`` side by side.

    Parameters
    ----------
    summary
        ``Summary.to_dict()`` of the view shown.
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
    outside = summary.get("outside_map_area") or 0
    if outside:
        st.caption(f"{_number(outside)} of these events lie outside the map area (see the table).")
