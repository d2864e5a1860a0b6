"""GeoJSON for the page: coordinates rounded so the payload stays small."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.reference import Reference

#: 4 decimals of a degree is about 10 m, finer than the 1:10m source geometry.
DIGITS = 4


#: Display GeoJSON per (regions object, layer); holds the regions so their id stays unique.
_CACHE: dict[tuple[int, str], tuple[Any, Any]] = {}
_CACHE_SIZE = 32

#: Line simplification tolerance in degrees (about 500 m) for border and sector lines.
LINE_TOLERANCE = 0.005


def rounded(geometry: Any, digits: int = DIGITS) -> dict[str, Any]:
    """Return ``geometry`` as a GeoJSON geometry dict with coordinates rounded.

    Shared edges stay shared: equal vertices round to equal values.
    """
    return mapping(shapely.transform(geometry, lambda xy: np.round(xy, digits)))


def simple_line(geometry: Any) -> Any:
    """Return a line simplified for display (ends kept, so sectors still meet)."""
    return shapely.simplify(geometry, LINE_TOLERANCE, preserve_topology=True)


def feature_collection(
    rows: Iterable[tuple[Any, dict[str, Any]]],
) -> dict[str, Any]:
    """Return a FeatureCollection from ``(geometry, properties)`` pairs (empty ones skipped)."""
    features = [
        {"type": "Feature", "geometry": rounded(geom), "properties": props}
        for geom, props in rows
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def frame_collection(frame: Any, properties: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Return a FeatureCollection of a GeoDataFrame, ``properties(row)`` giving each feature's."""
    return feature_collection(
        (row.geometry, properties(row)) for row in frame.itertuples(index=False)
    )


def cached(regions: Reference, key: str, build: Callable[[], Any]) -> Any:
    """Return ``build()`` for this ``regions`` object and ``key``, computed once.

    ``geo.reference.load_reference`` returns one read-only object per process, so the display
    geometry of the reference layers is prepared once, not on every map build. Callers must
    not mutate the result.
    """
    slot = (id(regions), key)
    if slot not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[slot] = (regions, build())
    return _CACHE[slot][1]
