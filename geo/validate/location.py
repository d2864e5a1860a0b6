"""Location columns of :mod:`geo.validate`: places, province codes, points, ``geo_precision``.

``admin1_codes`` accepts codes and province names (all normalised to upper-case codes;
unknown ones are errors); ``place_names`` resolve through the gazetteer into ``place_ids``,
unknown names are warnings with a suggestion, or an error when they are the row's only
location and ``geo_precision`` is empty. ``geo_precision`` must fit what the row has; an empty
cell is derived (point, place, admin1, else country) with a warning. Points are checked by
:func:`geo.parse.coords.check_points`; a point event on the China–DPRK border whose country the
map cannot tell (:func:`geo.join.border_points`) is a warning. Names, codes and land come from
the :class:`~geo.reference.Reference` passed in.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from geo.join import border_points
from geo.parse import quoted
from geo.parse.coords import OUTSIDE_MAP_AREA, check_points, read_degrees
from geo.reference import Reference
from geo.reference.places import Gazetteer, ProvinceCodes
from geo.reference.schema import BORDER_COUNTRIES, GEO_PRECISIONS
from geo.reference.sectors import BORDER_BAND_KM
from geo.validate.core import Findings, SchemaCells, map_distinct

__all__ = ["check_location"]


#: What separates several names in one cell: ``|``, and as people write lists, ``,`` ``、``
#: ``/`` and ``;``.
_SEPARATORS = re.compile(r"[|,、/;，；]")


#: A name followed by its province or country, or by itself in another script, in brackets:
#: ``Tumen (Jilin)``, ``단둥(丹东)``.
_BRACKETED = re.compile(r"(?P<name>.+?)\s*[(（](?P<inside>[^()（）]+)[)）]")


def _names(cell: str) -> list[str]:
    return [name.strip() for name in _SEPARATORS.split(cell) if name.strip()]


def _unknown_message(kind: str, names: list[tuple[str, str | None]]) -> str:
    parts = [quoted(name) + (f" (did you mean {hint!r}?)" if hint else "") for name, hint in names]
    return f"{kind}: " + ", ".join(parts)


def _look_up(
    cell: str, names: Gazetteer | ProvinceCodes, context: ProvinceCodes | None = None
) -> tuple[list[str], list[tuple[str, str | None]]]:
    """Split a cell into names and look each up; return the distinct ids and the misses.

    ``names`` is a gazetteer or province list (``resolve(name)`` and ``suggest(name)``). With
    ``context`` (the provinces), a province or country name beside a found place
    (``Dandong, Liaoning, China``) says where the place is, and is not a miss.
    """
    found: list[str] = []
    unknown: list[tuple[str, str | None]] = []
    around: list[str] = []
    for name in _names(cell):
        key = names.resolve(name)
        if key is None and context is not None and (bracket := _BRACKETED.fullmatch(name)):
            inside, outside = bracket["inside"].strip(), names.resolve(bracket["name"])
            if context.resolve(inside) or inside.lower() in BORDER_COUNTRIES:  # "Tumen (Jilin)"
                key = outside
            elif outside is not None and names.resolve(inside) == outside:  # "단둥(丹东)"
                key = outside
        if (
            key is None
            and context is not None
            and (context.resolve(name) or name.lower() in BORDER_COUNTRIES)
        ):
            around.append(name)
        elif key is None:
            unknown.append((name, names.suggest(name)))
        elif key not in found:
            found.append(key)
    if around and not found:  # only a province or a country: not a place of the gazetteer
        unknown.extend((name, None) for name in around)
    return found, unknown


def _resolve_places(
    cells: pd.Series, gazetteer: Gazetteer, provinces: ProvinceCodes
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return ``place_ids``, a message naming unknown places ('' if none) and the first id."""

    def resolve(cell: str) -> tuple[str, str, str]:
        ids, unknown = _look_up(cell, gazetteer, provinces)
        message = _unknown_message("not in the gazetteer (data/places.csv)", unknown)
        return "|".join(ids), message if unknown else "", ids[0] if ids else ""

    ids, message, first = map_distinct(cells, resolve, 3)
    return ids.astype(str), message.astype(str), first.astype(str)


def _resolve_codes(cells: pd.Series, provinces: ProvinceCodes) -> tuple[pd.Series, pd.Series]:
    """Return ISO 3166-2 codes for codes or province names, and an error message, per cell."""

    def resolve(cell: str) -> tuple[str, str]:
        codes, unknown = _look_up(cell, provinces)
        message = (
            _unknown_message("unknown province code or name", unknown)
            + "; give ISO 3166-2 codes (CN-JL, KP-09) or names (Jilin, North Hamgyong), "
            "several separated by |"
        )
        return "|".join(codes), message if unknown else ""

    codes, message = map_distinct(cells, resolve, 2)
    return codes.astype(str), message.astype(str)


