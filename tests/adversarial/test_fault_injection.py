"""A failure in any stage reaches the user as a short message with a reference, never a traceback.

Each stage (read, validate, join, build_view, map build, export) is made to raise an error whose
message names a file in the repository; the CLI (in process, ``cli.main.main``) and the app
(``AppTest``) must then show no traceback, no path of the repository and no part of the error
message, only a reference of eight hex digits that the log (app) or the debug output (CLI,
``BORDER_MAP_DEBUG=1``) ties to the full traceback. Exit codes as in the README: 1.
"""

from __future__ import annotations

import importlib
import logging
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cli.main import main
from geo.disk_cache import CACHE_ENV
from webapp.page_tabs import TABS_KEY

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SECRET = f"injected failure in {ROOT}/geo/secret_module.py"
CLI_REFERENCE = re.compile(r"^border-map: internal error \(reference ([0-9a-f]{8})\)")
APP_REFERENCE = re.compile(r"reference \*\*([0-9a-f]{8})\*\*")


class InjectedError(RuntimeError):
    """The failure the tests inject."""


def fail(*_args, **_kwargs):
    raise InjectedError(SECRET)


#: Where each stage is looked up at run time, by the CLI and by the app.
STAGES = {
    "read": [("geo.validate", "read_table")],
    "validate": [("geo.validate", "validate_table")],
    "join": [("geo.join", "join_events")],  # imported by geo.pipeline when it loads a file
    "build_view": [("geo.pipeline", "filter_events")],
    "map": [("render.webmap.build", "build_map"), ("render.exports.html", "build_map")],
    "export": [("render.exports.data", "export_data")],  # both call it via write_export
}


@pytest.fixture(autouse=True)
def empty_disk_cache(monkeypatch, tmp_path):
    """Nothing kept on disk (``geo.disk_cache``): the shipped data goes through every stage."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))


def inject(monkeypatch, stage: str, error=fail) -> None:
    for module, name in STAGES[stage]:
        monkeypatch.setattr(importlib.import_module(module), name, error)


def assert_nothing_leaks(text: str) -> None:
    assert "Traceback" not in text
    assert str(ROOT) not in text
    assert "injected failure" not in text and "InjectedError" not in text


# --- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,event_type,date,count,place,source_url\n"
        "a,forced_return,2023-10-09,about 60,Dandong,https://example.org/a\n",
        encoding="utf-8",
    )
    return path


def cli_commands(stage: str, events: Path, out: Path) -> list[list[str]]:
    return {
        "read": [["validate", str(events)], ["summary", "--events", str(events)]],
        "validate": [["validate", str(events), "--json"]],
        "join": [["summary"], ["export", "--format", "csv", "--out", str(out / "a.csv")]],
        "build_view": [["summary", "--json"]],
        "map": [["export", "--format", "html", "--out", str(out / "map.html")]],
        "export": [["export", "--format", "csv", "--out", str(out / "events.csv")]],
    }[stage]


@pytest.mark.parametrize("stage", list(STAGES))
def test_cli_failure_in_each_stage_is_one_line_with_a_reference(
    stage, monkeypatch, capsys, events_file, tmp_path
):
    monkeypatch.delenv("BORDER_MAP_DEBUG", raising=False)
    inject(monkeypatch, stage)
    for argv in cli_commands(stage, events_file, tmp_path / "out"):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 1, argv
        assert_nothing_leaks(out + err)
        (line,) = err.splitlines()
        assert CLI_REFERENCE.match(line), line
        assert "BORDER_MAP_DEBUG=1" in line


def test_cli_debug_variable_shows_the_traceback_under_the_same_reference(
    monkeypatch, capsys, events_file
):
    monkeypatch.setenv("BORDER_MAP_DEBUG", "1")
    inject(monkeypatch, "validate")
    assert main(["validate", str(events_file)]) == 1
    _, err = capsys.readouterr()
    first, *details = err.splitlines()
    assert CLI_REFERENCE.match(first)
    assert details[0].startswith("Traceback") and f"InjectedError: {SECRET}" in err


def test_cli_references_differ_between_failures(monkeypatch, capsys):
    inject(monkeypatch, "build_view")
    references = set()
    for _ in range(3):
        assert main(["summary"]) == 1
        match = CLI_REFERENCE.match(capsys.readouterr().err)
        assert match
        references.add(match.group(1))
    assert len(references) == 3


def test_cli_internal_file_error_hides_its_path(monkeypatch, capsys):
    missing = str(ROOT / "data" / "admin1.geojson")

    def missing_file(*_args, **_kwargs):
        raise FileNotFoundError(2, "No such file or directory", missing)

    inject(monkeypatch, "join", missing_file)
    assert main(["summary"]) == 1
    out, err = capsys.readouterr()
    assert CLI_REFERENCE.match(err) and missing not in out + err
    assert_nothing_leaks(out + err)


def test_cli_unwritable_output_is_invalid_input_naming_the_file(monkeypatch, capsys, tmp_path):
    out = tmp_path / "report" / "events.csv"

    def denied(_data, path, **_kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    inject(monkeypatch, "export", denied)
    assert main(["export", "--format", "csv", "--out", str(out)]) == 1
    _, err = capsys.readouterr()
    assert err == f"border-map: error: {out}: Permission denied\n"


def test_cli_output_below_a_file_is_invalid_input(capsys, tmp_path):
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "plain.txt" / "events.csv"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("border-map: error: ") and "plain.txt" in err
    assert "Traceback" not in err and "internal error" not in err


def test_cli_unreadable_events_file_is_invalid_input(monkeypatch, capsys, events_file):
    def denied(source, *_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(source))

    inject(monkeypatch, "read", denied)
    assert main(["validate", str(events_file)]) == 1
    assert capsys.readouterr().err == f"border-map: error: {events_file}: Permission denied\n"


def test_cli_interrupt_exits_quietly(monkeypatch, capsys):
    def interrupt(*_args, **_kwargs):
        raise KeyboardInterrupt

    inject(monkeypatch, "build_view", interrupt)
    assert main(["summary"]) == 130
    assert capsys.readouterr().err == "border-map: interrupted\n"


# --- the app ---------------------------------------------------------------------------------


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A fresh workspace, and no dataset cached from another test (the stages must run)."""
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def shown_text(at: AppTest) -> str:
    """Everything the run sent to the browser, as protobuf text."""
    return "\n".join(str(getattr(node, "proto", "")) for node in at._tree)


