"""Grid cells of many point events: when the maps sum events instead of drawing each one.

Past :data:`AGGREGATE_THRESHOLD` point events, the web map (``render.webmap.layers.events``)
and the print map (``render.printmap.map``) draw one circle per grid cell of
:data:`CELL_DEGREES`, at the mean position of the points in it, its area proportional to the
people of the events standing in it (each event once per cell), on the cells' own scale
(``render.symbology.cell_radius_scale``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from i18n import _

#: Point events beyond which the maps sum events per grid cell.
AGGREGATE_THRESHOLD = 2000
#: Grid cell size in degrees.
CELL_DEGREES = 0.25


def cells_note() -> str:
    """Return the legend's line saying that circles sum the events of grid cells."""
    return _("Many events: circles sum the events in {size}° cells.").format(size=CELL_DEGREES)


def grid_cells(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """Return each point's cell number and each cell's centre (``lon``, ``lat``: the mean).

    Cells are numbered from 0 in the order of their grid column, then row.
    """
    keys = pd.DataFrame({"x": np.floor(lon / CELL_DEGREES), "y": np.floor(lat / CELL_DEGREES)})
    cell = keys.groupby(["x", "y"], sort=True).ngroup().to_numpy()
    centres = pd.DataFrame({"lon": lon, "lat": lat, "cell": cell}).groupby("cell").mean()
    return cell, centres


def cell_people(
    lon: np.ndarray, lat: np.ndarray, event: np.ndarray, best: np.ndarray
) -> pd.DataFrame:
    """Return each cell's centre and people: the best estimates of the events in it, once each.

    ``event`` identifies the event of each point (an event drawn at several places has several
    points); ``best`` is its people (``geo.aggregate.people_per_event``).
    """
    cell, centres = grid_cells(lon, lat)
    unique = pd.DataFrame({"cell": cell, "event": event, "best": best}).drop_duplicates(
        ["cell", "event"]
    )
    return centres.assign(people=unique.groupby("cell")["best"].sum())
