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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from numpy.typing import NDArray

from geo.join import border_points
from geo.parse import quoted
from geo.parse.coords import OUTSIDE_MAP_AREA_CODE, POINT_PROBLEMS, check_points, read_degrees
from geo.reference import Reference
from geo.reference.places import Gazetteer, ProvinceCodes, fold
from geo.reference.schema import COUNTRY_NAMES, GEO_PRECISIONS
from geo.reference.sectors import BORDER_BAND_KM
from geo.validate.core import Distinct, Findings, SchemaCells, map_distinct

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


#: Country names as matched (folded) -> ISO 3166-1 alpha-3.
_COUNTRIES = {fold(name): iso3 for name, iso3 in COUNTRY_NAMES.items()}
_COUNTRY_EN = {"CHN": "China", "PRK": "North Korea"}
#: The longest country or province name tried before a place (``中国吉林省图们市``), in folded
#: characters; and the shortest Latin one (``ch``, ``kn`` are codes, never written before a name).
_HEAD_MAX, _LATIN_HEAD_MIN = 12, 4


def _where(name: str, provinces: ProvinceCodes) -> str:
    """Return the country (``CHN``) or province code (``CN-JL``) a name is, or ''."""
    return _COUNTRIES.get(fold(name)) or provinces.resolve(name) or ""


def _after_context(
    folded: str, names: Gazetteer, provinces: ProvinceCodes, depth: int = 0
) -> tuple[str | None, list[str]]:
    """Return the place id of a folded name and the countries and provinces written before it.

    ``중국 지린성 투먼시``, ``吉林省图们市``, ``辽宁丹东``: at most two heads are taken, each a
    known country or province, and only when what follows is a known place.
    """
    if key := names.index.find(folded):
        return key, []
    if depth == 2:
        return None, []
    for end in range(min(len(folded) - 1, _HEAD_MAX), 0, -1):
        head = folded[:end]
        if head.isascii() and len(head) < _LATIN_HEAD_MIN:
            continue
        if where := _COUNTRIES.get(head) or provinces.index.find(head):
            key, more = _after_context(folded[end:], names, provinces, depth + 1)
            if key is not None:
                return key, [where, *more]
    return None, []


def _place(name: str, names: Gazetteer, provinces: ProvinceCodes) -> tuple[str | None, list[str]]:
    """Return the place id of one name of a place cell and the context written with it."""
    if key := names.resolve(name):
        return key, []
    if bracket := _BRACKETED.fullmatch(name):
        inside, outside = bracket["inside"].strip(), names.resolve(bracket["name"])
        if where := _where(inside, provinces):  # "Tumen (Jilin)"
            return outside, [where]
        if outside is not None and names.resolve(inside) == outside:  # "단둥(丹东)"
            return outside, []
    return _after_context(fold(name), names, provinces)


@dataclass
class _Cell:
    """The names of one cell: ids found, misses with a suggestion, and where it puts them.

    ``context`` holds (place id, country or province code, the name as written) triples, the
    id empty for a country or province standing beside the places (``Dandong, Liaoning``).
    """

    found: list[str] = field(default_factory=list)
    unknown: list[tuple[str, str | None]] = field(default_factory=list)
    context: list[tuple[str, str, str]] = field(default_factory=list)


def _look_up(
    cell: str, names: Gazetteer | ProvinceCodes, provinces: ProvinceCodes | None = None
) -> _Cell:
    """Split a cell into names and look each up.

    ``names`` is a gazetteer or the province list. With ``provinces`` (for a gazetteer), a
    country or province before a place (``吉林省图们市``), after it in brackets (``Tumen
    (Jilin)``) or beside it (``Dandong, Liaoning, China``) says where the place is, and is not
    a miss; a cell naming only a province or a country is.
    """
    result = _Cell()
    around: list[str] = []
    for name in _names(cell):
        key, context = names.resolve(name), list[str]()
        if key is None and isinstance(names, Gazetteer) and provinces is not None:
            key, context = _place(name, names, provinces)
            if key is None and (where := _where(name, provinces)):
                around.append(name)
                result.context.append(("", where, name))
                continue
        if key is None:
            result.unknown.append((name, names.suggest(name)))
            continue
        result.context.extend((key, where, name) for where in context)
        if key not in result.found:
            result.found.append(key)
    if around and not result.found:  # only a province or a country: not a place
        result.unknown.extend((name, None) for name in around)
    return result


def _where_text(where: str, provinces: ProvinceCodes) -> str:
    return _COUNTRY_EN.get(where) or f"{provinces.index.display.get(where, where)} ({where})"


