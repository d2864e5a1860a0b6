"""Issue 10's breaks through the running app: uploads, links and two sessions at once.

Each hostile file found by the attack (tests/adversarial/test_work_budgets.py and
test_library_edges.py read the same files in process and through the command line) is uploaded
in the browser: the page names the problem (in its validation report, downloaded as a user
would) and never shows a traceback, while a second browser session loads and redraws. A link
with dates outside 1900–2100 shows a notice; two sessions saving the same file at once both
succeed, each a dataset of its own, the bytes kept once. The waits are hang guards, not speed
limits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from geo.parse.counts import MAX_COUNT
from geo.parse.dates import ACCEPTED_DATES
from storage.store import open_store
from tests.adversarial.corpus import (
    csv_one_field_rows,
    geojson_distinct_keys,
    geojson_lone_surrogate,
    geojson_long_integer,
    xlsx_duplicate_sheet_names,
    xlsx_far_column,
)
from tests.e2e.steps import upload, wait_idle
from tests.e2e.test_app_e2e import (
    MAP_CONTENT_JS,
    expected_figures,
    open_app,
    shown_figures,
    wait_for_figures,
)
from webapp.app_store import LOCAL_USER

pytestmark = pytest.mark.e2e
#: A hang guard for one upload's validation (the attack's files took minutes before).
HANG_MS = 60_000
GOOD = "e1,2023-10-09,about 60,40.12,124.38,https://example.org/a\n"
CSV_HEADER = "event_id,date,count_text,lat,lon,source_url\n"
OUTSIDE_DATES = f"is outside the dates this tool accepts ({ACCEPTED_DATES})"


def csv_with(**cells: str) -> bytes:
    values = dict(zip(CSV_HEADER.strip().split(","), GOOD.strip().split(","), strict=True))
    return (CSV_HEADER + ",".join({**values, **cells}.values()) + "\n").encode()


#: (file name, its bytes, a piece of the problem the report names). The files are the attack's
#: smallest variants (2.3 MB of GeoJSON keys, 56 KB of XLSX); the command line reads the largest
#: too, with its peak memory (tests/adversarial/test_work_budgets.py).
REPRODUCTIONS: list[tuple[str, Callable[[], bytes], str]] = [
    ("keys.geojson", lambda: geojson_distinct_keys(20_000),
     "The file's features have more than 200 different property names"),
    ("far-column.xlsx", lambda: xlsx_far_column(1_000),
     "outside the 1,000,000 rows and 200 columns (A to GR) this tool reads"),
    ("count.csv", lambda: csv_with(count_text="9" * 4301),
     f"is larger than any count of people ({MAX_COUNT:,})"),
    ("integer.geojson", lambda: geojson_long_integer(5_000),
     "holds a number of 5,000 digits; at most 100 digits are read"),
    ("coordinate.csv", lambda: csv_with(lat="4" * 4000),
     "lat must be a number in decimal degrees (e.g. 40.1)"),
    ("surrogate.geojson", lambda: geojson_lone_surrogate(),
     "holds an unpaired surrogate escape (\\ud800 to \\udfff in the JSON)"),
    ("date-0001.csv", lambda: csv_with(date="0001-01-01"), f"'0001-01-01' {OUTSIDE_DATES}"),
    ("date-9999.csv", lambda: csv_with(date="9999"), f"'9999' {OUTSIDE_DATES}"),
    ("sheets.xlsx", lambda: xlsx_duplicate_sheet_names(),
     "The workbook has more than one sheet named 'S' (hidden sheets count too)"),
    ("short-rows.csv", lambda: csv_one_field_rows(20_000),
     "date has the same kind of error in 18,999 more rows up to row 20,001"),
]  # fmt: skip
def report_rows(page) -> list[dict[str, str]]:
    """Download the upload's validation report as a user would; return its rows."""
    with page.expect_download(timeout=HANG_MS) as download:
        page.get_by_role("button", name="Download the report (CSV)").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def no_traceback(page) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and 'File "/' not in text
    assert page.get_by_test_id("stException").count() == 0


def test_each_break_is_named_in_the_browser_while_a_second_session_works(browser, page, app_url):
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    second = other.new_page()
    try:
        open_app(page, app_url)
        for n, (name, build, problem) in enumerate(REPRODUCTIONS):
            upload(page, name, build())
            if n == 0:  # the largest file: a second session loads and draws meanwhile
                second.goto(f"{app_url}/?start=2023-01-01&end=2023-12-31")
                wait_for_figures(second, expected_figures("2023-01-01", "2023-12-31"))
                second.wait_for_function(MAP_CONTENT_JS, timeout=HANG_MS)
            page.get_by_text(f"{name}: 0 of").wait_for(timeout=HANG_MS)
            wait_idle(page)
            no_traceback(page)
            assert "not saved" in page.get_by_test_id("stAlert").first.inner_text()
            messages = [r["problem"] for r in report_rows(page)]
            assert any(problem in m for m in messages), (name, messages[:5])
        no_traceback(second)
        assert page.watch.blocked == []
    finally:
        other.close()


def test_a_link_with_dates_outside_1900_to_2100_shows_a_notice(page, app_url):
    open_app(page, f"{app_url}/?start=0001-01-01&end=9999-12-31")
    notices = page.get_by_test_id("stAlert").all_inner_texts()
    assert any("0001-01-01" in n and ACCEPTED_DATES in n for n in notices), notices
    assert any("9999-12-31" in n for n in notices), notices
    assert shown_figures(page) == expected_figures()  # the default view, not a crash
    no_traceback(page)


def test_a_dataset_at_the_edges_of_the_accepted_dates_maps_and_slides(page, app_url):
    open_app(page, app_url)
    data = (CSV_HEADER + GOOD.replace("2023-10-09", "1900-01-01")
            + GOOD.replace("e1,2023-10-09", "e2,2100-12-31")).encode()  # fmt: skip
    upload(page, "edges.csv", data)
    page.get_by_text("edges.csv: 2 of 2 rows valid and mapped").wait_for(timeout=HANG_MS)
    wait_idle(page)
    slider = page.locator(".st-key-date_range").inner_text()
    assert "1900-01-01" in slider and "2100-12-31" in slider
    assert shown_figures(page)["Events"] == "2"
    no_traceback(page)


def test_two_sessions_saving_the_same_file_at_once_both_succeed(browser, page, app_server):
    app_url = app_server.url
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    second = other.new_page()
    data = (CSV_HEADER + GOOD + GOOD.replace("e1,", "e2,")).encode()
    try:
        for each in (page, second):
            open_app(each, app_url)
        upload(page, "same.csv", data)  # each returns once the file is given: both upload and
        upload(second, "same.csv", data)  # save in their own sessions at once
        for each in (page, second):
            each.get_by_text("same.csv: 2 of 2 rows valid and mapped").wait_for(timeout=HANG_MS)
            wait_idle(each)
            assert "Dataset: same.csv" in each.locator("body").inner_text()
            no_traceback(each)
        store = open_store(app_server.workspace)
        try:
            saved = [
                d for d in store.list_datasets(store.ensure_user(LOCAL_USER).id)
                if d.name == "same.csv"
            ]  # fmt: skip
            assert len(saved) == 2, saved  # each upload its own dataset
            contents = {store.versions(d.owner_id, d.id)[0].sha256 for d in saved}
            assert len(contents) == 1  # the same bytes, kept once
        finally:
            store.close()
    finally:
        other.close()
