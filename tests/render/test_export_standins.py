"""Test data for the export tests: small joined event frames built in code (no tests here)."""

from __future__ import annotations

import datetime as dt

from geo.pipeline import ViewData, build_view
from geo.reference import Reference, load_reference
from geo.view import ViewParams
from tests.factories import make_events


def regions() -> Reference:
    """Return the shipped reference regions."""
    return load_reference()


def view_data(rows: list[dict], view: ViewParams | None = None) -> ViewData:
    """Return the ViewData of joined event rows (``tests.factories.make_events``) for ``view``."""
    return build_view(make_events(rows), view or ViewParams())


#: A small, varied set of rows: every uncertainty style, province and border events, claims.
SAMPLE_ROWS = [
    {"event_id": "dandong-2023", "date_start": "2023-10-09", "count_best": 500,
     "count_low": 500, "count_qualifier": "more_than", "place_names": "Dandong",
     "lat": 40.12, "lon": 124.39, "provinces": "CN-LN", "sector_id": "CN-LN|KP-03",
     "source_org": "Human Rights Watch", "source_title": "China: 500 forcibly returned",
     "source_published": "2023-10-12", "source_url": "https://www.hrw.org/a"},
    {"event_id": "dandong-2023-tj", "date_start": "2023-10-09", "count_best": 600,
     "count_low": 600, "count_qualifier": "about", "place_names": "Dandong",
     "lat": 40.12, "lon": 124.39, "provinces": "CN-LN", "same_event_as": "dandong-2023",
     "source_org": "Transitional Justice Working Group", "source_title": "About 600 returned",
     "source_published": "2023-10-13", "source_url": "https://tjwg.org/b"},
    {"event_id": "tumen-2024", "date_start": "2024-04-26", "count_best": 60, "count_low": 60,
     "count_qualifier": "about", "place_names": "Tumen", "lat": 42.97, "lon": 129.84,
     "provinces": "CN-JL", "source_org": "Daily NK", "source_published": "2024-04-30",
     "source_url": "https://www.dailynk.com/c"},
    {"event_id": "hyesan-2023", "date_start": "2023-08-01", "date_end": "2023-08-31",
     "date_precision": "month", "count_best": 40, "count_qualifier": "exact",
     "place_names": "Hyesan", "lat": 41.40, "lon": 128.18, "provinces": "KP-10",
     "source_org": "Radio Free Asia", "source_published": "2023-09-02",
     "source_url": "https://www.rfa.org/d"},
    {"event_id": "changbai-2023", "date_start": "2023-06-01", "count_best": 50, "count_low": 50,
     "count_high": 60, "count_qualifier": "unknown", "place_names": "Changbai",
     "lat": 41.42, "lon": 128.20, "provinces": "CN-JL", "source_org": "NK News",
     "source_published": "2023-06-05", "source_url": "https://www.nknews.org/e"},
    {"event_id": "sinuiju-2023", "date_start": "2023-03-01", "count_best": 600,
     "count_high": 600, "count_qualifier": "up_to", "place_names": "Sinuiju",
     "lat": 40.10, "lon": 124.40, "provinces": "KP-03", "source_org": "Yonhap",
     "source_published": "2023-03-03", "source_url": "https://en.yna.co.kr/f"},
    {"event_id": "musan-2023", "date_start": "2023-05-01", "count_qualifier": "unknown",
     "place_names": "Musan", "lat": 42.23, "lon": 129.21, "provinces": "KP-09",
     "source_org": "Daily NK", "source_published": "2023-05-04",
     "source_url": "https://www.dailynk.com/g"},
    {"event_id": "jilin-liaoning-2023", "date_start": "2023-01-01", "date_end": "2023-12-31",
     "date_precision": "year", "count_best": 200, "count_low": 200, "count_qualifier": "at_least",
     "geo_precision": "admin1", "admin1_codes": "CN-JL|CN-LN", "provinces": "CN-JL|CN-LN",
     "map_level": "admin1", "source_org": "Amnesty International",
     "source_published": "2024-01-10", "source_url": "https://www.amnesty.org/h"},
    {"event_id": "border-2023", "date_start": "2023-02-01", "date_end": "2023-02-28",
     "date_precision": "month", "count_qualifier": "unknown", "geo_precision": "border",
     "map_level": "border", "source_org": "Korea Herald", "source_published": "2023-03-01",
     "source_url": "https://www.koreaherald.com/i"},
    {"event_id": "beijing-2023", "date_start": "2023-11-01", "count_best": 10, "count_low": 10,
     "count_qualifier": "exact", "place_names": "Beijing", "lat": 39.90, "lon": 116.40,
     "provinces": "", "map_level": "outside", "source_org": "UN OHCHR",
     "source_published": "2023-11-20", "source_url": "https://www.ohchr.org/j"},
    {"event_id": "report-2024", "event_type": "report", "date_start": "2020-01-01",
     "date_end": "2024-04-30", "date_precision": "period", "count_best": 670, "count_low": 670,
     "count_qualifier": "more_than", "count_text": "more than 670 returned",
     "geo_precision": "country", "map_level": "border", "source_org": "Test Report Org",
     "source_published": "2024-05-01", "source_url": "https://example.org/report-2024"},
]  # fmt: skip

VIEW_2023 = ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