def _disagreement(cell: _Cell, gazetteer: Gazetteer, provinces: ProvinceCodes) -> tuple[str, str]:
    """Return messages on a country or province that is not where the cell's places are.

    The first (an error, the row cannot say where it is) names a place written with a country
    or province it is not in (``吉林省丹东市``, ``Tumen (Liaoning)``); the second (a warning)
    names a country or province beside the places that none of them is in (``Sinuiju,
    Beijing``): it may be a place of its own, missing from the gazetteer, and is not used.
    Either is '' when there is nothing to say.
    """
    places = gazetteer.frame

    def home(key: str, where: str) -> str:
        column = "country_iso3" if where in _COUNTRY_EN else "admin1_iso"
        return str(places.at[key, column])

    elsewhere, unused = "", ""
    for key, where, written in cell.context:
        keys = [key] if key else cell.found
        if not keys or any(home(k, where) == where for k in keys):
            continue
        place, kind = keys[0], "country" if where in _COUNTRY_EN else "province"
        name = quoted(str(places.at[place, "name_en"]))
        there = f"{name} is in {_where_text(home(place, where), provinces)}"
        if key and not elsewhere:
            elsewhere = (
                f"{there}, not in {_where_text(where, provinces)} as the cell says: correct "
                f"the place or the {kind}"
            )
        elif not key and not unused:
            unused = (
                f"{quoted(written)}, the {kind} {_where_text(where, provinces)}, is not where "
                f"the cell's places are ({there}) and is not used: correct the {kind} or the "
                "place; as a place it is not in the gazetteer (data/places.csv)"
            )
    return elsewhere, unused


def _resolve_places(
    cells: pd.Series, gazetteer: Gazetteer, provinces: ProvinceCodes, distinct: Distinct
) -> tuple[pd.Series, ...]:
    """Return ``place_ids``, the unknown-places message, the first id and two more messages.

    The last two are those of :func:`_disagreement`; a message is '' when there is nothing to
    say.
    """

    def resolve(cell: str) -> tuple[str, str, str, str, str]:
        names = _look_up(cell, gazetteer, provinces)
        ids, unknown = names.found, names.unknown
        message = _unknown_message("not in the gazetteer (data/places.csv)", unknown)
        return (
            "|".join(ids),
            message if unknown else "",
            ids[0] if ids else "",
            *_disagreement(names, gazetteer, provinces),
        )

    return tuple(column.astype(str) for column in map_distinct(cells, resolve, 5, distinct))


def _resolve_codes(
    cells: pd.Series, provinces: ProvinceCodes, distinct: Distinct
) -> tuple[pd.Series, pd.Series]:
    """Return ISO 3166-2 codes for codes or province names, and an error message, per cell."""

    def resolve(cell: str) -> tuple[str, str]:
        names = _look_up(cell, provinces)
        codes, unknown = names.found, names.unknown
        message = (
            _unknown_message("unknown province code or name", unknown)
            + "; give ISO 3166-2 codes (CN-JL, KP-09) or names (Jilin, North Hamgyong), "
            "several separated by |"
        )
        return "|".join(codes), message if unknown else ""

    codes, message = map_distinct(cells, resolve, 2, distinct)
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
    reason = np.where(unreadable.to_numpy(), 0, check_points(lat, lon, land))
    # A point beyond the map area (not a swapped pair: that is an error) is kept, and counted
    # as outside the map area by the join: global exports (ACLED, GED) hold such rows.
    far = reason == OUTSIDE_MAP_AREA_CODE
    found.add(
        (reason != 0) & ~far, "lat", partial(_pair, t), lambda at: POINT_PROBLEMS[reason[at]]
    )
    found.add(
        far,
        "lat",
        partial(_pair, t),
        lambda at: POINT_PROBLEMS[reason[at]] + "; kept and counted as outside it, not drawn",
        "warning",
    )
    point = lat.notna() & lon.notna() & ((reason == 0) | far)
    return lat.where(point), lon.where(point), point


def _pair(t: SchemaCells, at: NDArray[np.intp]) -> pd.Series:
    """Return the ``lat, lon`` texts of the rows at positions ``at``, as written."""
    return t.cell("lat").iloc[at] + ", " + t.cell("lon").iloc[at]


