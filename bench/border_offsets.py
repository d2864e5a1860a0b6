"""Measure how far Natural Earth's China–DPRK line is off at the gazetteer's border places.

Run: ``python bench/border_offsets.py``

For every ``kind == "border"`` place of ``data/places.csv`` (GeoNames coordinates) it prints a
Markdown row: the province ``data/admin1.geojson`` puts the point in, the signed distance to the
NE China–DPRK boundary line (positive: on the place's own side, negative: on the other
country's side) and the nearest place of the other country. ``data/README.md`` records the
table; ``geo.reference.sectors.BORDER_BAND_KM`` is set from its largest wrong-side distance.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.join import assign_provinces
from geo.reference import load_reference
from geo.reference.schema import CRS
from geo.reference.sectors import BORDER_BAND_KM, METRIC_CRS


def main() -> None:
    reference = load_reference()
    places = reference.places
    country_of = dict(
        zip(reference.provinces["iso_3166_2"], reference.provinces["country_iso3"], strict=True)
    )
    points = gpd.GeoSeries(gpd.points_from_xy(places["lon"], places["lat"]), crs=CRS)
    metric = points.to_crs(METRIC_CRS)
    line = reference.border.to_crs(METRIC_CRS).geometry.iloc[0]
    found = assign_provinces(places["lon"], places["lat"], reference.provinces)
    print(
        "| place | country | NE polygon | to NE line, km (− wrong side) | nearest across, km |\n"
        "|---|---|---|---|---|"
    )
    wrong = []
    for i in np.flatnonzero(places["kind"].eq("border").to_numpy()):
        place = places.iloc[i]
        code = found[i] or "none"
        own_side = country_of.get(code) == place["country_iso3"]
        distance = metric.iloc[i].distance(line) / 1000
        signed = distance if own_side else -distance
        if not own_side:
            wrong.append(distance)
        across = places["country_iso3"].ne(place["country_iso3"]).to_numpy()
        gaps = metric[across].distance(metric.iloc[i]) / 1000
        nearest = places["name_en"][across].loc[gaps.idxmin()]
        print(
            f"| {place['name_en']} | {place['country_iso3']} | {code} | {signed:+.2f} | "
            f"{nearest} {gaps.min():.1f} |"
        )
    print(
        f"\n{len(wrong)} places on the wrong side of the NE line, at most "
        f"{max(wrong, default=0):.2f} km; BORDER_BAND_KM = {BORDER_BAND_KM}"
    )


if __name__ == "__main__":
    main()
