"""The report pack: one ZIP with map PNG/PDF/HTML, events CSV, sources and a README."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader
from test_export_standins import SAMPLE_ROWS, regions, view_data

from geo.view import ViewParams
from render.exports.pack import export_pack, readme_text

VIEW = ViewParams(
    start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), types=("forced_return", "detention"),
    provinces=("CN-JL", "CN-LN"), match="within", at=dt.date(2024, 6, 30), zoom=8,
    centre=(42.0, 128.5),
)  # fmt: skip
APP = "https://maps.example.org/app/"
# (English: the Korean and Chinese packs are tested in test_i18n_exports.py.)


@pytest.fixture(scope="module")
def data():
    rows = [dict(row) for row in SAMPLE_ROWS]
    rows[1]["source_org"] = "=cmd|' /C calc'!A0"
    return view_data(rows, VIEW)


@pytest.fixture(scope="module")
def pack(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("pack") / "pack.zip"
    path = export_pack(data, regions(), out, title="Pack test", link=data.view.link(APP))
    return zipfile.ZipFile(path)


def test_pack_holds_every_file(pack):
    assert sorted(pack.namelist()) == sorted(
        ["README.txt", "map.png", "map.pdf", "map.html", "events.csv", "sources.txt", "sources.csv",
         "by_year.csv"]
    )  # fmt: skip
    png = Image.open(io.BytesIO(pack.read("map.png")))
    assert png.info["dpi"][0] == pytest.approx(300, abs=0.01)
    reader = PdfReader(io.BytesIO(pack.read("map.pdf")))
    assert "Pack test" in reader.pages[0].extract_text()
    html = pack.read("map.html").decode("utf-8")
    assert "<html" in html.lower() and "leaflet" in html.lower()


def test_readme_states_the_view_and_the_link(pack, data):
    readme = pack.read("README.txt").decode("utf-8")
    query = (
        "?start=2023-01-01&end=2024-12-31&types=forced_return,detention"
        "&provinces=CN-JL,CN-LN&match=within&at=2024-06-30&zoom=8&centre=42.000,128.500"
    )
    assert data.view.query_string() == query
    assert f"Reopen this view in the app: {APP}{query}\n" in readme
    lines = ("start      2023-01-01", "end        2024-12-31", "provinces  CN-JL, CN-LN",
             "types      forced_return, detention", "match      within",
             "lang       en", "at         2024-06-30", "zoom       8", "centre     42.000,128.500",
             "dataset    (the shipped data)")  # fmt: skip
    for line in lines:
        assert line in readme
    assert f"Events: {data.summary.events:,}" in readme
    assert "GeoNames" in readme and "CC BY 4.0" in readme


def test_csv_files_match_the_view_and_are_neutralised(pack, data):
    events = list(csv.DictReader(io.StringIO(pack.read("events.csv").decode("utf-8-sig"))))
    assert len(events) == len(data.events)
    sources = list(csv.DictReader(io.StringIO(pack.read("sources.csv").decode("utf-8-sig"))))
    orgs = {row["organisation"] for row in sources}
    assert "'=cmd|' /C calc'!A0" in orgs
    assert all(not org.startswith("=") for org in orgs)
    text = pack.read("sources.txt").decode("utf-8")
    assert "Human Rights Watch" in text


def test_readme_without_the_apps_address_says_so_and_invents_none():
    text = readme_text(view_data(SAMPLE_ROWS[:2]), "T", None, dt.datetime(2026, 1, 1))
    assert "localhost" not in text and "http" not in text.split("Attribution")[0]
    assert (
        "Reopen this view in the app: add the query string above to the app's address (no "
        "address was given when this pack was made)." in text
    )


def test_readme_credits_the_web_tiles_of_the_html_map():
    tiles = view_data(SAMPLE_ROWS[:2], ViewParams(basemap="osm"))
    text = readme_text(tiles, "T", "L", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert "Web tiles in map.html: OpenStreetMap, © OpenStreetMap contributors" in text
    plain = readme_text(view_data(SAMPLE_ROWS[:2]), "T", "L", dt.datetime(2026, 1, 1))
    assert "Web tiles" not in plain


def test_by_year_csv_and_readme_add_up_to_the_view(pack, data):
    rows = list(csv.DictReader(io.StringIO(pack.read("by_year.csv").decode("utf-8-sig"))))
    total = next(r for r in rows if (r["year"], r["province"]) == ("all", "all"))
    assert int(total["events"]) == data.summary.events
    assert int(total["people_low"]) == data.summary.people.low
    for province in {r["province"] for r in rows}:
        years = [r for r in rows if r["province"] == province and r["year"] != "all"]
        (whole,) = [r for r in rows if r["province"] == province and r["year"] == "all"]
        for column in ("events", "people_low", "people_best"):
            assert sum(int(r[column]) for r in years) == int(whole[column])
    assert {"Jilin", "Liaoning", "province not known"} <= {r["province_name"] for r in rows}
    readme = pack.read("README.txt").decode("utf-8")
    assert "By start year and Chinese province (people; events), also in by_year.csv:" in readme
    assert "  All years: Jilin: " in readme
    assert "Returned from Jilin: " in readme
