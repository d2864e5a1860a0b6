"""Fast point-in-polygon for many points against a few polygons: a precomputed grid.

The polygons' bounds are cut into square cells. A cell no polygon boundary crosses lies
entirely inside one polygon (or none) and answers directly; only points in cells a boundary
crosses get exact tests (``shapely.contains_xy``, vectorised per candidate polygon).

Answers equal ``geopandas.sjoin(points, polygons, predicate="within")``: a point lying
exactly on a boundary is within no polygon. For overlapping polygons the first in order wins
(a valid coverage, such as the shipped provinces, has no overlaps).
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.disk_cache import disk_cached

#: Cells along the longer side of the polygons' bounds.
GRID_CELLS = 512

_BOUNDARY = -2
_NONE = -1
_MAX_CACHED = 8
_EMPTY = (np.empty(0, np.int32), np.empty(0, np.int32), np.empty((0, 0), bool))


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
        """Build the grid for an array of (Multi)Polygons.

        A polygon's boundary cells are, for each boundary segment, the cells of the rectangle
        spanned by the cells of its two ends (the point-to-cell arithmetic is monotonic, so a
        segment never leaves that rectangle). The other cells are wholly inside or outside
        the polygon, which their centre tells.
        """
        geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(geoms)
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
        size = max(xmax - xmin, ymax - ymin, 1e-12) / cells
        nx = max(1, int(np.ceil((xmax - xmin) / size)))
        ny = max(1, int(np.ceil((ymax - ymin) / size)))
        grid = cls(geoms, xmin, ymin, size, nx, ny, *_EMPTY)
        iy, ix = np.divmod(np.arange((nx + 2) * (ny + 2)), nx + 2)
        cx = xmin + (ix - 0.5) * size
        cy = ymin + (iy - 0.5) * size
        crossed = np.zeros((len(geoms), len(ix)), dtype=bool)
        inside = np.zeros((len(geoms), len(ix)), dtype=bool)
        for pos, geom in enumerate(geoms):
            crossed[pos] = grid._segment_cells(geom).ravel()
            inside[pos] = shapely.contains_xy(geom, cx, cy)
        boundary = crossed.any(axis=0)
        owner = np.full(len(ix), _NONE, dtype=np.int32)
        for pos in range(len(geoms) - 1, -1, -1):  # the first polygon wins overlaps
            owner[inside[pos] & ~boundary] = pos
        owner[boundary] = _BOUNDARY
        candidate_row = np.full(len(ix), _NONE, dtype=np.int32)
        candidate_row[boundary] = np.arange(boundary.sum(), dtype=np.int32)
        candidates = (crossed | inside)[:, boundary].T.copy()
        return cls(geoms, xmin, ymin, size, nx, ny, owner, candidate_row, candidates)

    def _segment_cells(self, geom: shapely.Geometry) -> NDArray[np.bool_]:
        """Return a (ny + 2, nx + 2) mask of the cells the polygon's boundary may cross."""
        rings = shapely.get_rings(shapely.get_parts(geom))
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        col = self._cells(coords[:, 0], self.x0, self.nx)
        row = self._cells(coords[:, 1], self.y0, self.ny)
        same = ring[1:] == ring[:-1]  # consecutive vertices of one ring: a segment
        c0, c1 = np.minimum(col[:-1], col[1:])[same], np.maximum(col[:-1], col[1:])[same]
        r0, r1 = np.minimum(row[:-1], row[1:])[same], np.maximum(row[:-1], row[1:])[same]
        mask = np.zeros((self.ny + 2, self.nx + 2), dtype=bool)
        for r, c in ((r0, c0), (r0, c1), (r1, c0), (r1, c1)):
            mask[r, c] = True  # the whole rectangle when it spans at most 2 x 2 cells
        for i in np.flatnonzero((c1 - c0 > 1) | (r1 - r0 > 1)):
            mask[r0[i] : r1[i] + 1, c0[i] : c1[i] + 1] = True
        return mask

    def _cell(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int32]:
        """Return the padded grid cell of each point."""
        return padded_cells(x, y, self.x0, self.y0, self.size, self.nx, self.ny)

    def _cells(self, coord: NDArray[np.float64], origin: float, n: int) -> NDArray[np.int32]:
        """Return padded cell indices along one axis (NaN and off-grid go to the ring)."""
        return axis_cells(coord, origin, self.size, n)

    def lookup(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.int32]:
        """Return, per point, the position of the polygon it lies within, or -1."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        cell = self._cell(x, y)
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


def axis_cells(coord: NDArray[np.float64], origin: float, size: float, n: int) -> NDArray[np.int32]:
    """Return padded cell indices along one axis of ``n`` cells of ``size`` from ``origin``.

    Cells on the grid are 1 to ``n``; coordinates off it go to the ring (0 or ``n + 1``), and
    so does NaN (0).
    """
    cell = np.subtract(coord, origin)
    cell *= 1.0 / size
    cell += 1.0
    np.fmax(cell, 0.0, out=cell)  # also turns NaN into 0
    np.fmin(cell, n + 1.0, out=cell)
    return cell.astype(np.int32)


def padded_cells(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    x0: float,
    y0: float,
    size: float,
    nx: int,
    ny: int,
) -> NDArray[np.int32]:
    """Return each point's cell in a grid of ``nx`` by ``ny`` cells padded with a ring.

    The index is flat, row by row over ``(ny + 2) * (nx + 2)`` cells (``axis_cells``).
    """
    cell = axis_cells(y, y0, size, ny)
    cell *= nx + 2
    cell += axis_cells(x, x0, size, nx)
    return cell


_GRIDS: dict[str, GridIndex] = {}
_LAST: list[tuple[weakref.ref, GridIndex]] = []


def grid_for(geoms: ArrayLike) -> GridIndex:
    """Return the grid for these polygons, built once per distinct geometry content.

    Built grids are kept on disk (``geo.disk_cache``), one file per digest of polygons. The same
    array object (e.g. ``frame.geometry.values`` of an unchanged frame) is
    recognised without hashing; any other array is keyed by the WKB of its geometries.
    """
    for ref, last in _LAST:
        if ref() is geoms:
            return last
    array = np.asarray(geoms, dtype=object)
    digest = hashlib.blake2b(digest_size=16)
    for wkb in shapely.to_wkb(array):
        digest.update(wkb)
    key = digest.hexdigest()
    grid = _GRIDS.get(key)
    if grid is None:
        if len(_GRIDS) >= _MAX_CACHED:
            _GRIDS.pop(next(iter(_GRIDS)))
        grid = _GRIDS[key] = disk_cached(f"grid_{key}", key, lambda: GridIndex.build(array))
        shapely.prepare(grid.geoms)  # preparing is not kept on disk
    try:
        _LAST[:] = [(weakref.ref(geoms), grid)]
    except TypeError:  # lists and other objects without weak references
        _LAST.clear()
    return grid
