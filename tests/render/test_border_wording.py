"""An event on the border whose country is uncertain reads as such everywhere it is shown."""

import datetime as dt

import pytest

from geo.pipeline import build_view, load_dataset
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports.data import export_frame
from render.exports.pack import readme_text
from render.printmap.layout import data_note
from render.webmap.layers.events import event_payload
from render.wording import COUNTRY_UNCERTAIN, country_uncertain_text
from webapp.events_table import table_frame

CSV = (
    b"event_id,event_type,date,count,lat,lon,source_url\n"
    # In the Yalu between Changbai and Hyesan; then Hyesan's own GeoNames point.
    b"river,forced_return,2024-01-01,12,41.4097,128.1870,https://example.org/a\n"
    b"hyesan,forced_return,2024-01-01,3,41.40167,128.17778,https://example.org/b\n"
)


@pytest.fixture(scope="module")
def data():
    return build_view(load_dataset(CSV, "points.csv").events, ViewParams())


def test_wording():
    assert COUNTRY_UNCERTAIN == "country uncertain (on the border)"
    assert country_uncertain_text(1) == "1 event on the border, country uncertain"
    assert country_uncertain_text(1200) == "1,200 events on the border, country uncertain"


def test_table_says_country_uncertain_instead_of_a_blank_province(data):
    frame = table_frame(data.events, {"KP-10": "Ryanggang", "CN-JL": "Jilin"})
    assert frame.set_index("Event id")["Province(s)"].to_dict() == {
        "river": "country uncertain (on the border)",
        "hyesan": "Ryanggang",
    }


def test_popup_and_tooltip_say_country_uncertain(data):
    payload = event_payload(data.events, load_reference(), "en", aggregate=False)
    ids = data.events["event_id"].tolist()
    popups = {event_id: str(row[5]) for event_id, row in zip(ids, payload["ev"], strict=True)}
    tips = {event_id: str(row[6]) for event_id, row in zip(ids, payload["ev"], strict=True)}
    assert "<br>Country: country uncertain (on the border)" in popups["river"]
    assert " · country uncertain (on the border)" in tips["river"]
    assert "country uncertain" not in popups["hyesan"] + tips["hyesan"]
    # Drawn at its point like any point event.
    assert len(payload["pts"]["features"]) == 2


def test_exports_and_notes_carry_it(data):
    rows = export_frame(data.events).set_index("event_id")
    assert rows.loc["river", "country_uncertain"] == True  # noqa: E712 (numpy bool)
    assert rows.loc["river", "provinces"] == ""
    assert rows.loc["hyesan", "country_uncertain"] == False  # noqa: E712
    generated = dt.datetime(2025, 1, 1)
    readme = readme_text(data, "t", "http://localhost/", generated)
    assert "1 event on the border, country uncertain." in readme.splitlines()
    assert "1 event on the border, country uncertain." in data_note(data, 0, 1, generated)
