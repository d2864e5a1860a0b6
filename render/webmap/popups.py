"""Popup and tooltip HTML for events: every claim with its source, all text escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from render.markup import escape_html, format_count, format_date, link_html
from render.names import local_name

TYPE_LABELS = {
    "forced_return": "Forced return",
    "detention": "Detention",
    "policy": "Policy",
    "diplomatic": "Diplomatic",
    "report": "Report",
}


def count_words(row: Mapping[str, Any]) -> str:
    """Return the source's count wording (``count_text``), else one built from the columns."""
    text = str(row.get("count_text") or "").strip()
    if text:
        return text
    return format_count(
        str(row.get("count_qualifier") or ""),
        row.get("count_best"),
        row.get("count_low"),
        row.get("count_high"),
    )


def date_words(row: Mapping[str, Any]) -> str:
    """Return the row's date written with its precision (see ``map_text.format_date``)."""
    return format_date(row.get("date_start"), row.get("date_end"), str(row["date_precision"]))


def place_lookup(places: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return the gazetteer (``Regions.places``) as ``place_id`` -> row dict."""
    return {str(r["place_id"]): r for r in places.to_dict("records")}


def place_words(row: Mapping[str, Any], lookup: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """Return the row's places in ``lang`` (gazetteer names), else the names as given."""
    ids = [p for p in str(row.get("place_ids") or "").split("|") if p in lookup]
    if ids:
        return ", ".join(local_name(lookup[p], lang) for p in ids)
    return ", ".join(p for p in str(row.get("place_names") or "").split("|") if p)


def _claim_html(claim: Mapping[str, Any]) -> str:
    org = escape_html(claim.get("source_org") or "source not named")
    published = str(claim.get("source_published") or "")
    when = f", published {escape_html(published)}" if published else ""
    title = str(claim.get("source_title") or "") or "source"
    parts = [
        f"<b>{org}</b>{when}: {escape_html(count_words(claim))}",
        f" ({escape_html(date_words(claim))})",
    ]
    if claim.get("source_url"):
        parts.append(f"<br>{link_html(claim['source_url'], title)}")
    elif claim.get("source_title"):
        parts.append(f"<br>{escape_html(title)}")
    if claim.get("evidence_quote"):
        parts.append(f'<br><q class="bem-quote">{escape_html(claim["evidence_quote"])}</q>')
    return "<li>" + "".join(parts) + "</li>"


def popup_html(
    reference: Mapping[str, Any], claims: Sequence[Mapping[str, Any]], where: str
) -> str:
    """Return the popup of one event: type, date, count, places, then every claim.

    Parameters
    ----------
    reference
        The event's reference row (``same_event_as == ''``).
    claims
        Every row about the event, reference first (as ``geo.aggregate.claims_for`` returns).
    where
        Place names in the view's language (:func:`place_words`), may be ''.
    """
    kind = TYPE_LABELS.get(str(reference["event_type"]), str(reference["event_type"]))
    lines = [
        f'<div class="bem-popup"><b>{escape_html(kind)}</b> · {escape_html(date_words(reference))}',
        f"<br>People: {escape_html(count_words(reference))}",
    ]
    if where:
        lines.append(f"<br>Where: {escape_html(where)}")
    if reference.get("location_text"):
        lines.append(f"<br>Source's words: {escape_html(reference['location_text'])}")
    lines.append(f"<br>{len(claims)} claim{'s' if len(claims) != 1 else ''}:<ol>")
    lines.extend(_claim_html(c) for c in claims)
    lines.append("</ol></div>")
    return "".join(lines)


def tooltip_html(reference: Mapping[str, Any], where: str) -> str:
    """Return a one-line tooltip: type, date, count wording and places."""
    kind = TYPE_LABELS.get(str(reference["event_type"]), str(reference["event_type"]))
    parts = [kind, date_words(reference), count_words(reference)]
    if where:
        parts.append(where)
    return escape_html(" · ".join(parts))
