"""Fast point-in-polygon for many points against a few polygons: a precomputed grid.

The polygons' bounds are cut into square-ish cells. A cell no polygon boundary crosses lies
entirely inside one polygon (or none) and answers directly; only points in cells a boundary
crosses get exact tests (``shapely.contains_xy``, vectorised per candidate polygon).

Answers equal ``geopandas.sjoin(points, polygons, predicate="within")``: a point lying
exactly on a boundary is within no polygon. For overlapping polygons the first in order wins
(a valid coverage, such as the shipped provinces, has no overlaps).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

#: Cells along the longer side of the polygons' bounds.
GRID_CELLS = 512

#: Cell boxes are grown by this fraction of a cell before classifying them, so that rounding
#: in the point-to-cell arithmetic can never put a point in a cell it does not belong to.
_CELL_MARGIN = 1e-6

_BOUNDARY = -2
_NONE = -1
_MAX_CACHED = 8


@dataclass(frozen=True)
class GridIndex:
    """A grid over polygons; ``lookup`` returns each point's polygon position or -1.

    ``cell_owner`` covers the grid plus a ring of empty cells around it (``nx + 2`` by
    ``ny + 2``), so that points off the grid need no separate test.
    """

    geoms: NDArray[np.object_]
    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    cell_owner: NDArray[np.int32]
    candidate_row: NDArray[np.int32]
    candidates: NDArray[np.bool_]

    @classmethod
    def build(cls, geoms: ArrayLike, cells: int = GRID_CELLS) -> GridIndex:
        """Build the grid for an array of (Multi)Polygons."""
        geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(geoms)
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
        size = max(xmax - xmin, ymax - ymin) / cells
        nx = max(1, int(np.ceil((xmax - xmin) / size)))
        ny = max(1, int(np.ceil((ymax - ymin) / size)))
        # Padded grid: ring cells (index 0 and n + 1 on each axis) stay empty.
        iy, ix = np.divmod(np.arange((nx + 2) * (ny + 2)), nx + 2)
        real = np.flatnonzero((ix >= 1) & (ix <= nx) & (iy >= 1) & (iy <= ny))
        left = xmin + (ix[real] - 1) * size
        bottom = ymin + (iy[real] - 1) * size
        margin = size * _CELL_MARGIN
        boxes = shapely.box(
            left - margin, bottom - margin, left + size + margin, bottom + size + margin
        )
        crossed = np.unique(
            shapely.STRtree(boxes).query(shapely.boundary(geoms), predicate="intersects")[1]
        )
        # Every polygon touching a crossed cell is a candidate for that cell's points.
        cell_pos, polys = shapely.STRtree(geoms).query(boxes[crossed], predicate="intersects")
        candidates = np.zeros((len(crossed), len(geoms)), dtype=bool)
        candidates[cell_pos, polys] = True
        candidate_row = np.full(len(ix), _NONE, dtype=np.int32)
        candidate_row[real[crossed]] = np.arange(len(crossed), dtype=np.int32)
        # Uncrossed cells lie wholly inside or outside each polygon: test their centres.
        owner = np.full(len(real), _NONE, dtype=np.int32)
        inner = np.ones(len(real), dtype=bool)
        inner[crossed] = False
        for pos in range(len(geoms) - 1, -1, -1):
            inside = inner & shapely.contains_xy(geoms[pos], left + size / 2, bottom + size / 2)
            owner[inside] = pos
        owner[crossed] = _BOUNDARY
        cell_owner = np.full(len(ix), _NONE, dtype=np.int32)
        cell_owner[real] = owner
        return cls(geoms, xmin, ymin, size, nx, ny, cell_owner, candidate_row, candidates)

    def _cells(self, coord: NDArray[np.float64], origin: float, n: int) -> NDArray[np.int32]:
        """Return padded cell indices along one axis (NaN and off-grid go to the ring)."""
        cell = np.subtract(coord, origin)
        cell *= 1.0 / self.size
        cell += 1.0
        np.fmax(cell, 0.0, out=cell)  # also turns NaN into 0
        np.fmin(cell, n + 1.0, out=cell)
        return cell.astype(np.int32)

    def lookup(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.int32]:
        """Return, per point, the position of the polygon it lies within, or -1."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        cell = self._cells(y, self.y0, self.ny)
        cell *= self.nx + 2
        cell += self._cells(x, self.x0, self.nx)
        owner = self.cell_owner[cell]
        pending = np.flatnonzero(owner == _BOUNDARY)
        owner[pending] = _NONE
        rows = self.candidate_row[cell[pending]]
        for pos in range(len(self.geoms)):
            test = pending[self.candidates[rows, pos] & (owner[pending] == _NONE)]
            if len(test):
                hit = shapely.contains_xy(self.geoms[pos], x[test], y[test])
                owner[test[hit]] = pos
        return owner


_GRIDS: dict[str, GridIndex] = {}


def grid_for(geoms: ArrayLike) -> GridIndex:
    """Return the grid for these polygons, built once per distinct geometry content."""
    geoms = np.asarray(geoms, dtype=object)
    digest = hashlib.blake2b(digest_size=16)
    for wkb in shapely.to_wkb(geoms):
        digest.update(wkb)
    key = digest.hexdigest()
    grid = _GRIDS.get(key)
    if grid is None:
        if len(_GRIDS) >= _MAX_CACHED:
            _GRIDS.pop(next(iter(_GRIDS)))
        grid = _GRIDS[key] = GridIndex.build(geoms)
    return grid
