"""Text tables for the terminal: columns padded to the width a terminal gives each character."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence


def display_width(text: str) -> int:
    """Return the columns ``text`` takes on a terminal (wide and fullwidth characters two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def aligned(
    rows: Sequence[Sequence[str]], width: Callable[[str], int] = display_width
) -> list[str]:
    """Return ``rows`` as lines: each column but the last padded to its widest cell.

    Columns are two spaces apart; ``width`` measures a cell (``len`` where every character
    takes one column).
    """
    count = len(rows[0]) if rows else 0
    widths = [max(width(row[i]) for row in rows) for i in range(count - 1)]
    return [
        "  ".join(
            [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row[:-1])] + [row[-1]]
        )
        for row in rows
    ]
