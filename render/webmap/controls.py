"""Leaflet's own texts in the map's language, and the language marked on the page.

Leaflet writes a few English texts of its own: the zoom buttons' titles ("Zoom in", "Zoom
out"), the layer control's button title ("Layers"), the popups' close button label ("Close
popup") and the title of its credit link. :class:`ControlTexts`, added after every control,
puts them in the view's language and sets the ``lang`` attribute of the map's container (and
page), so the browser picks the Korean or the Chinese forms of the CJK characters; for a
self-contained page :func:`mark_language` writes ``<html lang>`` too. The JavaScript is
``bemControlTexts`` in ``templates/controls.js``.
"""

from __future__ import annotations

from typing import Any, cast

import folium
from branca.element import Figure

from i18n import _
from render.markup import escape_html
from render.webmap.layers.template import ScriptElement, script_template

#: The ``lang`` attribute of each language (Chinese is simplified).
HTML_LANG = {"en": "en", "ko": "ko", "zh": "zh-Hans"}


def html_lang(lang: str) -> str:
    """Return the HTML ``lang`` value of ``lang`` (English for an unknown one)."""
    return HTML_LANG.get(lang, "en")


def control_texts() -> dict[str, str]:
    """Return Leaflet's texts in the current language (plain text)."""
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "layers": _("Layers"),
        "close": _("Close popup"),
        # Written into the credit link's title attribute: escaped here.
        "leaflet": str(escape_html(_("A JavaScript library for interactive maps"))),
    }


class ControlTexts(ScriptElement):
    """Puts Leaflet's own texts in the current language and adds the scale bar.

    The scale shows miles beside kilometres in English only. Add it after the layer control.

    Parameters
    ----------
    lang
        The view's language (``en``, ``ko``, ``zh``).
    """

    js_file = "controls.js"
    _template = script_template(
        "bemControlTexts({{ this._parent.get_name() }}, {{ this.options|js }});"
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "ControlTexts"
        self.options = {
            "lang": html_lang(lang), "text": control_texts(), "imperial": lang == "en"
        }


class _LangTemplate:
    """A page template whose ``<html>`` tag carries ``lang`` (wraps branca's Figure's)."""

    def __init__(self, template: Any, lang: str) -> None:
        self.template = template
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        page = self.template.render(**kwargs)
        return page.replace("<html>", f'<html lang="{self.lang}">', 1)


def mark_language(m: folium.Map, lang: str) -> folium.Map:
    """Write ``lang`` (:func:`html_lang`) on the ``<html>`` tag of the page ``m`` renders."""
    figure = cast(Figure, m.get_root())
    template = figure._template
    if isinstance(template, _LangTemplate):
        template = template.template
    figure._template = _LangTemplate(template, html_lang(lang))
    return m
