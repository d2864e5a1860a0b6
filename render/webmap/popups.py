"""Popup and tooltip HTML for events: every claim with its source, all text escaped.

A popup says how many independent sources support the event, states how its claims disagree
(``geo.claims``) and, when there is more than one claim, shows them side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from geo.claims import short_source, split_ids
from i18n import _, ngettext
from render.markup import escape_html, link_html
from render.names import local_name
from render.wording import (
    COUNTRY_UNCERTAIN,
    PART_OF_EVENT,
    SINGLE_SOURCE,
    SOURCES_DISAGREE,
    count_text,
    number,
    row_count_words,
    row_date_text,
    sources_text,
    type_label,
)


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
    org = escape_html(claim.get("source_org") or _("source not named"))
    published = str(claim.get("source_published") or "")
    when = Markup(_(", published {date}")).format(date=published) if published else ""
    title = str(claim.get("source_title") or "") or _("source")
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


def _claims_table(claims: Sequence[Mapping[str, Any]], places: Sequence[str]) -> Markup:
    """Return the claims side by side: source, their words, the number, date and place."""
    head = Markup("").join(
        Markup("<th>{}</th>").format(h)
        for h in (_("Source"), _("Said"), _("Number"), _("Date"), _("Place"))
    )
    rows = []
    for claim, where in zip(claims, places, strict=True):
        number = count_text(
            claim.get("count_qualifier"), claim.get("count_best"), claim.get("count_low"),
            claim.get("count_high"),
        )  # fmt: skip
        if claim.get("claim_scope") == "part":
            number += f" ({_(PART_OF_EVENT)})"
        cells = (
            short_source(str(claim.get("source_org") or "")),
            " ".join(str(claim.get("count_text") or "").split()) or "—",
            number,
            row_date_text(claim),
            where or "—",
        )
        rows.append(Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td>{}</td>").format(c) for c in cells)
        ))  # fmt: skip
    return Markup('<table class="bem-claims"><tr>{}</tr>{}</table>').format(
        head, Markup("").join(rows)
    )


def popup_html(
    reference: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    where: str,
    *,
    claim_places: Sequence[str] | None = None,
    attribution: Sequence[tuple[str, Sequence[str]]] = (),
) -> Markup:
    """Return the popup of one event: type, date, count, places, support, conflict, claims.

    With more than one claim, the claims are also shown side by side (source, their words,
    the number, date, place) under the disagreement when the claims conflict (``conflict``).

    Parameters
    ----------
    reference
        The event's reference row (``same_event_as == ''``), joined (``geo.join``).
    claims
        Every row about the event, reference first (as ``geo.aggregate.claims_for`` returns).
    where
        Place names in the view's language (:func:`place_words`), plain text, may be ''.
    claim_places
        Each claim's place names in the view's language (same order as ``claims``).
    attribution
        ``(place name, source names)`` of an event placed by its claims
        (``geo.claims.place_attribution``); shown instead of ``where``.

    Returns
    -------
    markupsafe.Markup
        The popup's HTML, every text from the data escaped.
    """
    kind = type_label(str(reference["event_type"]))
    when = row_date_text(reference)
    lines = [
        Markup('<div class="bem-popup"><b>{}</b> · {}').format(kind, when),
        Markup("<br>{}").format(_("People: {people}").format(people=row_count_words(reference))),
    ]
    if attribution:
        named = "; ".join(f"{place}: {', '.join(who)}" for place, who in attribution)
        lines.append(Markup("<br>{}").format(
            _("Where (named by these sources): {places}").format(places=named)
        ))  # fmt: skip
    elif where:
        lines.append(Markup("<br>{}").format(_("Where: {places}").format(places=where)))
    if reference.get("country_uncertain"):
        lines.append(Markup("<br>{}").format(
            _("Country: {country}").format(country=_(COUNTRY_UNCERTAIN))
        ))  # fmt: skip
    if reference.get("location_text"):
        lines.append(Markup("<br>{}").format(
            _("Source's words: {words}").format(words=reference["location_text"])
        ))  # fmt: skip
    sources = reference.get("independent_sources")
    if sources is not None and not pd.isna(sources):
        css = "bem-support bem-single" if int(sources) == 1 else "bem-support"
        lines.append(Markup('<br><span class="{}">{}</span>').format(
            css, _("Support: {sources}").format(sources=sources_text(int(sources)))
        ))  # fmt: skip
    if reference.get("conflict"):
        lines.append(Markup('<br><b class="bem-conflict">{}</b>: {}').format(
            _(SOURCES_DISAGREE).capitalize(), reference["conflict"]
        ))  # fmt: skip
    if len(claims) > 1:
        places = list(claim_places) if claim_places is not None else [
            ", ".join(split_ids(str(c.get("place_names") or ""))) for c in claims
        ]  # fmt: skip
        lines.append(_claims_table(claims, places))
    claims_head = ngettext("{n} claim:", "{n} claims:", len(claims)).format(n=number(len(claims)))
    lines.append(Markup("<br>{}<ol>").format(claims_head))
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
        parts.append(_(COUNTRY_UNCERTAIN))
    if reference.get("single_source"):
        parts.append(_(SINGLE_SOURCE))
    if reference.get("conflict"):
        parts.append(_(SOURCES_DISAGREE))
    return escape_html(" · ".join(parts))
