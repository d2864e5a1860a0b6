"""Cross-checks: aggregate claims against the view's totals, and every claim per event.

Aggregate claims are ``report`` rows such as "more than 670 since 2020"; per-event claims are
rows whose ``same_event_as`` points at a reference row.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.aggregate import CrossCheck, Summary
from i18n import N_, _
from render.markup import safe_url
from render.wording import (
    CROSS_CHECK_LABELS,
    checked_event_label,
    count_texts,
    cross_check_fields,
    date_texts,
    event_role,
)
from webapp.markdown_text import plain

#: The claims table's columns (English headers; shown translated) and its roles.
CLAIM_COLUMNS = (N_("Event"), N_("Role"), N_("Date"), N_("Count"), N_("Source"), N_("Link"))
REFERENCE_ROLE, CLAIM_ROLE = N_("reference"), N_("other claim")


def claims_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Return every claim about the events that more than one source reports.

    One line per claim, reference row first within each event; headers and roles in the
    page's language (English: :data:`CLAIM_COLUMNS`).
    """
    claimed = set(events.loc[events["same_event_as"] != "", "same_event_as"])
    event = events["same_event_as"].where(events["same_event_as"] != "", events["event_id"])
    keep = event.isin(claimed)
    rows = events[keep].assign(_event=event[keep], _claim=events["same_event_as"][keep] != "")
    rows = rows.sort_values(["_event", "_claim"], kind="stable")
    frame = pd.DataFrame(
        {
            "Event": rows["_event"],
            "Role": rows["_claim"].map({False: _(REFERENCE_ROLE), True: _(CLAIM_ROLE)}),
            "Date": date_texts(rows["date_start"], rows["date_end"], rows["date_precision"]),
            "Count": count_texts(rows),
            "Source": rows["source_org"],
            "Link": rows["source_url"].map(safe_url),
        }
    ).reset_index(drop=True)
    return frame.rename(columns={column: _(column) for column in CLAIM_COLUMNS})


def cross_check_markdown(check: CrossCheck) -> str:
    """Return one cross-check as Markdown: its labelled parts, then its events with links.

    Text from data is escaped (``plain``); links pass ``safe_url`` and are shown as "source"
    (in the page's language).
    """
    fields = cross_check_fields(check)
    lines = [f"**{plain(fields['report'])}**, {plain(fields['period'])}", ""]
    lines += [
        f"- **{_(CROSS_CHECK_LABELS[key])}:** {plain(fields[key])}"
        for key in ("reported", "total", "verdict", "events")
    ]
    for event in check.events:
        role = event_role(check, event.event_id)
        url = safe_url(event.source_url)
        link = f" ([{plain(_('source'))}]({_link_target(url)}))" if url else ""
        mark = f" — *{role}*" if role else ""
        lines.append(f"    - {plain(checked_event_label(event))}{mark}{link}")
    return "\n".join(lines)


def _link_target(url: str) -> str:
    """Return ``url`` with the characters that would end a Markdown link target encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def render_cross_checks(summary: Summary, events: pd.DataFrame) -> None:
    """Show the summary's cross-checks and the claims per event (key ``claims``).

    Parameters
    ----------
    summary
        The view's summary.
    events
        ``ViewData.events`` (reference rows and their claims).
    """
    if summary.cross_checks:
        st.markdown(
            _(
                "**Aggregate reports compared with the events in their period** (all forced "
                "returns within the report's dates, whatever the view's filters)"
            )
        )
        for check in summary.cross_checks:
            with st.container(border=True):
                st.markdown(cross_check_markdown(check))
    claims = claims_frame(events)
    if not claims.empty:
        st.markdown(_("**Events reported by more than one source** (totals use the reference row)"))
        link = _("Link")
        st.dataframe(
            claims,
            key="claims",
            hide_index=True,
            width="stretch",
            column_config={link: st.column_config.LinkColumn(link, display_text=_("source"))},
        )
    if not summary.cross_checks and claims.empty:
        st.caption(_("No aggregate claims or multi-source events in this view."))
