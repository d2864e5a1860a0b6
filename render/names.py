"""Place, province and border-sector names in English, Korean or Chinese.

``en`` uses ``name_en``; ``ko`` and ``zh`` use the row's ``name_ko`` / ``name_zh``: the
South Korean standard spelling and the simplified Chinese form, without 시/市-type suffixes on
places (data/places.csv, data/admin1.geojson, ``geo.reference.sectors``; choices and
provenance in data/README.md). ``name_local`` and ``alt_names`` are for matching input only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from geo.reference import load_reference
from geo.reference.places import OTHER_PROVINCES
from i18n import _, current_language, formats

#: Languages with their own name column; any other language shows ``name_en``.
NAME_COLUMNS = {"ko": "name_ko", "zh": "name_zh"}


def local_name(record: Mapping[str, object], lang: str) -> str:
    """Return the name of a place, province or sector row in ``lang`` (``en``, ``ko``, ``zh``).

    Parameters
    ----------
    record
        A row with ``name_en`` and, for ``ko``/``zh``, ``name_ko``/``name_zh``; a row
        without the column (or with it empty) falls back to ``name_en``.
    lang
        One of ``geo.view.LANGUAGES``.
    """
    english = str(record.get("name_en") or "")
    column = NAME_COLUMNS.get(lang)
    return str(record.get(column) or english) if column else english


def province_names(provinces: Any, lang: str = "en") -> dict[str, str]:
    """Return ISO 3166-2 code -> province name in ``lang`` (:func:`local_name` of each row).

    The provinces of ``provinces`` first, then those with a code but no shape on the map
    (``geo.reference.places.OTHER_PROVINCES``: every Chinese province, Namp'o, Kaesong).

    Parameters
    ----------
    provinces
        A frame with ``iso_3166_2`` and the name columns, e.g. ``Reference.provinces``.
    lang
        One of ``geo.view.LANGUAGES``.
    """
    rows = provinces.drop(columns="geometry", errors="ignore").to_dict("records")
    names = {str(row["iso_3166_2"]): local_name(row, lang) for row in rows}
    for row in OTHER_PROVINCES:  # codes without a shape on the map (Beijing, Namp'o, ...)
        names.setdefault(row["iso_3166_2"], local_name(row, lang))
    return names


def sector_label(name: str, length_km: float) -> str:
    """Return a border sector's label in the current language: ``Border sector X (123 km)``.

    Parameters
    ----------
    name
        The sector's name in the map's language (:func:`local_name` of its row).
    length_km
        Its length along the border.
    """
    return _("Border sector {name} ({km} km)").format(
        name=name, km=formats.number(round(length_km))
    )


def first_place_name(place_ids: str, place_names: str) -> str:
    """Return the first place of an event in the current language, else as the data names it.

    Parameters
    ----------
    place_ids
        The gazetteer ids of the event's places (``|``-separated; '' when none is known).
    place_names
        The places as the data names them (``|``-separated).
    """
    first_id = place_ids.split("|")[0].strip()
    if first_id:
        names = _place_names(current_language())
        if first_id in names:
            return names[first_id]
    return place_names.split("|")[0].strip()


@cache
def _place_names(lang: str) -> dict[str, str]:
    """Return place id -> name in ``lang`` for the shipped gazetteer (once per language)."""
    rows = load_reference().places.to_dict("records")
    return {str(row["place_id"]): local_name(row, lang) for row in rows}
