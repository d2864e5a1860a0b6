"""Where the shipped data lives."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
EVENTS_CSV = DATA_DIR / "events.csv"
ADMIN1_GEOJSON = DATA_DIR / "admin1.geojson"
COUNTRIES_GEOJSON = DATA_DIR / "countries.geojson"
RIVERS_GEOJSON = DATA_DIR / "rivers.geojson"
PLACES_CSV = DATA_DIR / "places.csv"
OTHER_PROVINCES_CSV = DATA_DIR / "other_provinces.csv"
#: The files the reference data is built from (``geo.reference.load_reference``).
REFERENCE_FILES = (
    ADMIN1_GEOJSON, COUNTRIES_GEOJSON, RIVERS_GEOJSON, PLACES_CSV, OTHER_PROVINCES_CSV
)
