"""What the claims about one event say together: its places, its conflicts, its support.

An event is its reference row (``same_event_as == ''``) and every claim row pointing at it
(``geo.filter.reference_ids``). Only the reference row counts in totals (``geo.aggregate``);
the claims add what the reference row lacks and show where sources disagree. Rules:

Places
    When the reference row names no place (``place_names`` empty) and gives no point, but
    claims name gazetteer places, the event is placed at those places (``places_from_claims``,
    in order of first mention, parts included): ``geo.join`` attaches it to their provinces
    and draws it there, counted once. Which sources name each place: :func:`place_attribution`.
Independent sources
    A claim's original is its ``cites`` (the named source its figure comes from), else its
    ``source_org``, compared ignoring case and spacing; claims with the same original count
    as one (``independent_sources``; ``single_source`` when there is one).
Conflicts
    Compared over the claims about the whole event (``claim_scope`` ``event``; a ``part``,
    such as one crossing or one named person, is compared for dates only):

    - counts: each claim's range (``exact`` n..n, ``about`` n ± :data:`ABOUT_TOLERANCE`,
      ``more_than`` / ``at_least`` n..no limit, ``up_to`` 0..n, a range its two ends) does
      not overlap another's;
    - dates: two claims' ``[date_start, date_end]`` do not overlap (a missing end is open);
    - places: two claims name provinces of one country (admin1 codes and their places'
      provinces) and none in common.

    ``conflict`` states each disagreement in a short sentence, '' when none.
Spread
    ``lowest_claim`` / ``highest_claim``: the smallest and largest figure (best estimate,
    else low, else high) among the claims about the whole event; NA when none has a number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.budget import check_time
from geo.filter import reference_positions
from geo.reference.schema import CLAIM_COLUMNS

#: "about n" reads as n ± this share when claims are compared (never in totals).
ABOUT_TOLERANCE = 0.25


def split_ids(text: str) -> list[str]:
    """Return the non-empty parts of a ``|``-separated cell."""
    return [part.strip() for part in str(text).split("|") if part.strip()]


def short_source(org: str) -> str:
    """Return a source's name without its bracketed detail: ``Radio Free Asia (citing …)``.

    Examples
    --------
    >>> short_source("Radio Free Asia (citing the J.M. Missionary Union)")
    'Radio Free Asia'
    """
    text = " ".join(str(org).split())
    head = text.split(" (", 1)[0].strip()
    return head or text or "source not named"


def source_keys(events: pd.DataFrame) -> pd.Series:
    """Return each row's original source, folded: ``cites`` if given, else ``source_org``."""
    cites = events["cites"] if "cites" in events else pd.Series("", index=events.index)
    original = cites.where(cites.ne(""), events["source_org"]).fillna("")
    codes, distinct = pd.factorize(original, use_na_sentinel=False)
    folded = np.array([" ".join(str(text).casefold().split()) for text in distinct], dtype=object)
    return pd.Series(folded[codes], index=events.index, dtype=object)


def _figure(row: Mapping[str, Any]) -> float | None:
    for column in ("count_best", "count_low", "count_high"):
        value = row.get(column)
        if value is not None and not pd.isna(value):
            return float(value)
    return None


def claim_range(row: Mapping[str, Any]) -> tuple[float, float] | None:
    """Return the people range a claim allows (rules in the module doc), None without a count."""
    low, best, high = (row.get(c) for c in ("count_low", "count_best", "count_high"))
    low = None if low is None or pd.isna(low) else float(low)
    best = None if best is None or pd.isna(best) else float(best)
    high = None if high is None or pd.isna(high) else float(high)
    if low is None and best is None and high is None:
        return None
    if row.get("count_qualifier") == "about" and best is not None:
        return best * (1 - ABOUT_TOLERANCE), best * (1 + ABOUT_TOLERANCE)
    lo = low if low is not None else (0.0 if high is not None else best)
    hi = high if high is not None else (math.inf if low is not None else best)
    return float(lo), float(hi)  # type: ignore[arg-type]


def _said(row: Mapping[str, Any]) -> str:
    words = " ".join(str(row.get("count_text") or "").split())
    if words:
        return f"“{words}”"
    figure = _figure(row)
    return "no number" if figure is None else f"{int(figure):,}"


def _who(row: Mapping[str, Any]) -> str:
    return short_source(str(row.get("source_org") or ""))