def _coordinates(
    t: SchemaCells, land: shapely.Geometry, found: Findings
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Explicit lat, lon (NaN when absent or wrong) and whether the pair is a usable point."""
    numbers = {}
    unreadable = pd.Series(False, index=t.cell("lat").index)
    for col in ("lat", "lon"):
        cells = t.cell(col)
        numbers[col] = read_degrees(cells)
        bad = (cells != "") & numbers[col].isna()
        found.add(bad, col, cells, f"{col} must be a number in decimal degrees (e.g. 40.1)")
        unreadable |= bad
    lat, lon = numbers["lat"], numbers["lon"]
    # An unreadable cell is reported once, above, not again as a missing half of the pair.
    messages = check_points(lat, lon, land).where(~unreadable, "")
    pair = t.cell("lat") + ", " + t.cell("lon")
    # A point beyond the map area (not a swapped pair: that is an error) is kept, and counted
    # as outside the map area by the join: global exports (ACLED, GED) hold such rows.
    far = messages.str.startswith(OUTSIDE_MAP_AREA)
    found.add((messages != "") & ~far, "lat", pair, messages)
    found.add(far, "lat", pair, messages + "; kept and counted as outside it, not drawn", "warning")
    point = lat.notna() & lon.notna() & ((messages == "") | far)
    return lat.where(point), lon.where(point), point


def _on_the_border(
    lat: pd.Series, lon: pd.Series, reference: Reference
) -> tuple[np.ndarray, pd.Series]:
    """Return which points the join counts as on the border, country uncertain.

    Also returns, for those, the places nearest each (``Changbai (China) 1.2 km, Hyesan
    (North Korea) 1.2 km``); '' for the other points.
    """
    border = border_points(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float), reference)
    uncertain = border.uncertain
    rows = np.flatnonzero(uncertain)

    def km(values: np.ndarray) -> pd.Series:
        return pd.Series(values[rows]).map("{:.1f}".format)

    named = (
        pd.Series(border.cn_place[rows]) + " (China) " + km(border.cn_km) + " km, "
        + pd.Series(border.kp_place[rows]) + " (North Korea) " + km(border.kp_km) + " km"
    )  # fmt: skip
    nearest = pd.Series("", index=lat.index, dtype=object)
    nearest.iloc[rows] = named.to_numpy(dtype=object)
    return uncertain, nearest


def check_location(t: SchemaCells, reference: Reference) -> Findings:
    """Return the location columns (``lat``/``lon`` from points or places) and their problems.

    Place names resolve through ``reference.gazetteer``, provinces through
    ``reference.province_codes``; points must lie on ``reference.land``.
    """
    found = Findings(t)
    gazetteer = reference.gazetteer
    place_ids, unknown_places, first = _resolve_places(
        t.cell("place_names"), gazetteer, reference.province_codes
    )
    codes, bad_codes = _resolve_codes(t.cell("admin1_codes"), reference.province_codes)
    found.add(bad_codes != "", "admin1_codes", t.cell("admin1_codes"), bad_codes)
    lat, lon, point = _coordinates(t, reference.land, found)
    has_place, has_codes = place_ids != "", codes != ""
    cells = t.cell("geo_precision")
    given = t.choice("geo_precision", GEO_PRECISIONS, "", found)
    derived = pd.Series(
        np.select([point, has_place, has_codes], ["point", "place", "admin1"], "country"),
        dtype=object,
    )
    unknown = unknown_places != ""
    # Only unknown place names: an error, unless geo_precision says the row is located by them.
    only_unknown = unknown & ~point & ~has_place & ~has_codes
    unlocated = only_unknown & (given == "")
    found.add(
        unlocated,
        "place_names",
        t.cell("place_names"),
        unknown_places + "; the row has no other location (correct the name, add "
        "admin1_codes or lat/lon, or set geo_precision to place to keep the row listed but "
        "not mapped)",
    )
    fallback = pd.Series(
        np.where(has_codes, "mapped by its admin1_codes", "listed, not mapped"), dtype=object
    )
    unplaced = (given == "place") & ~has_place & ~point & unknown
    found.add(
        unplaced,
        "place_names",
        t.cell("place_names"),
        unknown_places + "; no place found, so the row is " + fallback,
        "warning",
    )
    found.add(
        unknown & ~unlocated & ~unplaced,
        "place_names",
        t.cell("place_names"),
        unknown_places,
        "warning",
    )
    needs = {
        "point": (point, "geo_precision point needs lat and lon"),
        "place": (
            has_place | unplaced,
            "geo_precision place needs a place_names entry found in the gazetteer",
        ),
        "admin1": (has_codes, "geo_precision admin1 needs admin1_codes"),
    }
    for precision, (ok, message) in needs.items():
        found.add((given == precision) & ~ok, "geo_precision", cells, message)
    if "geo_precision" in t.found:
        found.add(
            (given == "") & ~unlocated,
            "geo_precision",
            cells,
            "geo_precision empty; derived as " + derived,
            "warning",
        )
    else:
        # Without a geo_precision column, a row with no location at all would become a
        # country-level event unnoticed: say so.
        columns = ("place_names", "admin1_codes", "lat", "lon")
        column = next(c for c in columns if c in t.found)
        found.add(
            np.logical_and.reduce([t.cell(c) == "" for c in columns]),
            column,
            t.cell(column),
            "no location given (place_names, admin1_codes or lat/lon); the row is kept as a "
            "country-level event, listed but not mapped",
            "warning",
        )
    precision = given.where(given != "", derived)
    at_point = point & precision.eq("point")
    uncertain, nearest = _on_the_border(lat.where(at_point), lon.where(at_point), reference)
    found.add(
        uncertain,
        "lat",
        t.cell("lat") + ", " + t.cell("lon"),
        "lat/lon " + t.cell("lat") + ", " + t.cell("lon") + " is on the China–DPRK border, "
        f"within {BORDER_BAND_KM:g} km of the map's boundary line, which cannot tell the two "
        "countries apart there; nearest places: " + nearest + ": counted as on the border, "
        "country uncertain; give place_names to decide",
        "warning",
    )
    places = gazetteer.frame
    known = first.isin(places.index)
    place_lat = first.map(places["lat"]).where(known)
    place_lon = first.map(places["lon"]).where(known)
    found.columns["lat"] = lat.where(point, place_lat).astype(float)
    found.columns["lon"] = lon.where(point, place_lon).astype(float)
    found.columns["place_ids"] = place_ids
    found.columns["admin1_codes"] = codes
    found.columns["place_names"] = t.cell("place_names")
    found.columns["location_text"] = t.cell("location_text")
    found.columns["geo_precision"] = precision
    return found