def _on_the_border(
    lat: pd.Series, lon: pd.Series, reference: Reference
) -> tuple[np.ndarray, Callable[[NDArray[np.intp]], pd.Series]]:
    """Return which points the join counts as on the border, country uncertain.

    Also returns the texts naming, for such points (given by position), the places nearest
    each (``Changbai (China) 1.2 km, Hyesan (North Korea) 1.2 km``): worded only for the rows a
    report lists.
    """
    border = border_points(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float), reference)

    def nearest(at: NDArray[np.intp]) -> pd.Series:
        def km(values: np.ndarray) -> pd.Series:
            return pd.Series(values[at]).map("{:.1f}".format)

        return (
            pd.Series(border.cn_place[at]) + " (China) " + km(border.cn_km) + " km, "
            + pd.Series(border.kp_place[at]) + " (North Korea) " + km(border.kp_km) + " km"
        )  # fmt: skip

    return border.uncertain, nearest


def check_location(t: SchemaCells, reference: Reference) -> Findings:
    """Return the location columns (``lat``/``lon`` from points or places) and their problems.

    Place names resolve through ``reference.gazetteer``, provinces through
    ``reference.province_codes``; points must lie on ``reference.land``.
    """
    found = Findings(t)
    gazetteer = reference.gazetteer
    place_ids, unknown_places, first, elsewhere, unused = _resolve_places(
        t.cell("place_names"), gazetteer, reference.province_codes, t.distinct("place_names")
    )
    found.add(elsewhere != "", "place_names", t.cell("place_names"), elsewhere)
    found.add(unused != "", "place_names", t.cell("place_names"), unused, "warning")
    codes, bad_codes = _resolve_codes(
        t.cell("admin1_codes"), reference.province_codes, t.distinct("admin1_codes")
    )
    found.add(bad_codes != "", "admin1_codes", t.cell("admin1_codes"), bad_codes)
    lat, lon, point = _coordinates(t, reference.land, found)
    has_place, has_codes = place_ids != "", codes != ""
    cells = t.cell("geo_precision")
    given = t.choice("geo_precision", GEO_PRECISIONS, "", found)
    derived = pd.Series(  # taken from the four texts: no array of a million Python strings
        pa.array(["point", "place", "admin1", "country"], pa.large_string()).take(
            np.select([point, has_place, has_codes], [0, 1, 2], 3)
        ),
        dtype=str,
    )
    unknown = unknown_places != ""
    # Only unknown place names: an error, unless geo_precision says the row is located by them.
    only_unknown = unknown & ~point & ~has_place & ~has_codes
    unlocated = only_unknown & (given == "")
    found.add(
        unlocated,
        "place_names",
        t.cell("place_names"),
        lambda at: (
            unknown_places.iloc[at] + "; the row has no other location (correct the "
            "name, add admin1_codes or lat/lon, or set geo_precision to place to keep the row "
            "listed but not mapped)"
        ),
    )
    unplaced = (given == "place") & ~has_place & ~point & unknown
    found.add(
        unplaced,
        "place_names",
        t.cell("place_names"),
        lambda at: (
            unknown_places.iloc[at]
            + "; no place found, so the row is "
            + np.where(has_codes.iloc[at], "mapped by its admin1_codes", "listed, not mapped")
        ),
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
            lambda at: "geo_precision empty; derived as " + derived.iloc[at],
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
    stated = given != ""
    precision = given.where(stated, derived) if stated.any() else derived
    at_point = point & precision.eq("point")
    uncertain, nearest = _on_the_border(lat.where(at_point), lon.where(at_point), reference)
    found.add(
        uncertain,
        "lat",
        partial(_pair, t),
        lambda at: (
            "lat/lon "
            + t.cell("lat").iloc[at]
            + ", "
            + t.cell("lon").iloc[at]
            + " is on the China–DPRK border, within "
            f"{BORDER_BAND_KM:g} km of the map's boundary line, which cannot tell the two "
            "countries apart there; nearest places: "
            + nearest(at).to_numpy()
            + ": counted as on the border, country uncertain; give place_names to decide"
        ),
        "warning",
    )
    # Each distinct first place is looked up once (most rows name none).
    codes_of_first, distinct_first = pd.factorize(first, use_na_sentinel=False)
    at_place = gazetteer.frame.reindex(distinct_first)
    place_lat = pd.Series(at_place["lat"].to_numpy(dtype=float)[codes_of_first], index=lat.index)
    place_lon = pd.Series(at_place["lon"].to_numpy(dtype=float)[codes_of_first], index=lat.index)
    found.columns["lat"] = lat.where(point, place_lat).astype(float)
    found.columns["lon"] = lon.where(point, place_lon).astype(float)
    found.columns["place_ids"] = place_ids
    found.columns["admin1_codes"] = codes
    found.columns["place_names"] = t.cell("place_names")
    found.columns["location_text"] = t.cell("location_text")
    found.columns["geo_precision"] = precision
    return found
