"""Row identity in :mod:`geo.validate`: ``event_id``, ``same_event_as`` and duplicate rows.

A repeated ``event_id`` is an error naming the first row; ``same_event_as`` must not name its
own row (error); ``claim_scope`` is one of ``CLAIM_SCOPES`` (empty: ``event``); rows equal
after case and space folding are warned about. Once every other check has run, a claim (a row
with ``same_event_as``) must name the ``event_id`` of a reference row kept as an event
(``check_claim_targets``, an error): only reference rows count in totals (``geo.aggregate``),
so a claim naming no id of the file, a refused row or another claim would count nowhere.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as arrow_compute
from numpy.typing import NDArray

from geo.reference.schema import CLAIM_SCOPES
from geo.validate.core import Distinct, Findings, SchemaCells
from geo.validate.earlier import NO_ROW, FirstRows, value_hashes

__all__ = ["check_claim_targets", "check_duplicates", "check_ids", "check_links", "first_rows_of"]


def check_ids(t: SchemaCells, earlier: FirstRows | None = None) -> Findings:
    """Return ``event_id`` (generated ``row-<n>`` when empty) and the repeated ids.

    ``earlier``: the ids of the file's other batches, when ``t`` is one batch of it.
    """
    found = Findings(t)
    ids = t.cell("event_id")
    missing = ids == ""
    if "event_id" in t.found:
        found.add(
            missing, "event_id", ids, "event_id empty; generated as row-<row number>", "warning"
        )
    if missing.any():
        generated = "row-" + pd.Series(t.rows[missing.to_numpy()]).astype(str)
        ids = ids.copy()
        ids[missing] = generated.to_numpy()
    hashes = value_hashes(ids) if earlier is not None else None
    dup, first = _first_rows(ids, t.rows, earlier, hashes)
    found.add(
        dup,
        "event_id",
        ids,
        lambda at: "duplicate event_id; first used on row " + pd.Series(first[at]).astype(str),
    )
    found.columns["event_id"] = ids
    return found


def _first_rows(
    values: pd.Series | NDArray[np.uint64],
    rows: NDArray[np.int64],
    earlier: FirstRows | None = None,
    hashes: NDArray[np.uint64] | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Return which values repeat an earlier one, and each value's first row number.

    With ``earlier`` (the values of the file's other batches, as ``hashes`` of the values),
    the first row is the file's, and this batch's values are added to it.
    """
    codes, _ = pd.factorize(values)  # numbered in order of first appearance
    highest_before = np.maximum.accumulate(np.r_[-1, codes])[:-1]
    new = codes > highest_before  # a value's first row brings the next code
    first = rows[new][codes]
    if earlier is None or hashes is None:
        return ~new, first
    first = np.minimum(first, earlier.first(hashes))
    earlier.add(hashes, first)
    return first < rows, first


def check_links(t: SchemaCells, ids: pd.Series) -> Findings:
    """Return the ``same_event_as`` links to the row itself, and ``claim_scope``.

    ``claim_scope`` is ``event`` when empty; another value is an error. ``ids`` are the rows'
    event ids (:func:`check_ids`). Whether a link names a kept reference row is known once
    every check has run (:func:`check_claim_targets`).
    """
    found = Findings(t)
    same = t.cell("same_event_as")
    found.add(
        (same != "") & (same == ids),
        "same_event_as",
        same,
        "same_event_as names the row's own event_id",
    )
    found.columns["claim_scope"] = t.choice("claim_scope", CLAIM_SCOPES, "event", found)
    return found


def first_rows_of(
    ids: pd.Series, rows: NDArray[np.int64]
) -> Callable[[pd.Series], NDArray[np.int64]]:
    """Return a look-up of event ids: the row number of the first of ``ids`` equal to each.

    ``rows`` are the rows' numbers; an id not among ``ids`` gets ``NO_ROW``.
    """
    known = pa.array(ids, type=pa.large_string())

    def first(wanted: pd.Series) -> NDArray[np.int64]:
        named = pa.array(wanted, type=pa.large_string())
        at = arrow_compute.index_in(named, value_set=known).fill_null(-1).to_numpy()
        return np.where(at >= 0, rows[np.maximum(at, 0)], NO_ROW)

    return first


def check_claim_targets(
    t: SchemaCells,
    ids: pd.Series,
    kept: NDArray[np.bool_],
    first_row: Callable[[pd.Series], NDArray[np.int64]],
) -> Findings:
    """Return the claims naming no kept reference row: errors, as they would count nowhere.

    ``ids`` are the rows' event ids, ``kept`` the rows no other check refused, ``first_row``
    the row number of the file's first row with each id (``NO_ROW`` when none; when ``t`` is a
    file's held-back rows, its ids come from the whole file). The message says which: no row
    of the file has the id, that row is refused, or it is itself a claim. A claim refused for
    another reason is told too, as every check tells its own problems.
    """
    found = Findings(t)
    same = t.cell("same_event_as")
    claim = ((same != "") & (same != ids)).to_numpy()  # naming the row itself: check_links
    if not claim.any():
        return found
    references = pa.array(ids[kept & (same == "").to_numpy()], type=pa.large_string())
    named = pa.array(same[claim], type=pa.large_string())
    unlinked = np.zeros(t.n, dtype=bool)
    linked = arrow_compute.is_in(named, value_set=references).to_numpy(zero_copy_only=False)
    unlinked[np.flatnonzero(claim)[~linked]] = True
    if not unlinked.any():
        return found
    row = np.full(t.n, NO_ROW, dtype=np.int64)
    row[unlinked] = first_row(same[unlinked])
    claims = pa.array(ids[kept & claim], type=pa.large_string())
    to_claim = np.zeros(t.n, dtype=bool)
    to_claim[unlinked] = arrow_compute.is_in(
        pa.array(same[unlinked], type=pa.large_string()), value_set=claims
    ).to_numpy(zero_copy_only=False)
    numbers = pd.Series(row).astype(str)
    found.add(
        unlinked & (row == NO_ROW),
        "same_event_as",
        same,
        "same_event_as names no event_id in this file, so this claim would count in no total; "
        "correct it, or empty it to count this row as an event of its own",
    )
    found.add(
        unlinked & (row != NO_ROW) & to_claim,
        "same_event_as",
        same,
        lambda at: "same_event_as names the event_id of row " + numbers.iloc[at]
        + ", itself a claim (its same_event_as is filled), so this claim would count in no "
        "total; name the event that row names",
    )  # fmt: skip
    found.add(
        unlinked & (row != NO_ROW) & ~to_claim,
        "same_event_as",
        same,
        lambda at: "same_event_as names the event_id of row " + numbers.iloc[at]
        + ", which is refused (see its errors), so this claim would count in no total; "
        "correct that row",
    )  # fmt: skip
    return found


