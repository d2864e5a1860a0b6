"""Headline figures: events, people returned, and returns from Jilin and from Liaoning.

The numbers come from the view's ``Summary`` and are worded by ``render.wording``, as in the
command line and the exports, so they always agree for the same view. Below them: returns
from other Chinese provinces and to each North Korean province, and, for an ``overlap`` view,
the one-line note (``render.wording.overlap_note``) that its totals do not add up.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from geo.aggregate import (
    PROVINCE_NOT_KNOWN,
    RETURNED_FROM_ALWAYS,
    Summary,
)
from i18n import N_, _, ngettext
from render.wording import (
    assumed_type_text,
    country_uncertain_text,
    headline_figures,
    number,
    overlap_note,
    returns_lines,
    summary_conflict_text,
)
from webapp.markdown_text import plain


def secondary_returns(summary: Summary, names: Mapping[str, str] | None = None) -> list[str]:
    """Return the lines under the headline: other Chinese provinces, then North Korean ones."""
    others = {c: t for c, t in summary.returned_from.items() if c not in RETURNED_FROM_ALWAYS}
    lines = [returns_lines(others, {}, names), returns_lines({}, summary.returned_to, names)]
    return ["; ".join(line) for line in lines if line]


#: Let a long people range wrap instead of being cut off with an ellipsis (static CSS).
_WRAP_CSS = """<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""
#: Help of the events metric, then of the people metric (translated where shown).
HELP_TEXTS = (
    N_("Distinct events in the view; further sources' claims are not counted again."),
    N_(
        "Sum of lower bounds, of best estimates, and of upper bounds "
        "(given only when every event has one)."
    ),
)
#: Help of the returns from a Chinese province, and of those whose province is not known.
RETURNS_HELP = (
    N_(
        "Forced returns from this Chinese province; an event returned from two provinces is "
        "under each, and counts once in the totals."
    ),
    N_(
        "Forced returns whose Chinese province cannot be told (border-wide, or only a North "
        "Korean place given)."
    ),
)


def render_figures(summary: Summary, names: Mapping[str, str] | None = None) -> None:
    """Show the headline figures as ``st.metric``: totals, then returns by Chinese province.

    Parameters
    ----------
    summary
        The summary of the view shown.
    names
        Province code -> name in the view's language (``render.names.province_names``).
    """
    st.html(_WRAP_CSS)
    figures = headline_figures(summary, names)
    labels = list(figures)
    for column, label, help_text in zip(st.columns([1, 4]), labels[:2], HELP_TEXTS, strict=True):
        column.metric(label, figures[label], help=_(help_text))
    for column, label, code in zip(st.columns(3), labels[2:], RETURNED_FROM_ALWAYS, strict=True):
        help_text = RETURNS_HELP[code == PROVINCE_NOT_KNOWN]
        column.metric(label, figures[label], help=_(help_text))
    for line in secondary_returns(summary, names):
        st.caption(plain(line))
    note = overlap_note(summary.match, summary.spanning)
    if note:
        with st.container(key="overlap_note"):
            st.info(plain(note), icon="ℹ️")
    if summary.outside_map_area:
        outside = summary.outside_map_area
        st.caption(
            ngettext(
                "{n} of these events lies outside the map area (see the table).",
                "{n} of these events lie outside the map area (see the table).",
                outside,
            ).format(n=number(outside))
        )
    if summary.country_uncertain:
        st.caption(
            _("{events}: counted in the totals, in neither country's provinces (see the table).")
            .format(events=country_uncertain_text(summary.country_uncertain))
        )  # fmt: skip
    if summary.assumed_event_type:
        st.caption(_("{sentence}.").format(sentence=assumed_type_text(summary.assumed_event_type)))
    if summary.conflicting_events:
        st.caption(_("{text} (see the table).").format(text=summary_conflict_text(summary)))


def render_figure_line(summary: Summary, names: Mapping[str, str] | None = None) -> None:
    """Show the headline figures in one paragraph (presentation mode, above the map).

    It wraps where the window is too narrow for one line (``webapp.sidebar``'s CSS).

    Parameters
    ----------
    summary
        The summary of the view shown.
    names
        Province code -> name in the view's language (``render.names.province_names``).
    """
    figures = headline_figures(summary, names)
    line = " · ".join(
        _("{label}: {value}").format(label=plain(label), value=f"**{plain(value)}**")
        for label, value in figures.items()
    )
    with st.container(key="figure_line"):
        st.markdown(line)