def _count_conflict(rows: list[dict[str, Any]]) -> str:
    ranges = [(claim_range(r), r) for r in rows]
    ranges = [(rng, r) for rng, r in ranges if rng is not None]
    if len(ranges) < 2:
        return ""
    lowest = min(ranges, key=lambda item: item[0][1])  # type: ignore[index]
    highest = max(ranges, key=lambda item: item[0][0])  # type: ignore[index]
    if highest[0][0] <= lowest[0][1]:  # type: ignore[index]
        return ""
    a, b = lowest[1], highest[1]
    return f"counts disagree: {_said(a)} ({_who(a)}) vs {_said(b)} ({_who(b)})"


def _day(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _when(row: Mapping[str, Any]) -> str:
    start, end = row.get("date_start"), row.get("date_end")
    if pd.isna(start):
        return f"until {_day(end)}"
    if pd.isna(end):
        return f"from {_day(start)}"
    return _day(start) if _day(start) == _day(end) else f"{_day(start)} to {_day(end)}"


def _date_conflict(rows: list[dict[str, Any]]) -> str:
    dated = [r for r in rows if not (pd.isna(r.get("date_start")) and pd.isna(r.get("date_end")))]
    if len(dated) < 2:
        return ""
    first = pd.Timestamp.min
    last = pd.Timestamp.max
    latest_start = max(dated, key=lambda r: first if pd.isna(r["date_start"]) else r["date_start"])
    earliest_end = min(dated, key=lambda r: last if pd.isna(r["date_end"]) else r["date_end"])
    if pd.isna(latest_start["date_start"]) or pd.isna(earliest_end["date_end"]):
        return ""
    if latest_start["date_start"] <= earliest_end["date_end"]:
        return ""
    a, b = earliest_end, latest_start
    return f"dates disagree: {_when(a)} ({_who(a)}) vs {_when(b)} ({_who(b)})"


def claim_provinces(row: Mapping[str, Any], place_admin1: Mapping[str, str]) -> list[str]:
    """Return the provinces a claim names: its ``admin1_codes`` and its places' provinces."""
    codes = split_ids(row.get("admin1_codes") or "")
    codes += [place_admin1[p] for p in split_ids(row.get("place_ids") or "") if p in place_admin1]
    return list(dict.fromkeys(c.upper() for c in codes))


def _place_conflict(rows: list[dict[str, Any]], place_admin1: Mapping[str, str]) -> str:
    named = [(set(claim_provinces(r, place_admin1)), r) for r in rows]
    for country in sorted({c.split("-")[0] for codes, _ in named for c in codes}):
        sets = [({c for c in codes if c.startswith(country + "-")}, r) for codes, r in named]
        sets = [(codes, r) for codes, r in sets if codes]
        for i, (codes_a, a) in enumerate(sets):
            for codes_b, b in sets[i + 1 :]:
                if not codes_a & codes_b:
                    return (
                        f"provinces disagree: {', '.join(sorted(codes_a))} ({_who(a)}) vs "
                        f"{', '.join(sorted(codes_b))} ({_who(b)})"
                    )
    return ""


def event_conflict(rows: Sequence[Mapping[str, Any]], place_admin1: Mapping[str, str]) -> str:
    """Return how the claims about one event disagree ('' when they do not).

    Parameters
    ----------
    rows
        Every row about the event, reference first, as dicts of the normalised columns.
    place_admin1
        Gazetteer ``place_id`` -> its province code.
    """
    records = [dict(r) for r in rows]
    whole = [r for r in records if r.get("claim_scope", "event") != "part"]
    reasons = [
        _count_conflict(whole),
        _date_conflict(records),
        _place_conflict(whole, place_admin1),
    ]
    return "; ".join(r for r in reasons if r)


def _places_from_claims(rows: list[dict[str, Any]], place_admin1: Mapping[str, str]) -> str:
    reference = rows[0]
    has_point = not (pd.isna(reference.get("lat")) or pd.isna(reference.get("lon")))
    if split_ids(reference.get("place_names") or "") or has_point:
        return ""
    ids = [p for r in rows[1:] for p in split_ids(r.get("place_ids") or "") if p in place_admin1]
    return "|".join(dict.fromkeys(ids))


def claim_columns(events: pd.DataFrame, place_admin1: Mapping[str, str]) -> pd.DataFrame:
    """Return, per row, what the claims about its event say together (see the module doc).

    Every row of an event carries the event's values, except ``places_from_claims``, which
    only its reference row carries.

    Parameters
    ----------
    events
        The normalised events frame (``geo.validate``), claims included.
    place_admin1
        Gazetteer ``place_id`` -> province code (``Reference.places``).

    Returns
    -------
    pandas.DataFrame
        Same index as ``events``; the columns of :data:`CLAIM_COLUMNS`.
    """
    n = len(events)
    reference = reference_positions(events)
    keys = source_keys(events).to_numpy(dtype=object)
    figures = (
        events["count_best"].fillna(events["count_low"]).fillna(events["count_high"])
    ).astype("Float64")
    out = pd.DataFrame(
        {
            "places_from_claims": pd.Series(np.full(n, "", dtype=object)),
            "conflict": pd.Series(np.full(n, "", dtype=object)),
            "independent_sources": np.ones(n, dtype="int64"),
            "lowest_claim": figures.to_numpy(),
            "highest_claim": figures.to_numpy(),
        }
    )
    sizes = np.bincount(reference, minlength=n)
    grouped = np.flatnonzero(sizes[reference] > 1)
    if len(grouped):
        records = events.drop(columns="geometry", errors="ignore").to_dict("records")
        members: dict[int, list[int]] = {}
        for pos in grouped[np.argsort(reference[grouped] != grouped, kind="stable")]:
            members.setdefault(int(reference[pos]), []).append(int(pos))
        for ref, positions in members.items():
            check_time()
            positions = [ref, *(p for p in positions if p != ref)]
            rows = [records[p] for p in positions]
            whole = [r for r in rows if r.get("claim_scope", "event") != "part"]
            numbers = [f for f in (_figure(r) for r in whole) if f is not None]
            out.iloc[positions, out.columns.get_loc("conflict")] = event_conflict(
                rows, place_admin1
            )
            out.iloc[positions, out.columns.get_loc("independent_sources")] = len(
                {keys[p] for p in positions}
            )
            low = min(numbers) if numbers else pd.NA
            high = max(numbers) if numbers else pd.NA
            out.iloc[positions, out.columns.get_loc("lowest_claim")] = low
            out.iloc[positions, out.columns.get_loc("highest_claim")] = high
            out.iat[ref, out.columns.get_loc("places_from_claims")] = _places_from_claims(
                rows, place_admin1
            )
    out["single_source"] = out["independent_sources"].eq(1)
    out["lowest_claim"] = pd.array(out["lowest_claim"], dtype="Float64").round().astype("Int64")
    out["highest_claim"] = pd.array(out["highest_claim"], dtype="Float64").round().astype("Int64")
    out.index = events.index
    return out[list(CLAIM_COLUMNS)]


def place_attribution(
    claims: Sequence[Mapping[str, Any]], place_ids: Sequence[str]
) -> list[tuple[str, list[str]]]:
    """Return, for each of ``place_ids``, the (short) names of the sources naming it.

    Parameters
    ----------
    claims
        Every row about one event (reference first), with ``place_ids`` and ``source_org``.
    place_ids
        The places to attribute (e.g. the event's ``places_from_claims``).

    Examples
    --------
    >>> place_attribution([{"place_ids": "cn-tumen", "source_org": "RFA (citing X)"}],
    ...                   ["cn-tumen"])
    [('cn-tumen', ['RFA'])]
    """
    named: dict[str, list[str]] = {p: [] for p in place_ids}
    for claim in claims:
        for place in split_ids(claim.get("place_ids") or ""):
            who = short_source(str(claim.get("source_org") or ""))
            if place in named and who not in named[place]:
                named[place].append(who)
    return list(named.items())


def drawn_points(refs: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return where each event drawn as a symbol stands: one row per point.

    An event placed by its claims (``places_from_claims``) stands at each of those places with
    ``share`` 1 / their number (so its symbols' areas add up to one event's); any other event
    at its own ``lat``/``lon`` with ``share`` 1. Events without a point are left out.

    Parameters
    ----------
    refs
        Joined reference rows with ``map_level == "point"``.
    places
        The gazetteer (``Reference.places``: ``place_id``, ``lat``, ``lon``).

    Returns
    -------
    pandas.DataFrame
        Columns ``pos`` (position in ``refs``), ``lon``, ``lat``, ``share``, ``place_id``
        ('' for an own point).
    """
    coords = dict(zip(places["place_id"], zip(places["lon"], places["lat"], strict=True),
                      strict=True))  # fmt: skip
    rows: list[tuple[int, float, float, float, str]] = []
    from_claims = (
        refs["places_from_claims"].tolist() if "places_from_claims" in refs else [""] * len(refs)
    )
    for pos, (lon, lat, named) in enumerate(
        zip(refs["lon"].tolist(), refs["lat"].tolist(), from_claims, strict=True)
    ):
        ids = [p for p in split_ids(named) if p in coords] if named else []
        if ids:
            rows.extend(
                (pos, float(coords[p][0]), float(coords[p][1]), 1 / len(ids), p) for p in ids
            )
        elif not (pd.isna(lon) or pd.isna(lat)):
            rows.append((pos, float(lon), float(lat), 1.0, ""))
    return pd.DataFrame(rows, columns=["pos", "lon", "lat", "share", "place_id"])
