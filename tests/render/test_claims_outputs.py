"""The claims about one event in every output: popup, events table, CSV/XLSX exports, notes."""

from __future__ import annotations

import csv
import datetime as dt
import html

import openpyxl
import pytest

from cli.main import format_summary
from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports.data import export_data
from render.webmap.layers.events import event_payload, mapped_references
from tests.factories import shipped_events
from webapp.events_table import table_frame

APRIL_2024 = "2024-04-26-forced-return-hrw"
MASS_RETURN = "2023-10-09-forced-return-hrw2024"
CONFLICT = "counts disagree: “50 to 60” (NK Insider) vs “over 200” (KBS World)"


@pytest.fixture(scope="module")
def april():
    view = ViewParams(start=dt.date(2024, 4, 26), end=dt.date(2024, 4, 26), match="within")
    return build_view(shipped_events(), view)


@pytest.fixture(scope="module")
def october():
    view = ViewParams(start=dt.date(2023, 10, 9), end=dt.date(2023, 10, 9), match="within")
    return build_view(shipped_events(), view)


def _popups(data) -> dict[str, str]:
    payload = event_payload(data.events, load_reference(), "en", aggregate=False)
    refs = mapped_references(data.events)
    return dict(zip(refs["event_id"], (html.unescape(ev[5]) for ev in payload["ev"]), strict=True))


def test_popup_shows_the_conflict_and_the_claims_side_by_side(april):
    popup = _popups(april)[APRIL_2024]
    assert f'<b class="bem-conflict">Sources disagree</b>: {CONFLICT}' in popup
    assert "<th>Source</th><th>Said</th><th>Number</th><th>Date</th><th>Place</th>" in popup
    assert (
        "<tr><td>KBS World</td><td>over 200</td><td>more than 200</td><td>26 April 2024</td>"
        "<td>Changbai</td></tr>"
    ) in popup
    assert "<td>NK Insider</td><td>50 to 60</td><td>50 to 60</td>" in popup
    assert "Support: 4 independent sources" in popup


def test_popup_of_the_mass_return_names_each_place_with_its_sources(october):
    popup = _popups(october)[MASS_RETURN]
    assert "Where (named by these sources): Nanping: AFP, Korea JoongAng Daily, Radio Free" in popup
    assert "; Tumen: Daily NK, The Economist, Korea JoongAng Daily, Radio Free Asia, " in popup
    assert "; Changbai: Korea JoongAng Daily, Radio Free Asia, rapidnewshub.com;" in popup
    assert "<td>The Economist</td><td>300</td><td>300 (part of the event)</td>" in popup


def test_the_mass_return_is_drawn_once_at_each_place(october):
    payload = event_payload(october.events, load_reference(), "en", aggregate=False)
    assert len(payload["ev"]) == 1  # one event: counted once by the slider and the totals
    features = payload["pts"]["features"]
    assert len(features) == 11 and {f["properties"]["i"] for f in features} == {0}
    dandong = [f for f in features if f["geometry"]["coordinates"] == [124.3947, 40.1292]]
    assert len(dandong) == 1
    assert payload["bor"]["ev"] == []  # no longer a band along the whole border


def test_single_source_in_popup_and_tooltip():
    data = build_view(shipped_events(), ViewParams())
    payload = event_payload(data.events, load_reference(), "en", aggregate=False)
    refs = mapped_references(data.events)
    texts = dict(zip(refs["event_id"], payload["ev"], strict=True))
    women = texts["2013-01-forced-return-yanji-12-women-chosun"]
    assert "Support: 1 independent source (single source)" in women[5]
    assert women[6].endswith(" · single source")


def test_events_table_marks_conflict_and_support(april):
    frame = table_frame(april.events, {}).set_index("Event id")
    assert frame.loc[APRIL_2024, "Conflicting claims"] == CONFLICT
    assert frame.loc[APRIL_2024, "Independent sources"] == 4
    assert frame.loc[APRIL_2024, "Support"] == ""
    assert frame.loc[APRIL_2024, "Other claims"] == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_mark_the_conflict(april, tmp_path, fmt):
    out = export_data(april, tmp_path / f"events.{fmt}", fmt=fmt)
    if fmt == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    else:
        sheet = openpyxl.load_workbook(out, read_only=True)["events"]
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    by_id = {row["event_id"]: row for row in rows}
    assert len(rows) == 4  # the reference row and its three claims
    reference = by_id[APRIL_2024]
    assert reference["conflict"] == CONFLICT
    assert str(reference["independent_sources"]) == "4"
    assert str(reference["single_source"]) in ("False", "FALSE", "false")
    assert (str(reference["lowest_claim"]), str(reference["highest_claim"])) == ("50", "200")
    assert reference["places_from_claims"] == "cn-changbai|cn-tumen|cn-hunchun|cn-dandong"
    assert by_id["2024-04-26-forced-return-kbs"]["cites"] == (
        "North Korean People's Liberation Front"
    )


def test_cli_summary_notes_conflicts_and_spread(april):
    text = format_summary(april.summary)
    assert (
        "1 event has conflicting claims; over every event's claims, the total runs from 50 "
        "(each event's lowest claim) to 200 (its highest)"
    ) in text.splitlines()
