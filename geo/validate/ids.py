"""Row identity in :mod:`geo.validate`: ``event_id``, ``same_event_as`` and duplicate rows.

A repeated ``event_id`` is an error naming the first row; ``same_event_as`` must not name its
own row (error) and should name an ``event_id`` of the file (warning); rows equal after case
and space folding are warned about.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.validate.core import Table

__all__ = ["check_duplicates", "check_ids", "check_links"]


def check_ids(t: Table) -> None:
    """Set ``event_id`` (generated ``row-<n>`` when empty); report repeated ids."""
    ids = t.cell("event_id")
    generated = "row-" + pd.Series(t.rows).astype(str)
    missing = ids == ""
    if "event_id" in t.found:
        t.problems.add(
            missing, "event_id", ids, "event_id empty; generated as row-<row number>", "warning"
        )
    ids = ids.where(~missing, generated)
    first = pd.Series(t.rows).groupby(ids.to_numpy()).transform("first")
    dup = ids.duplicated(keep="first")
    t.problems.add(
        dup, "event_id", ids, "duplicate event_id; first used on row " + first.astype(str)
    )
    t.out["event_id"] = ids


def check_links(t: Table) -> None:
    """Report ``same_event_as`` links to the row itself or to no event of the file."""
    ids = t.out["event_id"]
    same = t.cell("same_event_as")
    given = same != ""
    t.problems.add(
        given & (same == ids),
        "same_event_as",
        same,
        "same_event_as names the row's own event_id",
    )
    known = set(ids.tolist())
    found = np.zeros(t.n, dtype=bool)
    found[given.to_numpy()] = [v in known for v in same[given]]
    t.problems.add(
        given & (same != ids) & ~found,
        "same_event_as",
        same,
        "same_event_as names no event_id in this file",
        "warning",
    )


def _folded_codes(cells: pd.Series) -> np.ndarray:
    """Return an int code per cell, equal for cells equal after case and space folding."""
    text = cells.str.lower()
    spaced = text.str.contains("  ", regex=False)
    for char in "\t\n\r\xa0":
        spaced |= text.str.contains(char, regex=False)
    if spaced.any():
        text[spaced] = text[spaced].str.replace(r"\s+", " ", regex=True)
    return pd.factorize(text)[0]


def check_duplicates(t: Table) -> None:
    """Warn about rows equal to an earlier row after case and space folding."""
    names = [c for c in t.found if c != "event_id"]
    if not names or not t.n:
        return
    # One int code per column, then one 64-bit hash per row: no row-long strings are built.
    codes = pd.DataFrame({c: _folded_codes(t.cells[c]) for c in names})
    keys = pd.util.hash_pandas_object(codes, index=False).to_numpy()
    dup = pd.Series(keys).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first = pd.Series(t.rows).groupby(keys).transform("first")
    t.problems.add(
        dup,
        "",
        t.out["event_id"],
        "same content as row " + first.astype(str) + " (a duplicate row?)",
        "warning",
    )
