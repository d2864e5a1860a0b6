"""Nearest border sector of many points: a precomputed grid of the sectors' zones.

A sector's zone is where points are nearer to it than to any other sector, distances measured
in ``METRIC_CRS`` as ``shapely.STRtree.query_nearest`` measures them (the exact method,
:func:`nearest_exact`). The provinces' bounds are cut into square cells (in degrees). A cell
wholly inside one zone gives its sector to its points directly, without reprojecting them. A
cell that zones share keeps its candidates, the sectors that can be nearest to one of its points;
its points are reprojected and measured against those only. Points off the grid are measured
against every sector.

Candidates: every point of a cell lies within ``reach`` metres of the cell's centre. In the
metric CRS a cell's edges are straight to within centimetres, and a point's distance along a
straight edge is greatest at an end, so the reach is the centre's greatest distance to the
cell's corners plus ``REACH_MARGIN`` and 1 m. A distance changes by at most the distance moved,
so a sector farther from the centre than the nearest one plus twice the reach is nearer to no
point of the cell. The grid is refined from ``COARSE_CELLS`` to ``GRID_CELLS`` cells along the
longer side: only shared cells are split in four, and their children measure only the parent's
candidates.

Equal distances: a point exactly as far from two sectors (beyond the end two sectors share) gets
the exact method's answer, as every point did before the grid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.disk_cache import disk_cached
from geo.grid_index import padded_cells
from geo.reference.sectors import METRIC_CRS, to_metric

#: Cells along the longer side of the area, at the finest level (about 1 km at 42°N).
GRID_CELLS = 2048
#: Cells along the longer side at the coarsest level; ``GRID_CELLS`` / this is a power of 2.
COARSE_CELLS = 32
#: Relative margin on a cell's reach (see the module docstring).
REACH_MARGIN = 0.01

#: A cell's corners, in half cell widths from its centre.
_CORNERS = ((-1, -1), (1, -1), (-1, 1), (1, 1))
_MAX_CACHED = 4


def metric_lines(sectors: gpd.GeoSeries) -> NDArray[np.object_]:
    """Return the sectors' lines (EPSG:4326) in ``METRIC_CRS``."""
    return np.asarray(sectors.to_crs(METRIC_CRS).values, dtype=object)


def _metric_points(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.object_]:
    return shapely.points(*to_metric().transform(lon, lat))


def nearest_exact(lines: NDArray[np.object_], lon: ArrayLike, lat: ArrayLike) -> NDArray[np.intp]:
    """Return the position of the line nearest each point, -1 for a NaN coordinate.

    The exact method: each point reprojected to ``METRIC_CRS`` and
    ``shapely.STRtree.query_nearest`` over all ``lines`` (which of equally near lines it
    returns is its own rule).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    nearest = np.full(len(lon), -1, dtype=np.intp)
    known = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    points = _metric_points(lon[known], lat[known])
    pos, found = shapely.STRtree(lines).query_nearest(points, all_matches=False)
    nearest[known[pos]] = found
    return nearest


def _nearest_candidate(
    lines: NDArray[np.object_],
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    candidates: NDArray[np.bool_],
) -> NDArray[np.intp]:
    """Return the line nearest each point among its ``candidates`` row (points by lines).

    A point as near to two candidates gets :func:`nearest_exact`.
    """
    points = _metric_points(lon, lat)
    metres = np.full(candidates.shape, np.inf)
    for pos, line in enumerate(lines):
        test = candidates[:, pos]
        metres[test, pos] = shapely.distance(points[test], line)
    nearest = metres.argmin(axis=1)
    best = np.take_along_axis(metres, nearest[:, None], axis=1)
    tied = np.flatnonzero((metres == best).sum(axis=1) > 1)
    nearest[tied] = nearest_exact(lines, lon[tied], lat[tied])
    return nearest


def _candidates(
    lines: NDArray[np.object_],
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    half: float,
    candidates: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Narrow the candidates of the cells centred at ``lon, lat``, ``half`` degrees wide by 2.

    Only the given ``candidates`` (cells by lines) are measured; see the module docstring.
    """
    x, y = to_metric().transform(lon, lat)
    reach = np.zeros(len(x))
    for dx, dy in _CORNERS:
        corner_x, corner_y = to_metric().transform(lon + dx * half, lat + dy * half)
        reach = np.maximum(reach, np.hypot(corner_x - x, corner_y - y))
    reach = reach * (1 + REACH_MARGIN) + 1.0
    centres = shapely.points(x, y)
    metres = np.full(candidates.shape, np.inf)
    for pos, line in enumerate(lines):
        test = candidates[:, pos]
        metres[test, pos] = shapely.distance(centres[test], line)
    return metres <= metres.min(axis=1, keepdims=True) + 2 * reach[:, None]


