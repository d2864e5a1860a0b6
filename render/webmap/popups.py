"""Popup and tooltip HTML for events: every claim with its source, all text escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from render.markup import escape_html, link_html
from render.names import local_name
from render.wording import COUNTRY_UNCERTAIN, row_count_words, row_date_text, type_label


def place_lookup(places: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return the gazetteer (``Reference.places``) as ``place_id`` -> row dict."""
    return {str(r["place_id"]): r for r in places.to_dict("records")}


def place_words(row: Mapping[str, Any], lookup: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    """Return the row's places in ``lang`` (gazetteer names), else the names as given."""
    ids = [p for p in str(row.get("place_ids") or "").split("|") if p in lookup]
    if ids:
        return ", ".join(local_name(lookup[p], lang) for p in ids)
    return ", ".join(p for p in str(row.get("place_names") or "").split("|") if p)


def _claim_html(claim: Mapping[str, Any]) -> Markup:
    org = escape_html(claim.get("source_org") or "source not named")
    published = str(claim.get("source_published") or "")
    when = Markup(", published {}").format(published) if published else ""
    title = str(claim.get("source_title") or "") or "source"
    parts = [
        Markup("<b>{}</b>{}: {}").format(org, when, row_count_words(claim)),
        Markup(" ({})").format(row_date_text(claim)),
    ]
    if claim.get("source_url"):
        parts.append(Markup("<br>{}").format(link_html(claim["source_url"], title)))
    elif claim.get("source_title"):
        parts.append(Markup("<br>{}").format(title))
    if claim.get("evidence_quote"):
        parts.append(Markup('<br><q class="bem-quote">{}</q>').format(claim["evidence_quote"]))
    return Markup("<li>{}</li>").format(Markup("").join(parts))


def popup_html(
    reference: Mapping[str, Any], claims: Sequence[Mapping[str, Any]], where: str
) -> Markup:
    """Return the popup of one event: type, date, count, places, then every claim.

    Parameters
    ----------
    reference
        The event's reference row (``same_event_as == ''``).
    claims
        Every row about the event, reference first (as ``geo.aggregate.claims_for`` returns).
    where
        Place names in the view's language (:func:`place_words`), plain text, may be ''.

    Returns
    -------
    markupsafe.Markup
        The popup's HTML, every text from the data escaped.
    """
    kind = type_label(str(reference["event_type"]))
    when = row_date_text(reference)
    lines = [
        Markup('<div class="bem-popup"><b>{}</b> · {}').format(kind, when),
        Markup("<br>People: {}").format(row_count_words(reference)),
    ]
    if where:
        lines.append(Markup("<br>Where: {}").format(where))
    if reference.get("country_uncertain"):
        lines.append(Markup("<br>Country: {}").format(COUNTRY_UNCERTAIN))
    if reference.get("location_text"):
        lines.append(Markup("<br>Source's words: {}").format(reference["location_text"]))
    lines.append(Markup("<br>{} claim{}:<ol>").format(len(claims), "s" if len(claims) != 1 else ""))
    lines.extend(_claim_html(c) for c in claims)
    lines.append(Markup("</ol></div>"))
    return Markup("").join(lines)


def tooltip_html(reference: Mapping[str, Any], where: str) -> Markup:
    """Return a one-line tooltip: type, date, count wording and places (escaped HTML)."""
    kind = type_label(str(reference["event_type"]))
    parts = [kind, row_date_text(reference), row_count_words(reference)]
    if where:
        parts.append(where)
    if reference.get("country_uncertain"):
        parts.append(COUNTRY_UNCERTAIN)
    return escape_html(" · ".join(parts))
