"""The event schema: column names, allowed values and the normalised frame's dtypes.

See ``docs/ARCHITECTURE.md`` for what each column of the normalised and joined frames holds.
"""

import datetime as dt

EVENT_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
DATE_PRECISIONS = ("day", "month", "year", "period")
COUNT_QUALIFIERS = ("exact", "about", "more_than", "at_least", "up_to", "unknown")
GEO_PRECISIONS = ("point", "place", "admin1", "border", "country")
#: The two countries of the border, as files name them (lower case) -> ISO 3166-1 alpha-3:
#: names in English, Korean and Chinese, and the FIPS codes GDELT uses. A place cell may open
#: or close with one ("중국 지린성 투먼시", "Dandong, Liaoning, China"); a country-level row in
#: one of them is a border-wide event.
COUNTRY_NAMES = {
    "china": "CHN", "prc": "CHN", "중국": "CHN", "中国": "CHN", "ch": "CHN",
    "north korea": "PRK", "korea, north": "PRK", "dprk": "PRK", "북한": "PRK", "조선": "PRK",
    "朝鲜": "PRK", "kn": "PRK",
}  # fmt: skip
BORDER_COUNTRIES = frozenset(COUNTRY_NAMES)
MAP_LEVELS = ("point", "admin1", "border", "outside")
#: How a view's date range selects events (``geo.filter``): by the start date (the default:
#: each event in exactly one period, so adjacent ranges add up), overlapping the range, or
#: entirely within it.
MATCH_MODES = ("start", "overlap", "within")
DEFAULT_MATCH = MATCH_MODES[0]
#: What a claim row is about (``claim_scope``): the whole event, or a part of it (one crossing,
#: one named person), which is compared with the other claims neither for counts nor places.
CLAIM_SCOPES = ("event", "part")

#: What a user may choose an events file to be read as (``border-map --format``, the app's
#: upload choice): its headers decide ("auto"), this tool's own schema whatever the headers
#: ("schema"), or a data set's layout by its key: those of ``geo.validate.layouts.LAYOUTS``
#: that any file format may hold (``tests/geo/test_layouts.py`` checks that they match).
INPUT_FORMATS = ("auto", "schema", "acled", "ucdp-ged", "gdelt")

#: The dates this tool accepts, everywhere: uploaded cells (``date_start``, ``date_end``,
#: ``source_published``), link parameters, the command line and the app's date slider. Every
#: later step (pandas, parquet, the slider, the maps' scripts) handles them; docs/INPUT.md.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

#: Schema columns in the order of the shipped ``data/events.csv``.
SCHEMA_COLUMNS = (
    "event_id",
    "event_type",
    "date_start",
    "date_end",
    "date_precision",
    "count_best",
    "count_low",
    "count_high",
    "count_qualifier",
    "count_text",
    "location_text",
    "admin1_codes",
    "place_names",
    "lat",
    "lon",
    "geo_precision",
    "source_org",
    "source_title",
    "source_url",
    "source_published",
    "evidence_quote",
    "notes",
    "same_event_as",
    "cites",
    "claim_scope",
)

#: Columns a dataset's owner may mark sensitive (``geo.withhold``; issue 16): the free text that
#: can name a person or reveal who spoke (the source's words about the count and the place, the
#: source's organisation, title, link and whom it cites, the quote, the notes). A marked
#: column's text is left out of public links and of exports made "for publication". Not
#: markable: what places, dates and counts an event on the map (ids, types, dates, numbers,
#: qualifiers, ``place_names``, ``admin1_codes``, coordinates, precisions), the claims' links
#: (``same_event_as``, ``claim_scope``) and ``source_published``: without them there is no
#: map; a place that must not be shown is given coarser in the data (a province, the border).
SENSITIVE_COLUMNS = (
    "count_text",
    "location_text",
    "source_org",
    "source_title",
    "source_url",
    "evidence_quote",
    "notes",
    "cites",
)

DATE_COLUMNS = ("date_start", "date_end")
COUNT_COLUMNS = ("count_best", "count_low", "count_high")
COORD_COLUMNS = ("lat", "lon")

#: Columns validation adds: the gazetteer ids of ``place_names``, and which of the row's
#: columns were not given and were assumed (``"event_type"``; several separated by ``|``).
DERIVED_COLUMNS = ("place_ids", "assumed")

#: Columns of the normalised frame that always hold ``str`` ('' when empty, never NaN).
TEXT_COLUMNS = (
    tuple(c for c in SCHEMA_COLUMNS if c not in DATE_COLUMNS + COUNT_COLUMNS + COORD_COLUMNS)
    + DERIVED_COLUMNS
)

#: Columns that ``geo.claims.claim_columns`` adds to the joined frame.
CLAIM_COLUMNS = (
    "places_from_claims",
    "conflict",
    "independent_sources",
    "single_source",
    "lowest_claim",
    "highest_claim",
)

#: Columns that ``geo.join.join_events`` adds.
JOIN_COLUMNS = (
    "provinces",
    "shared",
    "sector_id",
    "map_level",
    "in_map_area",
    "country_uncertain",
    "event_precision",
    *CLAIM_COLUMNS,
)

CRS = "EPSG:4326"
