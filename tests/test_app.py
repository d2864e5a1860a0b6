"""The Streamlit app under AppTest: loads, filters by key, restores views, reports uploads."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest
from streamlit.runtime.state.session_state_proxy import SessionStateProxy
from streamlit.testing.v1 import AppTest

from geo.parse.dates import ACCEPTED_DATES
from geo.reference.schema import DATE_MAX, DATE_MIN
from render.wording import assumed_type_text
from webapp.export_panel import EXTENT_BORDER, EXTENT_SCREEN, NO_BOUNDS_NOTE
from webapp.figures import headline_figures
from webapp.map_view import BOUNDS_KEY, MAP_HEIGHT, PRESENTATION_HEIGHT
from webapp.markdown_text import plain
from webapp.page_tabs import TABS_KEY

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BAD_CSV = (
    b"date,count,place,source_url\n"
    b"2023-10-09,about 60,Dandong,https://example.org/a\n"
    b"not a date,5,Nowhere,ftp://example.org/x\n"
)


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    return tmp_path / "workspace"


def app_store_of(workspace: Path):
    """The store the app uses in ``workspace``, and the local user's id."""
    from webapp.app_store import LOCAL_USER, app_store

    store = app_store()
    assert Path(store.engine.url.database).parent == workspace.resolve()
    return store, store.ensure_user(LOCAL_USER).id


@functools.cache
def shipped_joined():
    from geo.join import join_events
    from geo.reference import load_reference
    from tests.factories import shipped_validation

    return join_events(shipped_validation().events, load_reference())


def expected_figures(start: str | None = None, end: str | None = None) -> dict[str, str]:
    """The headline figures the CLI's code path gives for the same view."""
    from geo.pipeline import build_view
    from geo.view import ViewParams

    view = ViewParams(
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
    )
    return headline_figures(build_view(shipped_joined(), view).summary)


