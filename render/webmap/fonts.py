"""Noto Sans CJK for the browser: a subset holding exactly the CJK characters a map page shows.

The KR face (``ko``, and ``en`` for Hangul in data text) or the SC face (``zh``) of the
collection found by ``render.cjkfont`` is cut down with fontTools' subsetter to the characters
of the rendered page (labels, legend, slider, popups), so Hangul and Han render on a machine
with no CJK system font. The subset is WOFF2 when ``brotli`` is installed, else WOFF (zlib).
The app serves it as a static file from its own host (``webapp.static_assets``); the offline
HTML export embeds it as a ``data:`` URI.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

import folium
from branca.element import Figure
from fontTools import subset
from fontTools.ttLib import TTFont

from render.cjkfont import cjk_font_path, face_index
from render.webmap.layers.template import RawHtml

#: The @font-face family per language (own names, so a system font never stands in for them).
WEB_FAMILIES = {"ko": "BEM Noto Sans CJK KR", "zh": "BEM Noto Sans CJK SC"}
#: Code points from here up are subset (CJK radicals, punctuation, kana, Hangul, Han, full
#: width forms); Latin, Greek and Cyrillic stay with the page's own fonts.
_FIRST_CJK = 0x2E80
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_STYLE_NAME = "bem_cjk_font"
#: Map text is set horizontally, one precomposed character at a time: no OpenType layout or
#: vertical metrics needed (and reading GSUB/GPOS would take most of the subsetting time).
_UNUSED_TABLES = ("GSUB", "GPOS", "BASE", "vhea", "vmtx", "VORG")


def _flavor() -> str:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return "woff"
    return "woff2"


FLAVOR = _flavor()


def web_family(lang: str) -> str:
    """Return the @font-face family of ``lang`` (the KR face for ``en``)."""
    return WEB_FAMILIES.get(lang, WEB_FAMILIES["ko"])


def font_stack(lang: str) -> str:
    """Return the CSS font-family list of map text in ``lang``.

    Korean and Chinese put the web CJK family first; English keeps the system font first and
    falls back to the CJK family for Hangul or Han in data text.
    """
    family = f'"{web_family(lang)}"'
    if lang in WEB_FAMILIES:
        return f"{family}, system-ui, sans-serif"
    return f"system-ui, {family}, sans-serif"


def cjk_characters(text: str) -> str:
    r"""Return the distinct CJK characters of ``text``, sorted, as one string.

    JSON ``\uXXXX`` escapes and HTML character references are decoded first, so the text
    of a rendered page (its data payloads included) yields every character it will show.
    """
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), html.unescape(text))
    return "".join(sorted({ch for ch in text if ord(ch) >= _FIRST_CJK and ch.isprintable()}))


@lru_cache(maxsize=128)
def subset_font(lang: str, characters: str) -> bytes | None:
    """Return the CJK face of ``lang`` cut down to ``characters`` (``FLAVOR`` bytes).

    Cached per language and character set (the last 128): a rerun of a view costs nothing.

    Parameters
    ----------
    lang
        ``en``, ``ko`` or ``zh`` (``render.cjkfont.cjk_family`` picks the face).
    characters
        The characters to keep, e.g. :func:`cjk_characters` of the page.

    Returns
    -------
    bytes or None
        The font file, or None when no CJK font is installed or ``characters`` is empty.
    """
    path = cjk_font_path()
    if path is None or not characters:
        return None
    options = subset.Options()
    options.flavor = FLAVOR
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(path), fontNumber=face_index(path, lang), lazy=False)
    try:
        for tag in _UNUSED_TABLES:  # removed before the subsetter reads them
            if tag in font:
                del font[tag]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.flavor = FLAVOR
        font.save(buffer)
    finally:
        font.close()
    return buffer.getvalue()


def font_file_name(lang: str, data: bytes) -> str:
    """Return a content-addressed file name for a subset, e.g. ``cjk-ko-1a2b3c4d5e6f.woff``."""
    return f"cjk-{lang}-{hashlib.sha256(data).hexdigest()[:12]}.{FLAVOR}"


#: The map page's boxes of text (each with its descendants) that take the CJK web font.
_TEXT_BOXES = ("leaflet-container", "bem-bar", "bem-tile-notice", "bem-header")


def font_face_css(lang: str, src: str) -> str:
    """Return the @font-face rule of ``lang`` loading from ``src`` and the rule using it."""
    return (
        f'@font-face {{ font-family: "{web_family(lang)}"; src: url("{src}") '
        f'format("{FLAVOR}"); font-display: swap; }}\n'
        # Doubled class: outranks Leaflet's and the legend's own single-class font rules. The
        # control bar, a basemap notice and an export's header are outside Leaflet's container.
        + ", ".join(
            f".{c}.{c}, .{c}.{c} *" for c in _TEXT_BOXES
        )
        + f" {{ font-family: {font_stack(lang)}; }}"
    )


def add_cjk_font(
    m: folium.Map, lang: str, publish: Callable[[str, bytes], str] | None = None
) -> folium.Map:
    """Give the map's text the CJK web font, subset to the characters the page shows.

    Parameters
    ----------
    m
        A finished map (modified in place and returned): its rendered text is what is subset.
    lang
        The view's language.
    publish
        ``(file name, bytes) -> URL`` that serves the subset from the app's host; without it
        the subset is embedded as a ``data:`` URI (self-contained export).
    """
    figure = cast(Figure, m.get_root())
    data = subset_font(lang, cjk_characters(figure.render()))
    if data is None:
        return m
    if publish is None:
        src = f"data:font/{FLAVOR};base64,{base64.b64encode(data).decode('ascii')}"
    else:
        src = publish(font_file_name(lang, data), data)
    style = RawHtml(f"<style>{font_face_css(lang, src)}</style>")
    figure.header.add_child(style, name=_STYLE_NAME)
    return m
