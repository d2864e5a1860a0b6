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
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http", "https")
#: First characters that make a spreadsheet read a cell as a formula (or hide what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


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


def neutralise(text: object) -> object:
    """Return ``text`` with a leading ``'`` when a spreadsheet could read it as a formula.

    Text starting with one of :data:`FORMULA_STARTS` (``= + - @``, tab, CR, LF, NUL) gets the
    prefix; other values are returned unchanged. Used for every text cell of CSV files.
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
