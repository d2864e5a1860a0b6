"""Where the user left the map, for the app: the ``moved`` mark of the map's report.

Inside the app (streamlit-folium) every ``moveend`` sends the map's zoom and centre with
``window.__GLOBAL_DATA__.selected_tags``. :class:`ViewReport` marks ``selected_tags`` with
``moved: true`` once the user presses, scrolls, types or double-clicks on the map, so the app
records the zoom and centre only then (``webapp.map_view``), never the opening fit. The time
slider adds its date and mode to the same object (``time_slider.js``, through ``map.bemTag``).
The JavaScript is ``templates/view_report.js``; outside the app it does nothing.
"""

from __future__ import annotations

from render.webmap.layers.template import ScriptElement, script_template


class ViewReport(ScriptElement):
    """Mark the map's report as moved by the user (see the module docstring)."""

    js_file = "view_report.js"
    _template = script_template("bemViewReport({{ this._parent.get_name() }});")

    def __init__(self) -> None:
        super().__init__()
        self._name = "ViewReport"
