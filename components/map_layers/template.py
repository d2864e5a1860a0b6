"""A folium template with a ``js`` filter writing data safely into scripts."""

from __future__ import annotations

from typing import Any

from folium.template import Environment, Template

from components.map_text import to_js_json


class _Environment(Environment):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["js"] = to_js_json


class JsTemplate(Template):
    """Like ``folium.template.Template``, plus ``{{ value|js }}`` (``map_text.to_js_json``).

    Use ``|js`` instead of ``|tojson`` for anything derived from data: it also stops the
    text from being read as Jinja when branca compiles the rendered output again.
    """

    environment_class = _Environment
