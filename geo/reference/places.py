"""Gazetteers: place names (``data/places.csv``) and province names/codes (``admin1.geojson``).

Both are built from the frames :func:`geo.reference.load_reference` reads, never from the files.

Names match ignoring case, spaces, hyphens, apostrophes and diacritics (Unicode NFKD), so
"Ji'an", "Jian" and "JI-AN" are one place, and Korean or Chinese spellings listed in the
gazetteer resolve too. Unknown names get a "did you mean" suggestion from rapidfuzz.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.reference.paths import OTHER_PROVINCES_CSV

__all__ = [
    "CN_PROVINCES",
    "OTHER_PROVINCES",
    "KP_EXTRA_CODES",
    "Gazetteer",
    "ProvinceCodes",
    "fold",
]

def _other_provinces() -> tuple[dict[str, str], ...]:
    with OTHER_PROVINCES_CSV.open(encoding="utf-8", newline="") as file:
        return tuple(csv.DictReader(file))


#: Provinces with a code but no shape on the map: ISO 3166-2:CN, all 34 codes, and the
#: ISO 3166-2:KP codes that Natural Earth (and so admin1.geojson) does not delineate; each row
#: ``iso_3166_2``, ``name_en``, ``name_ko``, ``name_zh`` (data/other_provinces.csv).
OTHER_PROVINCES = _other_provinces()
_ENGLISH = {row["iso_3166_2"]: row["name_en"] for row in OTHER_PROVINCES}
CN_PROVINCES = {code: name for code, name in _ENGLISH.items() if code.startswith("CN-")}
KP_EXTRA_CODES = {code: name for code, name in _ENGLISH.items() if code.startswith("KP-")}

_FOLD_DROP = re.compile(r"[\s\-_'’‘`ʼ.]+")
_SCORE_CUTOFF = 87
#: Administrative suffixes of place and province names, on folded text: Chinese and Korean
#: (city, county, district, town, province: 图们市, 투먼시, 吉林省, 지린성) and English or
#: pinyin words (Tumen City, Hunchun County, Liaoning Province, Dandong Shi). A name is read
#: without its suffix only when what remains is a known name.
_ADMIN_SUFFIX = re.compile(
    r"(?<=[\u3400-\u9fff\uac00-\ud7a3])(?:市|县|縣|区|區|镇|鎮|省|시|군|현|구|읍|성)$"
    r"|(?<=[a-z])(?:city|county|province|prefecture|sheng|shi|xian)$"
)


def fold(name: str) -> str:
    """Return ``name`` folded for matching: no case, diacritics, spaces, hyphens or apostrophes.

    Examples
    --------
    >>> fold("P'yŏngan-bukto")
    'pyonganbukto'
    """
    decomposed = unicodedata.normalize("NFKD", str(name))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", bare).casefold())


@dataclass(frozen=True)
class _Index:
    """Folded spelling -> key, and key -> the display name offered in suggestions."""

    keys: dict[str, str]
    display: dict[str, str]

    def lookup(self, name: str) -> str | None:
        return self.find(fold(name))

    def find(self, folded: str) -> str | None:
        """Return the key of a folded spelling, with or without an administrative suffix."""
        key = self.keys.get(folded)
        if key is None and len(stem := _ADMIN_SUFFIX.sub("", folded)) >= 2:
            key = self.keys.get(stem)
        return key

    def suggest(self, name: str) -> str | None:
        """Return the display name of the closest spelling, or None when nothing is close."""
        folded = fold(name)
        if not folded:
            return None
        from rapidfuzz import fuzz, process  # for unknown names only

        hit = process.extractOne(
            folded, list(self.keys), scorer=fuzz.ratio, score_cutoff=_SCORE_CUTOFF
        )
        return None if hit is None else self.display[self.keys[hit[0]]]


def _index(names: dict[str, list[str]], display: dict[str, str]) -> _Index:
    folded = {key: [f for f in map(fold, spellings) if f] for key, spellings in names.items()}
    keys: dict[str, str] = {}
    for key, spellings in folded.items():
        for spelling in spellings:
            keys.setdefault(spelling, key)
    # Names are often written without their administrative suffix (丹东 for 丹东市, 단둥 for
    # 단둥 시); exact spellings of other places win.
    for key, spellings in folded.items():
        for spelling in spellings:
            stem = _ADMIN_SUFFIX.sub("", spelling)
            if len(stem) >= 2 and stem != spelling:
                keys.setdefault(stem, key)
    return _Index(keys, display)


@dataclass(frozen=True)
class Gazetteer:
    """Places of ``data/places.csv`` (read-only ``frame`` indexed by ``place_id``)."""

    frame: pd.DataFrame
    index: _Index

    @classmethod
    def from_places(cls, places: pd.DataFrame) -> Gazetteer:
        """Build the gazetteer of a places frame (as ``geo.reference.reference.read_places``).

        Every spelling in ``name_en``, ``name_local``, ``name_ko``, ``name_zh`` (either of the
        last two may be missing) and the ``|``-separated ``alt_names`` resolves to the row's
        ``place_id``.
        """
        frame = places.set_index("place_id", drop=False)
        names = {
            pid: [en, local, ko, zh, *alts.split("|")]
            for pid, en, local, ko, zh, alts in zip(
                frame["place_id"],
                frame["name_en"],
                frame["name_local"],
                _texts(frame, "name_ko"),
                _texts(frame, "name_zh"),
                frame["alt_names"],
                strict=True,
            )
        }
        display = dict(zip(frame["place_id"], frame["name_en"], strict=True))
        return cls(frame, _index(names, display))

    def resolve(self, name: str) -> str | None:
        """Return the ``place_id`` of ``name`` (any listed spelling), or None."""
        return self.index.lookup(name)

    def suggest(self, name: str) -> str | None:
        """Return the English name of the closest place, or None when nothing is close."""
        return self.index.suggest(name)


@dataclass(frozen=True)
class ProvinceCodes:
    """Province codes accepted in ``admin1_codes`` and the names that resolve to them."""

    codes: frozenset[str]
    index: _Index

    @classmethod
    def from_provinces(cls, provinces: gpd.GeoDataFrame) -> ProvinceCodes:
        """Build the accepted codes and names from the provinces of ``admin1.geojson``.

        Codes: ``iso_3166_2`` of ``provinces``, all ISO 3166-2:CN codes and ``KP-14``/``KP-15``.
        Names: ``name_en``, ``name_local``, ``name_ko``, ``name_zh`` and the ``|``-separated
        ``name_alt`` of ``provinces`` (all but ``name_en`` may be missing or empty) plus the
        English names of the other codes.
        """
        names: dict[str, list[str]] = {}
        display: dict[str, str] = {}
        for code, name, local, ko, zh, alt in zip(
            provinces["iso_3166_2"],
            provinces["name_en"],
            _texts(provinces, "name_local"),
            _texts(provinces, "name_ko"),
            _texts(provinces, "name_zh"),
            _texts(provinces, "name_alt"),
            strict=True,
        ):
            names[code] = [name, local, ko, zh, *(a for a in alt.split("|") if a)]
            display[code] = name
        for row in OTHER_PROVINCES:
            code = row["iso_3166_2"]
            names.setdefault(code, []).extend([row["name_en"], row["name_ko"], row["name_zh"]])
            display.setdefault(code, row["name_en"])
        return cls(frozenset(names), _index(names, display))

    def resolve(self, text: str) -> str | None:
        """Return the ISO 3166-2 code for a code or a province name, or None."""
        code = text.strip().upper()
        if code in self.codes:
            return code
        return self.index.lookup(text)

    def suggest(self, text: str) -> str | None:
        """Return the closest province name, or None when nothing is close."""
        return self.index.suggest(text)


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """Return the cells of ``column`` as text, '' where missing (or every row without it)."""
    if column not in frame:
        return [""] * len(frame)
    return [value if isinstance(value, str) else "" for value in frame[column]]
