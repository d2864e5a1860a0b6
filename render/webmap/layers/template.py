"""Folium templates for the project's own elements: safe data in scripts, output kept as is.

The JavaScript of an element lives in a real file, ``render/webmap/templates/<name>.js``, that
defines one function and contains no template syntax (``node --check`` and linters parse it).
The element's template is one line calling that function with the element's data, passed once
as JSON (``|js``, see :func:`render.markup.to_js_json`); see :func:`script_template`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from branca.element import Element, MacroElement
from folium.template import Environment, Template

from render.markup import to_js_json

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
#: What a script file must not contain: the end of a script or an HTML comment (it is written
#: inside ``<script>``), and Jinja syntax (data goes in as JSON, never as template code).
_UNSAFE_JS = re.compile(r"</script|<!--|\{[{%#]", re.IGNORECASE)


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

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
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


@cache
def js_source(name: str) -> str:
    """Return the JavaScript file ``templates/<name>`` (checked safe to write in a script).

    Raises
    ------
    ValueError
        If the file holds ``</script``, ``<!--`` or Jinja syntax.
    """
    text = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    bad = _UNSAFE_JS.search(text)
    if bad:
        raise ValueError(f"templates/{name} must not contain {bad.group(0)!r}")
    return text


class ScriptElement(RawMacroElement):
    """A ``RawMacroElement`` whose script is a JavaScript file plus one line calling it.

    Subclasses set ``js_file`` (a file in ``templates/``) and build ``_template`` with
    :func:`script_template`. The file's code goes into the element's own script, as data
    (never compiled as a template), so that streamlit-folium, which collects each element's
    script macro on its own, gets the function too; of several elements of a map using one
    file, only the first (in page order) writes it.
    """

    js_file: ClassVar[str]
    #: Set when the page loads ``js_file`` from a script of its own (``render.webmap.published``).
    code_linked: bool = False

    @property
    def js_code(self) -> str:
        """Return the code of ``js_file`` for the first such element of the parent, else ''.

        Also '' when the page links the file (:attr:`code_linked`).
        """
        if self.code_linked:
            return ""
        siblings = self._parent._children.values() if self._parent is not None else [self]
        first = next((e for e in siblings if getattr(e, "js_file", None) == self.js_file), self)
        return js_source(self.js_file) if first is self else ""


def script_template(call: str, *, header: str = "") -> JsTemplate:
    """Return the template of a :class:`ScriptElement`: its file's code, then ``call``.

    Parameters
    ----------
    call
        One line of JavaScript (a Jinja template) calling the file's function; data must go
        through ``|js``.
    header
        Markup for the page header (e.g. a ``<style>``), if any.
    """
    if "\n" in call.strip():
        raise ValueError("the call of a script file is one line")
    macros = "{% macro header(this, kwargs) %}" + header + "{% endmacro %}" if header else ""
    return JsTemplate(
        macros + "{% macro script(this, kwargs) %}{{ this.js_code }}\n" + call + "\n{% endmacro %}"
    )
