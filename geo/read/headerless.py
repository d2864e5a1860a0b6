"""Files that come without a header row by design: GDELT's raw event files.

GDELT publishes its events as tab-separated files with no header (``20231009.export.CSV``);
the columns are those of its codebook, in order. A first record with exactly that many fields
whose first values are an event id and the dates GDELT writes (``SQLDATE``, ``MonthYear``,
``Year``, ``FractionDate``) is such a file: its header is supplied from the codebook, and the
reader says so. Any other first row is a header (or named as data by ``geo.read.columns``).
"""

from __future__ import annotations

import re

__all__ = ["HEADERLESS_LAYOUTS", "HeaderlessLayout", "known_header"]

#: GDELT 2.0 event columns, in the order of the GDELT 2.0 event codebook (61 columns).
GDELT2_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
#: GDELT 1.0 daily event files: the same columns without the three ``ADM2Code`` (58 columns).
GDELT1_COLUMNS = tuple(name for name in GDELT2_COLUMNS if not name.endswith("ADM2Code"))

#: The first five values of a GDELT event: id, SQLDATE, MonthYear, Year, FractionDate.
_GDELT_START = (
    re.compile(r"\d{1,19}"),
    re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"),
    re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])"),
    re.compile(r"(19|20)\d{2}"),
    re.compile(r"(19|20)\d{2}\.\d+"),
)


class HeaderlessLayout:
    """A layout without a header row: its column names, in order, and its name."""

    def __init__(self, columns: tuple[str, ...], name: str) -> None:
        self.columns = columns
        self.name = name

    def matches(self, first_record: list[str]) -> bool:
        """Return whether ``first_record`` is a record of this layout, not a header."""
        return len(first_record) == len(self.columns) and all(
            pattern.fullmatch(cell.strip())
            for pattern, cell in zip(_GDELT_START, first_record, strict=False)
        )


HEADERLESS_LAYOUTS = (
    HeaderlessLayout(GDELT2_COLUMNS, "a GDELT 2.0 events file"),
    HeaderlessLayout(GDELT1_COLUMNS, "a GDELT 1.0 events file"),
)


def known_header(first_record: list[str]) -> HeaderlessLayout | None:
    """Return the header-less layout ``first_record`` belongs to, or None when it is a header.

    Examples
    --------
    >>> row = ["1100000001", "20231009", "202310", "2023", "2023.7671"] + [""] * 56
    >>> known_header(row).name
    'a GDELT 2.0 events file'
    >>> known_header(["GLOBALEVENTID", "SQLDATE"]) is None
    True
    """
    return next((layout for layout in HEADERLESS_LAYOUTS if layout.matches(first_record)), None)
