"""Folium templates for the project's own elements: safe data in scripts, output kept as is."""

from __future__ import annotations

from typing import Any

from branca.element import Element, MacroElement
from folium.template import Environment, Template

from render.markup import to_js_json


class _Environment(Environment):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["js"] = to_js_json


class JsTemplate(Template):
    """Like ``folium.template.Template``, plus ``{{ value|js }}`` (``map_text.to_js_json``).

    Use ``|js`` instead of ``|tojson`` for anything derived from data: it also stops the
    text from being read as Jinja if it is ever compiled again.
    """

    environment_class = _Environment


class RawHtml(Element):
    """Markup added to the page as is (not compiled as a Jinja template, unlike ``Element``)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the markup unchanged."""
        return self.text


class RawMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered header, html and script go into the page verbatim.

    branca wraps each rendered macro in a new ``Element``, which compiles it as a Jinja
    template a second time: slow for large data and unsafe for data text. This does not.
    """

    def render(self, **kwargs: Any) -> None:
        """Add the rendered macros to the figure's header, html and script, then children."""
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                text = str(macro(self, kwargs))
                getattr(figure, part).add_child(RawHtml(text), name=self.get_name())
        for element in list(self._children.values()):
            element.render(**kwargs)
