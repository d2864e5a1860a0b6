"""The map's own time slider: a folium element stepping event by event, offline.

A native ``<input type="range">`` (named "Event date") steps through the distinct first days
of the drawn events, with play/pause, the modes "cumulative up to this date" and "this date
only", and a large date label and running total of people in an ``aria-live`` region, in a bar
below the map (outside it: it never covers the data). Arrow keys, Home and End work as on any
range input; elsewhere in the map's page left/right step and space plays or pauses. The page
gets ``window.bemPresenter = {step(n), togglePlay(), setDate(isoDate)}`` for the page around
the map to call. The JavaScript is ``bemTimeSlider`` in ``templates/time_slider.js``.

The slider opens at a view's ``at`` (:func:`step_index`: the last step on or before that date).
Inside the app (streamlit-folium) it reports where it was left, on release, on pause and on a
change of mode, never while playing: it sets ``window.__GLOBAL_DATA__.selected_tags`` to
``{"at": "YYYY-MM-DD" or null (the last step), "mode": ...}`` and fires the map's
``moveend``, on which streamlit-folium sends its value to the server (``webapp.map_view``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.aggregate import PeopleRange
from geo.view import SLIDER_MODES
from i18n import _, ngettext
from render.webmap.layers.events import day_numbers
from render.webmap.layers.template import ScriptElement, script_template
from render.wording import date_text, people_text

#: Milliseconds between steps while playing.
PLAY_INTERVAL_MS = 1200
_CSS = """
<style>
.bem-bar { display: flex; align-items: center; gap: 12px; box-sizing: border-box;
  padding: 6px 12px; background: #fff; border-top: 1px solid #ccc;
  font: 14px/1.25 system-ui, sans-serif; color: #222; }
.bem-live { min-width: 230px; max-width: 40%; }
.bem-date { font-size: 20px; font-weight: 700; }
.bem-range { flex: 1; min-width: 120px; }
.bem-play, .bem-mode { font: inherit; }
</style>
"""


def slider_steps(references: pd.DataFrame) -> list[list[Any]]:
    """Return ``[day number, label]`` for each distinct first day of ``references``.

    A day's label lists the distinct ways its events' dates are written (``"July 2021"``,
    ``"1 July 2021"``, by ``render.wording.date_text``), joined with " / ". Rows without a
    start use their end day (the popup still says "until ...").
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
        text = date_text(start, row.end, row.precision)
        if text not in labels.setdefault(int(row.day), []):
            labels[int(row.day)].append(text)
    return [[day, " / ".join(texts)] for day, texts in labels.items()]


def step_index(days: Sequence[int], at: dt.date | None) -> int:
    """Return the step the slider shows for the date ``at``.

    The last step on or before ``at`` (the first when every step is later); the last step
    when ``at`` is None.

    Parameters
    ----------
    days
        The steps' day numbers (days since 1970-01-01), ascending (:func:`slider_steps`).
    at
        A view's slider date.

    Examples
    --------
    >>> step_index([19000, 19010], dt.date(2022, 1, 5)), step_index([19000, 19010], None)
    (0, 1)
    """
    if not days or at is None:
        return max(len(days) - 1, 0)
    return max(bisect_right(list(days), (at - dt.date(1970, 1, 1)).days) - 1, 0)


def slider_position(references: pd.DataFrame, at: dt.date | None) -> tuple[dt.date, str] | None:
    """Return the day and label of the step the slider shows for ``at``; None without steps.

    ``references``: the rows the map draws (``render.webmap.layers.events.mapped_references``);
    the step is :func:`step_index`'s, its label :func:`slider_steps`' ("July 2021").
    """
    steps = slider_steps(references)
    if not steps:
        return None
    day, label = steps[step_index([step[0] for step in steps], at)]
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day)), str(label)


