"""Place and province names in English, Korean or Chinese.

``en`` uses ``name_en``. ``ko`` uses ``name_local`` for DPRK places (Hangul); for a Chinese
place it uses the first Hangul name in ``alt_names`` (data/README.md: the South Korean
standard form comes first, 단둥, 투먼), else ``name_en``. ``zh`` is the mirror image:
``name_local`` for Chinese places, the first Han-script alternate name for DPRK places (the
simplified form comes first, 惠山, 平壤), else ``name_en``. Provinces follow the same rule with
their ``name_alt`` (지린성, 两江道).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SCRIPTS = {"ko": re.compile(r"[\uac00-\ud7a3]"), "zh": re.compile(r"[\u4e00-\u9fff]")}
_HOME = {"ko": "PRK", "zh": "CHN"}


def local_name(record: Mapping[str, object], lang: str) -> str:
    """Return the name of a place or province row in ``lang`` (``en``, ``ko`` or ``zh``).

    Parameters
    ----------
    record
        A row with ``name_en``, ``name_local``, ``country_iso3`` and optionally
        ``alt_names`` (data/places.csv) or ``name_alt`` (data/admin1.geojson), ``|``-separated.
    lang
        One of ``geo.view.LANGUAGES``.
    """
    english = str(record.get("name_en") or "")
    if lang not in _HOME:
        return english
    if record.get("country_iso3") == _HOME[lang] and record.get("name_local"):
        return str(record["name_local"])
    alternates = record.get("alt_names") or record.get("name_alt") or ""
    for alt in str(alternates).split("|"):
        if _SCRIPTS[lang].search(alt):
            return alt.strip()
    return english


def province_names(provinces: Any, lang: str = "en") -> dict[str, str]:
    """Return ISO 3166-2 code -> province name in ``lang`` (:func:`local_name` of each row).

    Parameters
    ----------
    provinces
        A frame with ``iso_3166_2`` and the name columns, e.g. ``Reference.provinces``.
    lang
        One of ``geo.view.LANGUAGES``.
    """
    rows = provinces.drop(columns="geometry", errors="ignore").to_dict("records")
    return {str(row["iso_3166_2"]): local_name(row, lang) for row in rows}
