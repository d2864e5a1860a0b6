"""Parsers of single cell values: dates, counts, coordinates; and how a message quotes a cell."""

__all__ = ["SHOWN_CHARS", "quoted", "shorten"]

#: How many characters of a cell a problem shows (its value, and a message quoting it).
SHOWN_CHARS = 60


def shorten(value: str, limit: int = SHOWN_CHARS) -> str:
    """Return ``value`` cut to ``limit`` characters, the last one "…" when it was longer.

    A cell may hold thousands of characters (a count of 4,301 digits); a problem names it by
    its first ones.

    Examples
    --------
    >>> shorten("9" * 100, 5)
    '9999…'
    """
    return value if len(value) <= limit else value[: limit - 1] + "…"


def quoted(text: str) -> str:
    """Return ``text`` quoted (``repr``) for a message, shortened like every value shown.

    The quoted text is at most ``2 * SHOWN_CHARS`` characters, escapes included.

    Examples
    --------
    >>> quoted("about 60")
    "'about 60'"
    """
    shown = repr(shorten(text))
    # Escapes (control characters, ``\U0001342f``) lengthen the text; bound that too.
    limit = 2 * SHOWN_CHARS
    return shown if len(shown) <= limit else shown[: limit - 2] + "…" + shown[0]