def _step_sums(
    steps: Sequence[Sequence[Any]], events: Sequence[Sequence[Any]] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return per step the sums up to its day and on its day only.

    Columns: low, best, high (0 when none), events without an upper bound, events.
    """
    rows = np.asarray(events, dtype=float).reshape(-1, 4)
    first, high = rows[:, 0], rows[:, 3]
    sums = np.column_stack(
        [rows[:, 1:3], np.nan_to_num(high), np.isnan(high), np.ones(len(rows))]
    )
    undated = sums[np.isnan(first)].sum(axis=0)
    order = np.argsort(first, kind="stable")[: int((~np.isnan(first)).sum())]  # NaN sorts last
    running = np.vstack([np.zeros(5), np.cumsum(sums[order], axis=0)])
    days = first[order]
    at = np.array([step[0] for step in steps], dtype=float)
    upto = running[np.searchsorted(days, at, side="right")]
    return upto + undated, upto - running[np.searchsorted(days, at, side="left")]


def step_people(
    steps: Sequence[Sequence[Any]], events: Sequence[Sequence[Any]] | np.ndarray
) -> list[list[str]]:
    """Return, per step, the people on the map in words: up to that day, and on that day only.

    Parameters
    ----------
    steps
        From :func:`slider_steps` (the first item of each is the day number).
    events
        Rows ``[first day or None, low, best, high or None]``, one per event
        (``render.webmap.layers.events.event_rows``; NaN stands for None). Events without a
        day count in every cumulative total, as the slider shows them at every step.

    Returns
    -------
    list
        ``[cumulative, this date only]`` per step, worded by ``render.wording.people_text``, so
        the page shows the same words as the app and the exports and does no wording itself.
    """
    cumulative, on_day = _step_sums(steps, events)
    return [[_people(c), _people(d)] for c, d in zip(cumulative, on_day, strict=True)]


def step_counts(
    steps: Sequence[Sequence[Any]], events: Sequence[Sequence[Any]] | np.ndarray
) -> list[list[int]]:
    """Return, per step, how many events the map shows: up to that day, and on that day only.

    ``steps`` and ``events`` as :func:`step_people` takes them.
    """
    cumulative, on_day = _step_sums(steps, events)
    return [[int(c[4]), int(d[4])] for c, d in zip(cumulative, on_day, strict=True)]


def slider_texts() -> dict[str, Any]:
    """Return every text the slider shows, in the current language, for ``time_slider.js``.

    ``upTo`` has ``{date}`` (a step's label); ``total`` (``one``/``other``: the forms for one
    event and for any other number) has ``{n}`` and ``{people}``. The date labels themselves
    are the steps' (:func:`slider_steps`).
    """
    return {
        "slider": _("Time slider"),
        "range": _("Event date"),
        "modeLabel": _("Slider mode"),
        "cumulative": _("Cumulative up to this date"),
        "date": _("This date only"),
        "upTo": _("Up to {date}"),
        "total": {"one": _total(1), "other": _total(2)},
        "play": _("Play"),
        "pause": _("Pause"),
        "empty": _("No events in this range"),
    }


def _total(n: int) -> str:
    return ngettext(
        "{n} event on the map · people: {people}", "{n} events on the map · people: {people}", n
    )


def _people(sums: np.ndarray) -> str:
    low, best, high, open_ended = (int(round(v)) for v in sums[:4])
    return people_text(PeopleRange(low, best, None if open_ended else high))


class TimeSlider(ScriptElement):
    """A time slider driving the ``<name>_timeline`` objects of the given layers.

    Parameters
    ----------
    layers
        Layers whose script defines ``<layer name>_timeline`` with ``update(predicate)`` (the
        predicate takes a row whose first item is a first day number), e.g. ``EventsLayer``.
    steps
        From :func:`slider_steps`.
    mode
        ``"cumulative"`` or ``"date"`` (this date only); the user can switch.
    at
        The date the slider opens at (:func:`step_index`); None: the last step.
    events
        ``[first day, low, best, high]`` of each event the layers draw
        (``render.webmap.layers.events.event_rows``): the totals each step shows.
    """

    js_file = "time_slider.js"
    _template = script_template(
        "bemTimeSlider({{ this._parent.get_name() }}, "
        "[{% for layer in this.layers %}{{ layer.get_name() }}_timeline"
        "{% if not loop.last %}, {% endif %}{% endfor %}], "
        "{{ this.options|js }});",
        header=_CSS,
    )

    def __init__(
        self,
        layers: Sequence[Any],
        steps: list[list[Any]],
        mode: str = "cumulative",
        at: dt.date | None = None,
        events: Sequence[Sequence[Any]] | np.ndarray = (),
    ):
        super().__init__()
        if mode not in SLIDER_MODES:
            raise ValueError(f"slider mode {mode!r} is not one of {', '.join(SLIDER_MODES)}")
        self._name = "TimeSlider"
        self.layers = list(layers)
        undated = int(np.isnan(np.asarray(events, dtype=float).reshape(-1, 4)[:, 0]).sum())
        self.options = {
            "steps": steps,
            "mode": mode,
            "start": step_index([step[0] for step in steps], at),
            "interval": PLAY_INTERVAL_MS,
            "people": step_people(steps, events),
            # Events on each step's day, and undated ones: the page adds up the cumulative ones.
            "counts": {"day": [d for _, d in step_counts(steps, events)], "undated": undated},
            "nobody": people_text(PeopleRange(0, 0, 0)),
            "text": slider_texts(),
        }
