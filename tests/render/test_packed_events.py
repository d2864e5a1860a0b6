"""Many events: the page gets exact per-place, per-day groups whose size does not follow the events.

The groups are unpacked by ``events_layer.js``'s own functions (run in node) and compared with
sums computed directly with pandas from the events.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.aggregate import people_per_event
from geo.pipeline import build_view, dataset_from_events
from geo.reference import load_reference
from geo.view import ViewParams
from render.cells import CELL_DEGREES
from render.markup import to_js_json
from render.symbology import (
    MAX_CELL_RADIUS_PX,
    MIN_RADIUS_PX,
    RADIUS_SCALE,
    cell_legend_sizes,
    cell_radius_scale,
)
from render.webmap.build import build_map
from render.webmap.layers import packed
from render.webmap.layers.events import (
    day_numbers,
    event_payload,
    mapped_references,
)
from render.webmap.legend import legend_html
from tests.factories import make_events, synthetic_events

TEMPLATES = Path(__file__).resolve().parents[2] / "render" / "webmap" / "templates"
ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def unpacked(ev: dict) -> list[list]:
    """Return the rows ``events_layer.js`` unpacks from a packed ``ev`` (run in node)."""
    source = (TEMPLATES / "events_layer.js").read_text(encoding="utf-8")
    helpers = [
        re.search(rf"    function {name}\(.*?\n    \}}\n", source, re.DOTALL).group(0)
        for name in ("column", "unzig", "unpack")
    ]
    script = "".join(helpers) + f"console.log(JSON.stringify(unpack({json.dumps(ev)})));"
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def mixed_events():
    """Point events (shared cells and days, ranges, open highs, undated), provinces, border."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(400):
        kind = i % 5
        count = {"count_best": int(rng.integers(1, 900))}
        if kind == 1:
            count = {"count_low": 5, "count_best": 9, "count_high": 40 + i,
                     "count_qualifier": "unknown"}  # fmt: skip
        elif kind == 2:
            count = {"count_low": 100 + i, "count_best": 100 + i, "count_qualifier": "more_than"}
        rows.append({
            "event_id": f"p{i}", "date_start": f"2020-0{1 + i % 3}-0{1 + i % 4}",
            "lat": 40.1 + (i % 7) * 0.3, "lon": 124.4 + (i % 11) * 0.4, "provinces": "CN-LN",
            **count,
        })  # fmt: skip
    rows[7].update(date_start=None, date_end=None)  # undated: drawn at every cumulative step
    rows += [{**rows[0], "event_id": f"same{i}"} for i in range(20)]  # one cell, one day
    for i in range(30):
        rows.append({"event_id": f"a{i}", "date_start": f"2021-05-0{1 + i % 3}",
                     "count_best": i + 1, "geo_precision": "admin1", "map_level": "admin1",
                     "provinces": "CN-JL|CN-LN" if i % 2 else "CN-JL"})  # fmt: skip
        rows.append({"event_id": f"b{i}", "date_start": f"2022-02-0{1 + i % 2}",
                     "count_low": i, "count_high": 2 * i + 3, "count_qualifier": "unknown",
                     "geo_precision": "border", "map_level": "border"})  # fmt: skip
    return make_events(rows)


def expected_groups(refs: pd.DataFrame, members: pd.Series) -> dict:
    """Return, per place key and first day, ``[events, low, best, high or None]`` from pandas."""
    low, best = people_per_event(refs)
    frame = pd.DataFrame({
        "key": members, "day": day_numbers(refs).astype("float64"), "low": low, "best": best,
        "high": refs["count_high"].astype("float64"),
    }).dropna(subset=["key"])  # fmt: skip
    out = {}
    for (key, day), group in frame.groupby(["key", "day"], dropna=False):
        high = None if group["high"].isna().any() else int(group["high"].sum())
        out[(key, None if np.isnan(day) else int(day))] = [
            len(group), int(group["low"].sum()), int(group["best"].sum()), high
        ]
    return out


def shown_groups(rows: list[list], spans: dict) -> dict:
    """Return, per place key and first day, the sums of the page's unpacked rows listed there."""
    out: dict = {}
    for key, place_spans in spans.items():
        for start, end in place_spans:
            for day, low, best, high, _colour, n in rows[start:end]:
                was = out.get((key, day), [0, 0, 0, 0])
                both = None if None in (was[3], high) else was[3] + high
                out[(key, day)] = [was[0] + n, was[1] + low, was[2] + best, both]
    return out