def shown_figures(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def run(at: AppTest) -> AppTest:
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_loads_then_date_range_and_preset_change_figures_to_summary_values():
    at = run(AppTest.from_file(APP))
    assert shown_figures(at) == expected_figures()
    assert not at.query_params and not at.warning
    at.slider(key="date_range").set_value((dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    run(at)
    assert shown_figures(at) == expected_figures("2023-01-01", "2023-12-31")
    assert shown_figures(at) != expected_figures()
    assert at.query_params["start"] == "2023-01-01"
    assert at.query_params["end"] == "2023-12-31"
    assert at.selectbox(key="preset").value == "2023"  # the dates of a preset show it
    at.slider(key="date_range").set_value((dt.date(2023, 1, 1), dt.date(2023, 11, 30)))
    run(at)
    assert at.selectbox(key="preset").value == "Custom range"
    at.selectbox(key="preset").set_value("2021")
    run(at)
    assert at.slider(key="date_range").value == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert shown_figures(at) == expected_figures("2021-01-01", "2021-12-31")


def test_the_view_follows_the_slider_when_a_stale_value_shares_its_key(monkeypatch):
    """Streamlit's ``to_dict()`` can return a previous slider's value under ``date_range``.

    After a dataset switch the slider is a new widget (its span changed); a late report of the
    old map sends the old slider's value back, and ``session_state.to_dict()`` maps both widget
    ids to the one key. The view must follow the slider the page drew.
    """
    at = run(AppTest.from_file(APP))
    at.slider(key="date_range").set_value((dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    run(at)
    whole = (dt.date(1900, 1, 1), dt.date(2100, 1, 1))  # the old slider's span: no date filter
    to_dict = SessionStateProxy.to_dict
    monkeypatch.setattr(
        SessionStateProxy, "to_dict", lambda self: {**to_dict(self), "date_range": whole}
    )
    run(at)
    assert shown_figures(at) == expected_figures("2023-01-01", "2023-12-31")


def map_args(at: AppTest) -> dict:
    (element,) = [e for e in at.get("component_instance") if "st_folium" in e.proto.component_name]
    return json.loads(element.proto.json_args)


def test_map_uses_local_assets_and_sends_back_only_its_view():
    at = run(AppTest.from_file(APP))
    args = map_args(at)
    leaflet, bundle = args["js_links"]  # Leaflet, then the map's code and fixed geometry
    assert leaflet == "/app/static/vendor/leaflet.js"
    assert re.fullmatch(r"/app/static/vendor/data/map-[0-9a-f]{20}\.js", bundle)
    assert args["css_links"] == ["/app/static/vendor/leaflet.css"]
    # extent, zoom and centre change together (a pan or zoom), the slider's date and mode on
    # release (selected_tags, webapp.map_view): a click reruns nothing
    assert args["returned_objects"] == ["bounds", "zoom", "center", "selected_tags"]
    assert args["height"] == MAP_HEIGHT
    assert "L.map(" in args["script"]
    served = Path(APP).parent / "static" / "vendor"
    assert (served / "leaflet.js").stat().st_size > 100_000
    code = (served / bundle.removeprefix("/app/static/vendor/")).read_text(encoding="utf-8")
    assert "function bemEventsLayer(" in code
    assert "function bemEventsLayer(" not in args["script"]
    at.toggle(key="present").set_value(True)
    run(at)
    assert map_args(at)["height"] == PRESENTATION_HEIGHT
    assert at.query_params["present"] == "1"


def test_query_parameters_restore_the_view():
    at = AppTest.from_file(APP)
    for name, value in {
        "start": "2023-01-01",
        "end": "2023-12-31",
        "types": "forced_return,report",
        "provinces": "CN-JL",
        "match": "within",
        "mode": "date",
        "basemap": "osm",
        "lang": "ko",
        "present": "1",
    }.items():
        at.query_params[name] = value
    run(at)
    assert at.slider(key="date_range").value == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert at.multiselect(key="types").value == ["forced_return", "report"]
    assert at.multiselect(key="provinces").value == ["CN-JL"]
    assert at.radio(key="match").value == "within"
    assert at.radio(key="mode").value == "date"
    assert at.selectbox(key="basemap").value == "osm"
    assert at.selectbox(key="lang").value == "ko"
    assert at.toggle(key="present").value is True
    assert not at.warning


def test_linked_2023_figures_match_the_summary_command(capsys):
    from cli.main import main

    assert main(["summary", "--start", "2023-01-01", "--end", "2023-12-31", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert main(["summary", "--start", "2023-01-01", "--end", "2023-12-31"]) == 0
    cli_lines = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines()[:4])
    at = AppTest.from_file(APP)
    at.query_params["start"] = "2023-01-01"
    at.query_params["end"] = "2023-12-31"
    run(at)
    shown = shown_figures(at)
    assert shown == expected_figures("2023-01-01", "2023-12-31")
    assert shown["Events"] == str(cli["events"]) == cli_lines["Events"]
    assert shown["People returned"] == cli_lines["People"]


def test_invalid_query_value_falls_back_with_notice():
    at = AppTest.from_file(APP)
    at.query_params["start"] = "2023-13-45"
    at.query_params["basemap"] = "google"
    run(at)
    notices = " ".join(w.value for w in at.warning)
    assert plain("start='2023-13-45'") in notices and plain("basemap='google'") in notices
    assert at.selectbox(key="basemap").value == "none"
    assert shown_figures(at) == expected_figures()


def test_query_values_are_shown_as_text_not_markdown():
    at = AppTest.from_file(APP)
    at.query_params["lang"] = "[click](https://evil.example)"
    run(at)
    (notice,) = [w.value for w in at.warning]
    assert "[click](https" not in notice and plain("[click](https://evil.example)") in notice


def test_bad_upload_shows_its_report_is_saved_and_survives_restart(workspace):
    at = run(AppTest.from_file(APP))
    at.file_uploader(key="upload").upload("mine.csv", BAD_CSV, "text/csv")
    run(at)
    columns = ["row", "column", "value", "severity", "problem"]
    (report,) = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    assert set(report["row"]) == {0, 3}  # 0: no event_type column, every row read as forced_return
    assert report["problem"][0].startswith("the file has no event_type column: each of its 2 rows")
    assert {"date", "place", "source_url"} <= set(report["column"])
    assert "ftp://example.org/x" in set(report["value"])
    assert "1 of 2 rows valid" in at.warning[0].value
    assert shown_figures(at)["Events"] == "1"
    assert shown_figures(at)["People returned"].startswith("at least 60")
    assert assumed_type_text(1) + "." in [c.value for c in at.caption]
    store, local = app_store_of(workspace)
    (saved,) = store.list_datasets(local)
    assert store.read_version(local, saved.id) == BAD_CSV
    assert saved.name == "mine.csv" and not saved.public

    restarted = run(AppTest.from_file(APP))  # a new session: only the store remembers
    assert restarted.selectbox(key="dataset").value == "shipped"
    assert any("mine.csv" in label for label in restarted.selectbox(key="dataset").options)
    restarted.selectbox(key="dataset").set_value(saved.id)
    run(restarted)
    assert shown_figures(restarted)["Events"] == "1"
    restarted.button(key="delete_dataset").click()
    run(restarted)
    assert restarted.selectbox(key="dataset").value == "shipped"
    assert store.list_datasets(local) == []
    assert [d.id for d in store.deleted_datasets(local)] == [saved.id]  # restorable for 30 days


def test_an_upload_is_read_as_the_format_chosen(workspace):
    acled = (Path(__file__).parent / "data" / "real" / "acled_2023_layout.csv").read_bytes()
    at = run(AppTest.from_file(APP))
    assert at.selectbox(key="read_as").value == "auto"
    at.file_uploader(key="upload").upload("acled.csv", acled, "text/csv")
    run(at)
    assert shown_figures(at)["Events"] == "5"  # one of them in Iran, outside the map area
    report = [d.value for d in at.dataframe if "problem" in d.value.columns][0]
    assert report["value"][0] == "an ACLED export (2023 layout)"

    at.selectbox(key="read_as").set_value("schema")
    run(at)
    report = [d.value for d in at.dataframe if "problem" in d.value.columns][0]
    assert any(m.startswith("the file has no column giving a date") for m in report["problem"])
    assert "0 of 5 rows valid" in at.error[0].value and "was not saved" in at.error[0].value
    store, local = app_store_of(workspace)
    (saved,) = store.list_datasets(local)  # only the first reading was saved
    assert store.versions(local, saved.id)[0].read_as == "auto"


def test_a_google_my_maps_kmz_upload_is_read_and_saved(workspace):
    from webapp.uploads import UPLOAD_TYPES

    assert {"kml", "kmz"} <= set(UPLOAD_TYPES)
    kmz = (Path(__file__).parent / "data" / "real" / "google_my_maps_layer.kmz").read_bytes()
    at = run(AppTest.from_file(APP))
    at.file_uploader(key="upload").upload("returns.kmz", kmz, "application/vnd.google-earth.kmz")
    run(at)
    assert "5 of 6 rows valid" in at.warning[0].value
    columns = ["row", "column", "value", "severity", "problem"]
    (report,) = [d.value for d in at.dataframe if list(d.value.columns) == columns]
    assert report["problem"][0].startswith("read as a KMZ file (Google My Maps / Google Earth)")
    assert set(report.loc[report["severity"] == "error", "row"]) == {6}
    store, local = app_store_of(workspace)
    (saved,) = store.list_datasets(local)
    assert store.read_version(local, saved.id) == kmz and saved.name == "returns.kmz"


def test_an_upload_past_its_time_budget_is_refused_saying_why(workspace, monkeypatch):
    from geo import budget

    monkeypatch.setattr(budget, "VALIDATION_SECONDS", 0.05)
    from tests.adversarial.corpus import csv_unknown_places

    at = run(AppTest.from_file(APP))
    at.file_uploader(key="upload").upload("slow.csv", csv_unknown_places(20_000), "text/csv")
    run(at)
    (error,) = [e.value for e in at.error]
    assert "csv: 0 of 0 rows valid; 1 problem(s)." in error  # the name as Markdown-safe text
    assert "the file was not saved. Checking this file took longer than 0" in error
    assert "split it into smaller files" in error
    assert shown_figures(at) == expected_figures()  # the shipped data stays shown
    store, local = app_store_of(workspace)
    assert store.list_datasets(local) == []


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open the page's tab ``label`` (its content is drawn only while open) and rerun."""
    at.session_state[TABS_KEY] = label
    return run(at)


def test_tabs_draw_only_the_open_tab_and_keep_the_export_fields():
    at = run(AppTest.from_file(APP))
    assert [t.label for t in at.tabs] == ["Events", "Cross-checks", "Export"]
    assert [d for d in at.dataframe if "Event id" in d.value.columns]  # the tab open first
    assert not [r for r in at.radio if r.key == "export_extent"]  # the export panel: not drawn
    open_tab(at, "Export")
    assert not [d for d in at.dataframe if "Event id" in d.value.columns]
    at.selectbox(key="export_format").set_value("pdf")
    at.text_input(key="export_title").set_value("For the board")
    run(at)
    open_tab(at, "Events")
    assert not [r for r in at.radio if r.key == "export_extent"]
    open_tab(at, "Export")
    assert at.selectbox(key="export_format").value == "pdf"
    assert at.text_input(key="export_title").value == "For the board"
    # The browser dropped the closed fields: their values are sent again, not the defaults.
    assert at.text_input(key="export_title").proto.set_value
    assert at.selectbox(key="export_format").proto.set_value


def test_export_uses_the_extent_shown_on_screen():
    at = open_tab(run(AppTest.from_file(APP)), "Export")
    extent = at.radio(key="export_extent")
    assert extent.options == [EXTENT_SCREEN, EXTENT_BORDER] and extent.value == EXTENT_SCREEN
    assert NO_BOUNDS_NOTE in [c.value for c in at.caption]  # no browser: nothing reported
    # What st_folium reports after the user zoomed to the Tumen area.
    at.session_state[BOUNDS_KEY] = {
        "_southWest": {"lat": 42.0, "lng": 128.9},
        "_northEast": {"lat": 43.2, "lng": 130.8},
    }
    run(at)
    assert NO_BOUNDS_NOTE not in [c.value for c in at.caption]
    assert not at.exception


def guarded_script():
    """A page under ``run_guarded``: stops, reruns or fails as ``st.query_params`` say."""
    import streamlit as st

    from webapp.errors import run_guarded

    def body() -> None:
        st.session_state["runs"] = st.session_state.get("runs", 0) + 1
        st.write("before")
        action = st.query_params.get("action")
        if action == "stop":
            st.stop()
        if action == "rerun" and st.session_state["runs"] == 1:
            st.rerun()
        if action == "fail":
            raise OSError(2, "No such file or directory", "/srv/secret/path.csv")
        st.write("after")

    run_guarded(body)


def guarded(action: str) -> AppTest:
    at = AppTest.from_function(guarded_script)
    at.query_params["action"] = action
    at.run(timeout=30)
    return at


def test_error_boundary_lets_st_stop_through():
    at = guarded("stop")
    assert [m.value for m in at.markdown] == ["before"]
    assert not at.error and not at.exception


def test_error_boundary_lets_st_rerun_through():
    at = guarded("rerun")
    assert at.session_state["runs"] == 2
    assert [m.value for m in at.markdown] == ["before", "after"]
    assert not at.error and not at.exception


def test_error_boundary_shows_a_reference_and_logs_the_traceback(caplog):
    caplog.set_level("ERROR", logger="border_map.app")
    at = guarded("fail")
    assert not at.exception
    (error,) = at.error
    match = re.search(r"reference \*\*([0-9a-f]{8})\*\*", error.value)
    assert match and "/srv/secret" not in error.value and "OSError" not in error.value
    (record,) = [r for r in caplog.records if r.name == "border_map.app"]
    assert match.group(1) in record.getMessage()
    assert record.exc_info and "/srv/secret/path.csv" in str(record.exc_info[1])


def test_the_app_runs_without_an_error_message():
    at = run(AppTest.from_file(APP))
    assert not at.error


def notices_of(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def test_a_link_with_an_extreme_date_shows_a_notice_never_a_crash():
    at = AppTest.from_file(APP)
    at.query_params["start"] = "0001-01-01"
    run(at)
    notices = notices_of(at)
    assert plain("Ignored start='0001-01-01'") in notices
    assert plain(f"from {ACCEPTED_DATES}") in notices
    assert shown_figures(at) == expected_figures()
    assert DATE_MIN <= at.slider(key="date_range").value[0]
    run(at)  # the next rerun, with the link still in the address bar
    assert shown_figures(at) == expected_figures()


def test_a_link_with_ten_thousand_copies_of_a_province_shows_a_notice():
    at = AppTest.from_file(APP)
    at.query_params["provinces"] = ",".join(["CN-JL"] * 10_000)
    run(at)
    assert plain("Ignored provinces: its value is 59,999 characters long") in notices_of(at)
    assert at.multiselect(key="provinces").value == []
    assert shown_figures(at) == expected_figures()


def test_repeated_linked_provinces_count_once():
    at = AppTest.from_file(APP)
    at.query_params["provinces"] = "CN-JL,CN-JL,KP-09,CN-JL"
    run(at)
    assert at.multiselect(key="provinces").value == ["CN-JL", "KP-09"] and not at.warning


EDGE_CSV = (
    b"date,count,place,source_url\n"
    b"1900-01-01,5,Dandong,https://example.org/a\n"
    b"2100-12-31,7,Sinuiju,https://example.org/b\n"
)


def test_events_at_the_edges_of_the_accepted_dates_render_the_slider():
    at = run(AppTest.from_file(APP))
    at.file_uploader(key="upload").upload("edges.csv", EDGE_CSV, "text/csv")
    run(at)
    assert at.slider(key="date_range").value == (DATE_MIN, DATE_MAX)
    assert shown_figures(at)["Events"] == "2"
    at.slider(key="date_range").set_value((DATE_MIN, dt.date(1950, 1, 1)))
    run(at)
    assert shown_figures(at)["Events"] == "1"
    assert at.query_params["end"] == "1950-01-01" and "start" not in at.query_params


def test_a_dataset_saved_with_dates_beyond_the_range_still_opens(workspace):
    # Validated before dates were bounded: years 1 and 9999 are in its cached events.
    import pandas as pd

    from geo.validate import load_events
    from webapp.events_cache import Counts, EventsCache

    result = load_events(EDGE_CSV, "old.csv")
    events = result.events.copy()
    days = pd.Series([pd.Timestamp("0001-01-01"), pd.Timestamp("9999-12-31")])
    events["date_start"] = events["date_end"] = days.astype("datetime64[us]")
    store, local = app_store_of(workspace)
    saved = store.create_dataset(local, EDGE_CSV + b"#", "old.csv")
    version = store.versions(local, saved.id)[0]
    EventsCache(workspace).put(version.sha256, "auto", events, Counts(result.rows, 2, 0))
    at = run(AppTest.from_file(APP))
    at.selectbox(key="dataset").set_value(saved.id)
    run(at)
    assert at.slider(key="date_range").value == (DATE_MIN, DATE_MAX)
    assert shown_figures(at)["Events"] == "2"


def test_cross_checks_tab_shows_verdicts_with_human_labels():
    """HRW's 670, 406 and 1,076 in the Cross-checks tab, worded as the CLI words them."""
    from geo.pipeline import build_view
    from geo.view import ViewParams
    from webapp.cross_checks import cross_check_markdown

    at = open_tab(run(AppTest.from_file(APP)), "Cross-checks")
    tab = next(t for t in at.tabs if t.label == "Cross-checks")
    text = "\n".join(m.value for m in tab.markdown)
    summary = build_view(shipped_joined(), ViewParams()).summary
    checks = {c.event_id: c for c in summary.cross_checks}
    for report in (
        "2024-05-08-report-hrw-670-since-2020",
        "2025-10-15-report-hrw406",
        "2025-10-15-report-hrw1076",
    ):
        assert cross_check_markdown(checks[report]) in text
    assert plain("events exceed the report by 168: these events were reported separately") in text
    for label in ("Reported", "Events in its period", "Events' total", "Verdict"):
        assert f"**{label}:**" in text
    for raw in ("reported_low", "events_best", "events_low", "None"):
        assert raw not in text


def test_overlap_link_shows_its_note_and_the_year_table_adds_up():
    from geo.by_year import year_province_table
    from geo.pipeline import build_view
    from geo.view import ViewParams
    from render.wording import overlap_note, year_table_text

    at = AppTest.from_file(APP)
    for name, value in {"start": "2024-01-01", "end": "2024-12-31", "match": "overlap"}.items():
        at.query_params[name] = value
    run(at)
    assert at.radio(key="match").value == "overlap"
    view = ViewParams(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), match="overlap")
    data = build_view(shipped_joined(), view)
    note = overlap_note(data.summary.match, data.summary.spanning)
    assert [plain(note)] == [i.value for i in at.info]
    assert not [d for d in at.dataframe if d.value.columns[0] == "Year"]  # drawn when opened
    at.session_state["year_table_expander"] = True  # opened
    run(at)
    (table,) = [d.value for d in at.dataframe if d.value.columns[0] == "Year"]
    assert table.equals(year_table_text(year_province_table(data.events)))
    assert table["Year"].tolist() == ["2023", "2024", "All years"]
    assert table.iloc[-1]["Jilin"] == shown_figures(at)["Returned from Jilin"]


def test_a_browsers_first_page_draws_the_map_before_the_timeline_and_table():
    """On a session's first page in a browser, the timeline and the table wait for the map.

    Their code is the largest the browser loads (``webapp.page_order``); the map's first report
    reruns them, and any later run of the page draws them whatever the map did.
    """
    at = AppTest.from_file(APP)
    at.context["url"] = "http://localhost:8501/"  # a browser: its map will report
    run(at)
    assert [t.label for t in at.tabs] == ["Events", "Cross-checks", "Export"]
    assert at.get("vega_lite_chart") == [] and at.dataframe == []
    assert shown_figures(at) == expected_figures()  # the figures do not wait
    run(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert [d.value.columns[-1] for d in at.dataframe] == ["Event id"]
    no_browser = run(AppTest.from_file(APP))  # no map will report: nothing waits
    assert len(no_browser.get("vega_lite_chart")) == 1 and len(no_browser.dataframe) == 1


def test_a_run_that_keeps_the_view_sends_no_widget_value_that_would_undo_a_change():
    """Values set from Python replace what the browser shows (``widget_state.set_values``).

    Set again on every run (the range clamped to itself, a link read again after a story's
    slide was added), they undid or dropped the user's next change when it overtook the run.
    """
    at = run(AppTest.from_file(APP))
    at.selectbox(key="preset").set_value("2023")
    run(at)
    run(at)  # nothing changed
    def sidebar():
        return [at.slider(key="date_range"), at.selectbox(key="preset")]

    assert [w.value for w in sidebar()] == [(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), "2023"]
    assert [w.proto.set_value for w in sidebar()] == [False, False]
    at.query_params["slide"] = "1"  # the link changed, not the view (a story's slide added)
    run(at)
    assert [w.value for w in sidebar()] == [(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), "2023"]
    assert [w.proto.set_value for w in sidebar()] == [False, False]
