"""Missing-value look-alikes stay text, leading zeros stay, duplicates are named."""

import pytest

from geo.errors import Problem
from geo.validate import load_events
from tests.adversarial.corpus import (
    HEADER,
    csv_bytes,
    feature,
    geojson_bytes,
    point,
    props,
    row,
    xlsx_bytes,
)

LOOK_ALIKES = ["N/A", "NA", "n/a", "None", "null", "NULL", "nan", "NaN", "#N/A", "-", "?", "0"]


def files(rows):
    """The same rows as CSV, XLSX and GeoJSON (the location as a point for GeoJSON)."""
    features = [
        feature(props(**dict(zip(HEADER, r, strict=True))), point(126.9, 41.8)) for r in rows
    ]
    for f in features:
        del f["properties"]["admin1_codes"]
    return {
        "a.csv": csv_bytes(rows),
        "a.xlsx": xlsx_bytes(rows),
        "a.geojson": geojson_bytes(features),
    }


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx", "a.geojson"])
def test_missing_value_look_alikes_stay_text(name):
    rows = [row(event_id=f"id-{t}", notes=t) for t in LOOK_ALIKES]
    result = load_events(files(rows)[name], name)
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.events["notes"].tolist() == LOOK_ALIKES
    assert result.events["event_id"].tolist() == [f"id-{t}" for t in LOOK_ALIKES]


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx", "a.geojson"])
def test_leading_zeros_are_kept(name):
    rows = [row(event_id="007", count_text="007", notes="0012"), row(event_id="7", notes="12")]
    result = load_events(files(rows)[name], name)
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.events["event_id"].tolist() == ["007", "7"]
    assert result.events["count_text"].tolist() == ["007", "60"]
    assert result.events["count_best"].tolist() == [7, 60]
    assert result.events["notes"].tolist() == ["0012", "12"]


def test_look_alike_in_a_required_column_is_a_value_not_a_gap():
    # "N/A" as a date is refused as a date, not silently treated as a missing date.
    result = load_events(csv_bytes([row(date="N/A"), row(event_id="e2", source_url="null")]))
    errors = [(p.row, p.column, p.value) for p in result.problems if p.severity == "error"]
    assert errors == [(2, "date", "N/A"), (3, "source_url", "null")]
    assert result.problems[1].message == (
        "source_url must be an http:// or https:// link (or name the organisation in source_org)"
    )


class TestDuplicates:
    def load(self, rows):
        return load_events(csv_bytes(rows), "a.csv")

    def test_exact_duplicate_row(self):
        result = self.load([row(), row()])
        assert result.problems == [
            Problem(3, "event_id", "e1", "error", "duplicate event_id; first used on row 2"),
            Problem(3, "", "e1", "warning", "same content as row 2 (a duplicate row?)"),
        ]
        assert result.valid == 1

    def test_same_content_under_another_id(self):
        result = self.load([row(), row(event_id="e2")])
        assert result.problems == [
            Problem(3, "", "e2", "warning", "same content as row 2 (a duplicate row?)")
        ]
        assert result.valid == 2

    @pytest.mark.parametrize(
        "changes",
        [
            {"notes": "OK"},
            {"notes": "  ok  "},
            {"admin1_codes": "cn-jl"},
            {"source_url": "HTTPS://EXAMPLE.ORG/A"},
            {"count_text": " 60"},
        ],
    )
    def test_case_and_spacing_variants(self, changes):
        result = self.load([row(), row(event_id="e2", **changes)])
        assert result.problems == [
            Problem(3, "", "e2", "warning", "same content as row 2 (a duplicate row?)")
        ]

    def test_inner_spacing_variants(self):
        result = self.load([row(notes="a b"), row(event_id="e2", notes="a \t b")])
        assert [p.message for p in result.problems] == ["same content as row 2 (a duplicate row?)"]

    def test_same_event_id_with_different_content(self):
        result = self.load([row(), row(notes="other", count_text="70"), row(event_id="e3")])
        assert result.problems == [
            Problem(3, "event_id", "e1", "error", "duplicate event_id; first used on row 2"),
            Problem(4, "", "e3", "warning", "same content as row 2 (a duplicate row?)"),
        ]
        assert result.events["event_id"].tolist() == ["e1", "e3"]
        assert result.events["count_best"].tolist() == [60, 60]

    def test_event_id_case_variants_are_different_ids(self):
        result = self.load([row(), row(event_id="E1", notes="2")])
        assert result.problems == []

    def test_same_event_as_links(self):
        header = HEADER + ("same_event_as",)
        links = {"e1": "", "e2": "e1", "e3": "e3", "e4": "e9"}
        rows = [row(event_id=k, notes=k) + (v,) for k, v in links.items()]
        result = load_events(csv_bytes(rows, header=header), "a.csv")
        assert result.problems == [
            Problem(4, "same_event_as", "e3", "error", "same_event_as names the row's own "
                    "event_id"),
            Problem(5, "same_event_as", "e9", "error", "same_event_as names no event_id in "
                    "this file, so this claim would count in no total; correct it, or empty it "
                    "to count this row as an event of its own"),
        ]  # fmt: skip