#: What case and space folding changes besides case: a run of spaces, or another space character
#: (RE2 syntax, run by Arrow over the whole column).
_UNFOLDED_SPACE = "  |[\t\n\r\\x{a0}]"


def _folded_codes(cells: pd.Series, factorised: Distinct | None = None) -> NDArray[np.intp]:
    """Return an int code per cell, equal for cells equal after case and space folding.

    Each distinct cell is folded once. ``factorised``: the cells already factorised.
    """
    if factorised is None:
        factorised = pd.factorize(cells, use_na_sentinel=False)
    codes, distinct = factorised
    written = pd.Series(distinct, dtype="str")
    text = written.str.lower()
    spaced = np.asarray(arrow_compute.match_substring_regex(pa.array(text), _UNFOLDED_SPACE))
    if not spaced.any():
        if text.eq(written).all():  # nothing to fold: cells already distinct
            return codes
    else:
        text[spaced] = text[spaced].str.replace(r"\s+", " ", regex=True)
    return pd.factorize(text, use_na_sentinel=False)[0][codes]


def _folded(cells: pd.Series) -> pd.Series:
    """Return the cells after case and space folding."""
    text = cells.str.lower()
    spaced = np.asarray(arrow_compute.match_substring_regex(pa.array(text), _UNFOLDED_SPACE))
    if spaced.any():
        text[spaced] = text[spaced].str.replace(r"\s+", " ", regex=True)
    return text


#: Rows of a column sampled to guess how many distinct values it holds.
_SAMPLE_ROWS = 4096


def _pair_codes(first: NDArray[np.intp], second: NDArray[np.intp]) -> NDArray[np.intp]:
    """Return one code per row, equal where both ``first`` and ``second`` codes are equal.

    Pairs are numbered through a table of every possible pair when that is small (no hashing),
    else factorised.
    """
    pairs = first * (int(second.max()) + 1) + second
    size = int(pairs.max()) + 1
    if size > 8 * len(pairs):
        return pd.factorize(pairs)[0]
    seen = np.bincount(pairs, minlength=size) > 0
    return (np.cumsum(seen) - 1)[pairs]


def _equal_rows(t: SchemaCells, names: list[str]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Return which rows equal an earlier one in the ``names`` columns (folded), and its row.

    Rows are told apart column by column, the columns with the fewest distinct values (in a
    sample) first; a row whose values so far no other row shares is unique and is dropped, so
    the columns of many distinct values (points, notes) are folded for the few rows left. The
    first row is that of the row's first equal (its own when it is unique).
    """
    first = t.rows.copy()
    dup = np.zeros(t.n, dtype=bool)
    left = np.arange(t.n)  # positions of rows that may still equal another
    key = np.zeros(t.n, dtype=np.int64)  # equal for rows equal in the columns done
    for name in sorted(names, key=lambda c: len(t.cells[c].iloc[:_SAMPLE_ROWS].unique())):
        cells = t.cells[name]
        whole = len(left) == t.n
        codes = _folded_codes(*((cells, t.distinct(name)) if whole else (cells.take(left),)))
        key = _pair_codes(key, codes)
        shared = np.bincount(key)[key] > 1
        left, key = left[shared], key[shared]
        if not len(left):
            return dup, first
    dup[left], first[left] = _first_rows(key, t.rows[left])
    return dup, first


def check_duplicates(
    t: SchemaCells, ids: pd.Series, earlier: FirstRows | None = None
) -> Findings:
    """Return warnings about rows equal to an earlier row after case and space folding.

    ``ids`` are the rows' event ids (:func:`check_ids`), shown as each warning's value;
    ``earlier`` the folded rows of the file's earlier batches, when ``t`` is one batch of it.
    """
    found = Findings(t)
    names = [c for c in t.found if c != "event_id"]
    if not names or not t.n:
        return found
    if earlier is None:
        dup, first = _equal_rows(t, names)
    else:  # the folded text, one 64-bit hash per row, is compared across a file's batches
        keys = value_hashes(pd.DataFrame({c: _folded(t.cells[c]) for c in names}))
        dup, first = _first_rows(keys, t.rows, earlier, keys)
    found.add(
        dup,
        "",
        ids,
        lambda at: (
            "same content as row " + pd.Series(first[at]).astype(str) + " (a duplicate row?)"
        ),
        "warning",
    )
    return found
