"""The map's own time slider: a folium element stepping event by event, offline.

A native ``<input type="range">`` (named "Event date") steps through the distinct first days
of the drawn events, with play/pause, the modes "cumulative up to this date" and "this date
only", and a large date label and running total of people in an ``aria-live`` region. Arrow
keys, Home and End work as on any range input. The JavaScript is in ``templates/time_slider.js``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from geo.view import SLIDER_MODES
from render.markup import format_date
from render.webmap.layers.events import day_numbers
from render.webmap.layers.template import JsTemplate, RawMacroElement

#: Milliseconds between steps while playing.
PLAY_INTERVAL_MS = 1200
_JS = (Path(__file__).resolve().parent / "templates" / "time_slider.js").read_text(encoding="utf-8")
_CSS = """
<style>
.bem-slider { background: rgba(255,255,255,0.95); padding: 8px 10px; min-width: 300px;
  font: 13px/1.3 system-ui, sans-serif; color: #222; }
.bem-date { font-size: 24px; font-weight: 700; }
.bem-total { margin: 2px 0 6px; }
.bem-row { display: flex; align-items: center; gap: 8px; }
.bem-range { flex: 1; min-width: 180px; }
.bem-play, .bem-mode { font: inherit; }
.bem-mode { margin-top: 6px; }
</style>
"""


def slider_steps(references: pd.DataFrame) -> list[list[Any]]:
    """Return ``[day number, label]`` for each distinct first day of ``references``.

    A day's label lists the distinct ways its events' dates are written (``"July 2021"``,
    ``"1 Jul 2021"``), joined with " / ". Rows without a start use their end day (the popup
    still says "until ...").
    """
    dates = pd.DataFrame(
        {
            "day": day_numbers(references).to_numpy(),
            "start": references["date_start"].to_numpy(),
            "end": references["date_end"].to_numpy(),
            "precision": references["date_precision"].to_numpy(),
        }
    )
    dates = dates[dates["day"].notna()].drop_duplicates()
    labels: dict[int, list[str]] = {}
    for row in dates.sort_values(["day", "start", "end"], kind="stable").itertuples():
        # An event without a start is placed at its end day, and labelled with that day.
        start = row.end if pd.isna(row.start) else row.start
        text = format_date(start, row.end, row.precision)
        if text not in labels.setdefault(int(row.day), []):
            labels[int(row.day)].append(text)
    return [[day, " / ".join(texts)] for day, texts in labels.items()]


class TimeSlider(RawMacroElement):
    """A time slider driving the ``<name>_timeline`` objects of the given layers.

    Parameters
    ----------
    layers
        Layers whose script defines ``<layer name>_timeline`` with ``events`` (rows starting
        with the first day number) and ``update(predicate)``, e.g. ``EventsLayer``.
    steps
        From :func:`slider_steps`.
    mode
        ``"cumulative"`` or ``"date"`` (this date only); the user can switch.
    """

    _template = JsTemplate(
        "{% macro header(this, kwargs) %}" + _CSS + "{% endmacro %}"
        "{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}"
    )

    def __init__(self, layers: Sequence[Any], steps: list[list[Any]], mode: str = "cumulative"):
        super().__init__()
        if mode not in SLIDER_MODES:
            raise ValueError(f"slider mode {mode!r} is not one of {', '.join(SLIDER_MODES)}")
        self._name = "TimeSlider"
        self.layers = list(layers)
        self.options = {"steps": steps, "mode": mode, "interval": PLAY_INTERVAL_MS}
