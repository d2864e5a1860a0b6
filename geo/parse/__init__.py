"""Parsers of single cell values: dates, counts, coordinates; and how a message quotes a cell."""

__all__ = ["PYTHON_SPACE", "SHOWN_CHARS", "quoted", "shorten"]

#: How many characters of a cell a problem shows (its value, and a message quoting it).
SHOWN_CHARS = 60

#: The characters Python's ``\s`` (``str.isspace``) matches, as the inside of a character
#: class in RE2 syntax, for regular expressions Arrow runs over whole columns.
PYTHON_SPACE = (
    r"\t\n\x{0b}\f\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}"
)


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
