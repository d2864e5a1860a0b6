"""Count columns of :mod:`geo.validate`.

Numeric ``count_*`` columns, when present, are authoritative and ``count_text`` is kept as
the source's words; otherwise ``count_text`` (alias ``count``) is read by
:func:`geo.parse.counts.parse_count`. Empty cells are completed by the count rule (``exact`` ->
low = best = high, ...); an empty qualifier is derived when the numbers say it (a warning when
only ``count_best`` is given), else it is an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.parse.counts import MAX_COUNT, CountParseError, digits_value, parse_count
from geo.reference.schema import COUNT_COLUMNS, COUNT_QUALIFIERS
from geo.validate.core import Findings, SchemaCells, map_distinct

__all__ = ["check_counts"]

_WHOLE_NUMBER = r"\d+|\d{1,3}(?:,\d{3})+|\d+\.0+"


def _whole_numbers(t: SchemaCells, column: str, found: Findings) -> pd.Series:
    """Return a count column as float (NaN when empty); non-whole-number cells are errors."""
    cells = t.cell(column)
    ok = cells.str.fullmatch(_WHOLE_NUMBER)
    # Thousands of digits are refused by their length (digits_value) before anything reads
    # them as a number: pandas would give NaN (an empty count) or inf, Python a ValueError.
    digits = cells.where(ok, "").str.replace(",", "").str.replace(r"\.0+$", "", regex=True)
    numbers = map_distinct(digits, lambda d: (np.nan if d == "" else digits_value(d),), 1)[0]
    numbers = numbers.astype(float)
    ok &= (cells == "") | numbers.notna()
    found.add(
        (cells != "") & ~ok,
        column,
        cells,
        f"{column} must be a whole number of people from 0 to {MAX_COUNT:,} (e.g. 60)",
    )
    return numbers.where(ok)


def _counts_from_numbers(t: SchemaCells, found: Findings) -> dict[str, pd.Series]:
    """Read counts from ``count_best``/``count_low``/``count_high`` (+ ``count_qualifier``)."""
    best, low, high = (_whole_numbers(t, c, found) for c in COUNT_COLUMNS)
    qualifier = t.choice("count_qualifier", COUNT_QUALIFIERS, "", found)
    b, lo, hi = best.notna(), low.notna(), high.notna()
    empty = qualifier == ""
    exact_like = b & (~lo | (low == best)) & (~hi | (high == best))
    derived = np.select(
        [~b & ~lo & ~hi, exact_like, ~b & lo & hi], ["unknown", "exact", "unknown"], default=""
    )
    q_cells = t.cell("count_qualifier")
    found.add(
        empty & (derived == ""),
        "count_qualifier",
        q_cells,
        "count_qualifier is needed for these counts (exact, about, more_than, at_least, up_to "
        "or unknown)",
    )
    found.add(
        empty & (derived == "exact") & (~lo | ~hi),
        "count_qualifier",
        q_cells,
        "count_qualifier empty; read as exact",
        "warning",
    )
    qualifier = qualifier.where(~empty, pd.Series(derived, dtype=object))
    order = (lo & b & (low > best)) | (b & hi & (best > high)) | (lo & hi & (low > high))
    found.add(
        order,
        "count_low",
        t.cell("count_low"),
        "counts must satisfy count_low <= count_best <= count_high",
    )
    found.add(
        (qualifier == "unknown") & b,
        "count_best",
        t.cell("count_best"),
        "count_qualifier unknown takes no count_best: give only count_low/count_high for a range",
    )
    found.add(
        qualifier.isin(("exact", "about", "more_than", "at_least", "up_to")) & ~b,
        "count_best",
        t.cell("count_best"),
        "count_best is needed for this count_qualifier",
    )
    found.add(
        (qualifier == "exact") & ((lo & (low != best)) | (hi & (high != best))),
        "count_qualifier",
        q_cells,
        "an exact count has count_low = count_best = count_high",
    )
    fill_low = qualifier.isin(("exact", "about", "more_than", "at_least"))
    fill_high = qualifier.isin(("exact", "up_to"))
    return {
        "count_best": best,
        "count_low": low.where(lo | ~fill_low, best),
        "count_high": high.where(hi | ~fill_high, best),
        "count_qualifier": qualifier,
    }


def _count_fields(text: str) -> tuple[int | None, int | None, int | None, str, str]:
    """Return best, low, high, qualifier and an error message ('' if none) of a count text."""
    try:
        value = parse_count(text)
    except CountParseError as err:
        return None, None, None, "unknown", str(err)
    return value.best, value.low, value.high, value.qualifier, ""


def _counts_from_text(t: SchemaCells, found: Findings) -> dict[str, pd.Series]:
    """Read counts from ``count_text`` (or its alias ``count``) with :func:`parse_count`."""
    cells = t.cell("count_text")
    *numbers, parsed, errors = map_distinct(cells, _count_fields, 5, t.distinct("count_text"))
    found.add(errors != "", "count_text", cells, errors)
    out = {
        col: pd.to_numeric(s).astype(float) for col, s in zip(COUNT_COLUMNS, numbers, strict=True)
    }
    given = t.choice("count_qualifier", COUNT_QUALIFIERS, "", found)
    found.add(
        (given != "") & (errors == "") & (given != parsed),
        "count_qualifier",
        t.cell("count_qualifier"),
        lambda at: "count_qualifier does not match count_text (read as " + parsed.iloc[at] + ")",
    )
    out["count_qualifier"] = parsed
    return out


def check_counts(t: SchemaCells) -> Findings:
    """Return the ``count_*`` columns and ``count_text``, and the bad counts."""
    found = Findings(t)
    numeric = any(c in t.found for c in COUNT_COLUMNS)
    counts = _counts_from_numbers(t, found) if numeric else _counts_from_text(t, found)
    for col in COUNT_COLUMNS:
        found.columns[col] = counts[col].round().astype("Int64")
    found.columns["count_qualifier"] = counts["count_qualifier"]
    found.columns["count_text"] = t.cell("count_text")
    return found