@dataclass(frozen=True)
class SectorGrid:
    """A grid over an area; ``nearest`` returns each point's nearest sector position.

    ``cells`` covers the grid plus a ring of cells around it (``nx + 2`` by ``ny + 2``, flat):
    a value ``v >= 0`` is the nearest line of every point in the cell; ``v < 0`` a shared cell,
    whose candidates are row ``-1 - v`` of ``candidate_sets`` (the ring: every line).
    """

    lines: NDArray[np.object_]
    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    cells: NDArray[np.signedinteger]
    candidate_sets: NDArray[np.bool_]

    @classmethod
    def build(
        cls,
        lines: NDArray[np.object_],
        bounds: ArrayLike,
        cells: int = GRID_CELLS,
        coarse: int = COARSE_CELLS,
    ) -> SectorGrid:
        """Build the grid of metric ``lines`` over ``bounds`` (degrees: xmin, ymin, xmax, ymax)."""
        xmin, ymin, xmax, ymax = np.asarray(bounds, dtype=float)
        scale = cells // coarse
        size = max(xmax - xmin, ymax - ymin, 1e-9) / cells
        nx = scale * max(1, int(np.ceil((xmax - xmin) / size / scale)))
        ny = scale * max(1, int(np.ceil((ymax - ymin) / size / scale)))
        nearest = np.full((ny, nx), -1, dtype=np.intp)
        row, col = np.divmod(np.arange((nx // scale) * (ny // scale)), nx // scale)
        candidates = np.ones((len(row), len(lines)), dtype=bool)
        while True:
            span = size * scale
            lon, lat = xmin + (col + 0.5) * span, ymin + (row + 0.5) * span
            candidates = _candidates(lines, lon, lat, span / 2, candidates)
            one = candidates.sum(axis=1) == 1
            decided = np.full((ny // scale, nx // scale), -1, dtype=np.intp)
            decided[row[one], col[one]] = candidates[one].argmax(axis=1)
            upsampled = decided.repeat(scale, axis=0).repeat(scale, axis=1)
            nearest = np.where(upsampled >= 0, upsampled, nearest)
            row, col, candidates = row[~one], col[~one], candidates[~one]
            if scale == 1:
                break
            scale //= 2
            row = np.concatenate([2 * row, 2 * row, 2 * row + 1, 2 * row + 1])
            col = np.concatenate([2 * col, 2 * col + 1, 2 * col, 2 * col + 1])
            candidates = np.tile(candidates, (4, 1))
        return cls._encode(lines, xmin, ymin, size, nearest, (row, col), candidates)

    @classmethod
    def _encode(
        cls,
        lines: NDArray[np.object_],
        x0: float,
        y0: float,
        size: float,
        nearest: NDArray[np.intp],
        shared: tuple[NDArray[np.intp], NDArray[np.intp]],
        candidates: NDArray[np.bool_],
    ) -> SectorGrid:
        """Return the grid with the shared cells' candidates and the ring (every line)."""
        every = np.ones((1, len(lines)), dtype=bool)
        sets, which = np.unique(np.vstack([every, candidates]), axis=0, return_inverse=True)
        which = which.ravel()
        nearest[shared] = -1 - which[1:]
        padded = np.pad(nearest, 1, constant_values=-1 - which[0])
        dtype = np.min_scalar_type(-max(len(lines), len(sets)))
        ny, nx = nearest.shape
        return cls(lines, x0, y0, size, nx, ny, padded.ravel().astype(dtype), sets)

    def nearest(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.intp]:
        """Return the position of the line nearest each point, -1 for a NaN coordinate.

        Equals :func:`nearest_exact` of the same lines.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        cell = padded_cells(lon, lat, self.x0, self.y0, self.size, self.nx, self.ny)
        nearest = self.cells[cell].astype(np.intp)
        known = np.isfinite(lon) & np.isfinite(lat)
        shared = np.flatnonzero((nearest < 0) & known)
        candidates = self.candidate_sets[-1 - nearest[shared]]
        nearest[shared] = _nearest_candidate(self.lines, lon[shared], lat[shared], candidates)
        nearest[~known] = -1
        return nearest


_GRIDS: dict[str, SectorGrid] = {}


def sector_grid_for(sectors: gpd.GeoSeries, bounds: ArrayLike) -> SectorGrid:
    """Return the grid of the sectors' lines (EPSG:4326) over ``bounds`` (degrees).

    Built once per process for each distinct lines and bounds, and kept on disk
    (``geo.disk_cache``) under a checksum of both.
    """
    bounds = np.asarray(bounds, dtype=float)
    digest = hashlib.blake2b(bounds.tobytes(), digest_size=16)
    for wkb in shapely.to_wkb(np.asarray(sectors.values, dtype=object)):
        digest.update(wkb)
    key = digest.hexdigest()
    grid = _GRIDS.get(key)
    if grid is None:
        if len(_GRIDS) >= _MAX_CACHED:
            _GRIDS.pop(next(iter(_GRIDS)))
        grid = _GRIDS[key] = disk_cached(
            "sector_grid", key, lambda: SectorGrid.build(metric_lines(sectors), bounds)
        )
    return grid
