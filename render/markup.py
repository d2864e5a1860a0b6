"""Escaping helpers for maps and exports: HTML, JSON in scripts, web links, spreadsheet cells.

Every string derived from data passes through one of the escaping helpers before it lands in
HTML, in a JavaScript template literal, in a link or in a spreadsheet cell. They are shared by
all components; how things are worded is in ``render.wording``.

Escaped HTML is carried as :class:`markupsafe.Markup`, never as a plain ``str``: a function that
returns HTML returns ``Markup``, and one that takes HTML takes ``Markup``. Build HTML with
``Markup("<b>{}</b>").format(text)`` or ``Markup("").join(parts)``, which escape every plain
``str`` they are given and keep ``Markup`` as it is (an f-string would not).
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http", "https")
#: Characters that make a spreadsheet read a cell as a formula (or hide what follows) when the
#: cell starts with them: OWASP's ``= + - @`` tab CR, with LF and NUL, and the fullwidth and
#: small forms ``＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫`` that East Asian input methods and some spreadsheets
#: read as ``= + - @``.
FORMULA_STARTS = (
    "=", "+", "-", "@", "\t", "\r", "\n", "\0",
    "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b",
)  # fmt: skip
#: Invisible characters a spreadsheet may skip before a formula: zero-width space, non-joiner,
#: joiner, word joiner and the byte order mark (any other control or format character, and
#: any whitespace, is skipped too; see :func:`neutralise`).
INVISIBLE_LEAD = "\u200b\u200c\u200d\u2060\ufeff"
#: The prefix that makes a cell plain text; one leading quote is removed to recover the text.
TEXT_PREFIX = "'"


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def escape_html(text: object) -> Markup:
    """Return ``text`` as HTML text or attribute content (``& < > " '`` escaped).

    ``None`` and missing values become ''. ``Markup`` is already HTML and is returned as is.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return Markup("")
    return escape(text if isinstance(text, Markup) else str(text))


def to_js_json(value: object) -> str:
    r"""Return ``value`` as JSON safe to write inside a ``<script>`` of a folium template.

    ``< > & '`` become ``\\u`` escapes (no ``</script>``, no HTML comment), and so does a
    ``{`` opening ``{{``, ``{%`` or ``{#``: branca compiles each element's rendered output
    as a Jinja template again, so data text such as ``{{ 7*7 }}`` would otherwise be
    evaluated on the server. In JSON such pairs only occur inside strings, where the escape
    is valid.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def safe_url(url: object) -> str | None:
    """Return ``url`` stripped if it is an http(s) URL with a host, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def link_html(url: object, label: str) -> Markup:
    """Return an ``<a>`` to ``url`` (http/https only) showing ``label``, escaped.

    Links open in a new tab with ``rel="noopener noreferrer"``. A URL with any other scheme
    is shown as plain escaped text, never as a link.
    """
    good = safe_url(url)
    if good is None:
        return escape_html(url)
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(
        good, label
    )


def _formula_head(text: str) -> str:
    """Return ``text`` without what a spreadsheet may skip before a formula start.

    That is whitespace, :data:`INVISIBLE_LEAD` and any other control (Cc) or format (Cf)
    character, such as NUL or a bidirectional mark.
    """
    for index, char in enumerate(text):
        if not (
            char.isspace() or char in INVISIBLE_LEAD or unicodedata.category(char) in ("Cc", "Cf")
        ):
            return text[index:]
    return ""


def neutralise(text: object) -> object:
    """Return ``text`` as a spreadsheet cell that is never a formula, reversibly.

    The formula guard of every CSV and XLSX export (data, report pack, validation report). A
    text gets one leading ``'`` (:data:`TEXT_PREFIX`) when

    - it starts with one of :data:`FORMULA_STARTS` (``= + - @``, tab, CR, LF, NUL, or a
      fullwidth or small ``＝ ＋ － ＠``), or
    - one of them follows leading whitespace, zero-width characters, byte order marks or
      other invisible control or format characters (``" =1"``, ``"\u200b=1"``), or
    - it already starts with ``'`` (so ``'=1+1`` becomes ``''=1+1``, and ``=1+1`` becomes
      ``'=1+1``: the two stay distinct).

    Every other value is returned unchanged. The original is recovered by removing one leading
    ``'`` from a cell that starts with one (:func:`restore`).
    """
    if isinstance(text, str) and (
        text.startswith((TEXT_PREFIX, *FORMULA_STARTS))
        or _formula_head(text).startswith(FORMULA_STARTS)
    ):
        return TEXT_PREFIX + text
    return text


def restore(cell: object) -> object:
    """Return the text ``neutralise`` was given: ``cell`` without one leading ``'``."""
    if isinstance(cell, str) and cell.startswith(TEXT_PREFIX):
        return cell[len(TEXT_PREFIX) :]
    return cell