def assert_reported(at: AppTest, caplog) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert_nothing_leaks(shown_text(at))
    (error,) = at.error
    match = APP_REFERENCE.search(error.value)
    assert match, error.value
    (record,) = [r for r in caplog.records if r.name == "border_map.app"]
    assert match.group(1) in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], InjectedError)


@pytest.mark.parametrize("stage", ["read", "validate", "join", "build_view", "map"])
def test_app_failure_in_each_stage_shows_a_reference(stage, monkeypatch, caplog, app_env):
    caplog.set_level(logging.ERROR, logger="border_map.app")
    inject(monkeypatch, stage)
    at = AppTest.from_file(APP)
    at.run(timeout=120)
    assert_reported(at, caplog)


def test_app_failure_while_exporting_shows_a_reference(monkeypatch, caplog, app_env):
    caplog.set_level(logging.ERROR, logger="border_map.app")
    at = AppTest.from_file(APP)
    at.run(timeout=120)
    assert not at.exception and not at.error
    at.session_state[TABS_KEY] = "Export"  # the export panel is drawn while its tab is open
    at.run(timeout=120)
    inject(monkeypatch, "export")
    at.selectbox(key="export_format").set_value("csv")
    at.run(timeout=120)
    at.button(key="export_make").click()
    at.run(timeout=120)
    assert_reported(at, caplog)


def test_app_pages_before_the_failure_stay_drawn(monkeypatch, caplog, app_env):
    """A failure in the map leaves the figures above it on the page."""
    inject(monkeypatch, "map")
    at = AppTest.from_file(APP)
    at.run(timeout=120)
    assert [m.label for m in at.metric]
    assert len(at.error) == 1
