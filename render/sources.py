"""The sources of the events shown, reused by the PDF page, the sidecar file and the pack."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from i18n import N_, _, formats
from render.markup import safe_url
from render.wording import withheld_note

SOURCE_COLUMNS = ("source_org", "source_title", "source_published", "source_url")
#: The sources table's column names in files (:func:`sources_table`): stable, machine-readable.
_HEADERS = {
    "source_org": "organisation",
    "source_title": "title",
    "source_published": "published",
    "source_url": "url",
    "event_ids": "events",
}
#: The same columns as people read them (translated where written; English: :data:`_HEADERS`).
HEADER_LABELS = {
    "source_org": N_("organisation"),
    "source_title": N_("title"),
    "source_published": N_("published"),
    "source_url": N_("url"),
    "event_ids": N_("events"),
}


def sources_of(events: pd.DataFrame) -> pd.DataFrame:
    """Return one row per distinct source of ``events`` (reference rows and claims alike).

    Parameters
    ----------
    events
        The events of a view (``ViewData.events``).

    Returns
    -------
    pandas.DataFrame
        Columns ``source_org``, ``source_title``, ``source_published``, ``source_url`` (http/https
        only, '' otherwise) and ``event_ids`` (``; ``-separated), sorted by organisation, date.
    """
    columns = list(SOURCE_COLUMNS)
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in [*columns, "event_ids"]})
    frame = pd.DataFrame({c: events[c].fillna("").astype(str) for c in columns})
    frame["source_url"] = frame["source_url"].map(lambda url: safe_url(url) or "")
    frame["event_id"] = events["event_id"].astype(str).to_numpy()
    grouped = (
        frame.groupby(columns, sort=False)["event_id"]
        .agg(lambda ids: "; ".join(dict.fromkeys(ids)))
        .reset_index()
        .rename(columns={"event_id": "event_ids"})
    )
    order = grouped["source_org"].str.lower()
    return (
        grouped.assign(_order=order)
        .sort_values(["_order", "source_published", "source_title"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def format_source(row: pd.Series | dict, *, brief: bool = False) -> str:
    """Return one source as a line: ``Organisation. "Title". Published 2024-05-08. URL``.

    ``brief`` leaves the title out when there is a link (the map page of a PDF, where room is
    short; the link still finds the source).
    """
    parts = [row["source_org"] or _("(organisation not given)")]
    if row["source_title"] and not (brief and row["source_url"]):
        parts.append(_("“{title}”").format(title=row["source_title"]))
    published = row["source_published"]
    parts.append(_("Published {date}").format(date=published) if published else _("Undated"))
    if row["source_url"]:
        parts.append(row["source_url"])
    return _(". ").join(parts)


def source_lines(sources: pd.DataFrame, *, brief: bool = False) -> list[str]:
    """Return the numbered lines of a sources frame (``sources_of``); see ``format_source``."""
    return [
        f"{i}. {format_source(row, brief=brief)}"
        for i, row in enumerate(sources.to_dict("records"), 1)
    ]


def sources_text(events: pd.DataFrame, heading: str, withheld: Sequence[str] = ()) -> str:
    """Return the plain-text sources list of ``events`` under ``heading`` (for sidecar files).

    ``withheld``: the columns left out for publication (``ViewData.withheld``), said under
    the heading.
    """
    sources = sources_of(events)
    count = _("{n} sources of the {records} records shown:").format(
        n=formats.number(len(sources)), records=formats.number(len(events))
    )
    note = withheld_note(withheld)
    lines = [heading, "", *([_("{sentence}.").format(sentence=note), ""] if note else []), count,
             ""]  # fmt: skip
    for line, ids in zip(source_lines(sources), sources["event_ids"], strict=True):
        lines += [line, "   " + _("Records: {ids}").format(ids=ids), ""]
    return "\n".join(lines).rstrip() + "\n"


def sources_table(events: pd.DataFrame, *, machine_headers: bool = False) -> pd.DataFrame:
    """Return ``sources_of(events)`` with readable column headers (for CSV in the report pack).

    The headers are in the current language (English: ``organisation``, ``title``,
    ``published``, ``url``, ``events``); ``machine_headers`` keeps those English names in any
    language, for programs reading the file.
    """
    if machine_headers:
        return sources_of(events).rename(columns=_HEADERS)
    return sources_of(events).rename(columns={k: _(v) for k, v in HEADER_LABELS.items()})