@needs_node
def test_the_page_unpacks_exact_counts_per_cell_province_set_border_and_day(regions):
    data = build_view(mixed_events(), ViewParams(types=ALL_TYPES))
    payload = event_payload(data.events, regions, "en", aggregate=True)
    rows = unpacked(payload["ev"])
    refs = mapped_references(data.events).reset_index(drop=True)
    cell = (np.floor(refs["lon"] / CELL_DEGREES).astype("Int64").astype(str) + ","
            + np.floor(refs["lat"] / CELL_DEGREES).astype("Int64").astype(str))  # fmt: skip
    point = refs["map_level"].eq("point")
    keys = cell.where(point)
    expected = expected_groups(refs, keys)
    features = payload["pts"]["features"]
    cell_of = {}
    for feature in features:
        start, end = feature["properties"]["g"]
        lon, lat = feature["geometry"]["coordinates"]
        cell_of[f"{int(np.floor(lon / CELL_DEGREES))},{int(np.floor(lat / CELL_DEGREES))}"] = [
            [start, end]
        ]
    assert shown_groups(rows, cell_of) == expected
    assert len(features) == keys.nunique() < point.sum()
    # Provinces: each code lists the events naming it; the border its events.
    for code in ("CN-JL", "CN-LN"):
        named = refs["provinces"].str.split("|").map(lambda c, code=code: code in c)
        members = pd.Series("x", index=refs.index).where(refs["map_level"].eq("admin1") & named)
        assert shown_groups(rows, {"x": payload["adm"]["ev"][code]}) == expected_groups(
            refs, members
        )
    border = pd.Series("x", index=refs.index).where(refs["map_level"].eq("border"))
    assert shown_groups(rows, {"x": payload["bor"]["ev"]}) == expected_groups(refs, border)
    assert sum(r[5] for r in rows) == len(refs)  # every event in exactly one group
    assert payload["adm"]["col"] == {"CN-JL": 0, "CN-LN": 0}


def test_varints_and_zigzag_round_trip():
    values = np.array([0, 1, 127, 128, 16_383, 16_384, 2**31, 2**52 + 5], dtype=np.int64)
    data, out, at = packed.varints(values), [], 0
    while at < len(data):
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 127) << shift
            shift += 7
            if not byte & 128:
                break
        out.append(value)
    assert out == values.tolist()
    assert packed.zigzag(np.array([0, -1, 1, -2, 2, -300])).tolist() == [0, 1, 2, 3, 4, 599]


def test_the_map_of_100000_events_stays_under_a_megabyte(regions):
    events = dataset_from_events(synthetic_events(100_000), "synthetic", reference=regions).events
    data = build_view(events, ViewParams())
    payload = event_payload(data.events, regions, "en")
    assert payload["agg"] and payload["ev"]["count"] <= len(payload["pts"]["features"]) * 3650
    assert len(to_js_json(payload)) < 450_000
    page = build_map(data, regions).get_root().render()
    assert len(page.encode()) < 900_000


def test_cells_get_a_scale_on_which_the_largest_cell_fits_and_the_legend_shows_it(regions):
    data = build_view(mixed_events(), ViewParams(types=ALL_TYPES))
    payload = event_payload(data.events, regions, "en", aggregate=True)
    refs = mapped_references(data.events).reset_index(drop=True)
    points = refs[refs["map_level"].eq("point")]
    _, best = people_per_event(points)
    cells = [np.floor(points["lon"] / CELL_DEGREES), np.floor(points["lat"] / CELL_DEGREES)]
    largest = float(best.groupby(cells).sum().max())
    assert payload["cells"]["largest"] == largest
    scale = payload["cells"]["scale"]
    assert scale == min(RADIUS_SCALE, MAX_CELL_RADIUS_PX / largest**0.5)
    assert scale * largest**0.5 <= MAX_CELL_RADIUS_PX + 1e-9
    assert event_payload(data.events, regions, "en", aggregate=False)["cells"] is None

    legend = legend_html(["forced_return"], cells=payload["cells"], outside=0)
    assert "People in a grid cell (circle area)" in legend
    radii = [float(r) for r in re.findall(r'<circle[^>]* r="([\d.]+)"', legend)]
    for n in cell_legend_sizes(largest, scale):  # each size drawn on the cells' scale
        assert f">{n:,}<" in legend
        assert round(max(MIN_RADIUS_PX, scale * n**0.5), 1) in radii


def test_cell_legend_sizes_are_round_and_at_most_the_largest():
    assert cell_legend_sizes(0, RADIUS_SCALE) == ()
    assert cell_legend_sizes(7, RADIUS_SCALE) == (5,)
    assert cell_legend_sizes(480, RADIUS_SCALE) == (20, 200)  # 2 would draw as small as 20
    assert cell_legend_sizes(123_456, 1.0) == (1_000, 10_000, 100_000)
    assert cell_legend_sizes(123_456, 0.05) == (100_000,)  # 10,000: 5 px, at the smallest
    assert cell_radius_scale(0) == RADIUS_SCALE == cell_radius_scale(10)
    assert cell_radius_scale(40_000) == MAX_CELL_RADIUS_PX / 200
