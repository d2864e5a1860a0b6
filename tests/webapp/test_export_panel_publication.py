"""The export panel's "for publication" choice and its download callback (issue 16)."""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from webapp.export_panel import export_detail

SCRIPT = """
import datetime as dt
import streamlit as st
from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from tests.factories import make_events
from webapp.export_panel import render_export_panel

rows = [
    {"event_id": "a", "date_start": "2023-05-01", "count_best": 3, "place_names": "Hyesan",
     "lat": 41.40, "lon": 128.18, "provinces": "KP-10", "notes": "SECRET-NAME-김철수",
     "evidence_quote": "quoted SECRET-NAME-김철수", "source_title": "Open report"},
]
data = build_view(make_events(rows), ViewParams(start=dt.date(2023, 1, 1)))
downloads = st.session_state.setdefault("downloads", [])
render_export_panel(
    data, load_reference(), key_prefix="exp", sensitive_columns=SENSITIVE,
    publication_only=PUBLIC, on_export=downloads.append,
)
"""


def _app(sensitive: tuple[str, ...], public: bool) -> AppTest:
    script = SCRIPT.replace("SENSITIVE", repr(sensitive)).replace("PUBLIC", repr(public))
    at = AppTest.from_string(script, default_timeout=120).run()
    assert not at.exception
    return at


def _csv(at: AppTest) -> list[dict[str, str]]:
    """Make the CSV; return its rows (the file the download button offers)."""
    at.selectbox(key="exp_format").set_value("csv").run()
    at.button(key="exp_make").click().run()
    assert not at.exception
    made = at.session_state["exp_made"]
    return list(csv.DictReader(io.StringIO(made.data.decode("utf-8-sig"))))


def test_files_are_for_publication_by_default_and_say_which_columns():
    at = _app(("evidence_quote", "notes"), public=False)
    box = at.checkbox(key="exp_publication")
    assert box.value is True
    assert box.label == (
        "For publication: leave out the sensitive columns (Quote (evidence_quote), "
        "Notes (notes))"
    )
    (row,) = _csv(at)
    assert row["notes"] == "" and row["evidence_quote"] == "" and row["source_title"]


def test_unchecked_the_files_hold_everything_and_a_made_file_is_not_reused():
    at = _app(("evidence_quote", "notes"), public=False)
    (row,) = _csv(at)
    assert row["notes"] == ""
    at.checkbox(key="exp_publication").uncheck().run()
    assert [b.key for b in at.download_button] == []  # the file made for publication is gone
    at.button(key="exp_make").click().run()
    made = at.session_state["exp_made"]
    assert "SECRET-NAME-김철수" in made.data.decode("utf-8-sig")


def test_a_public_visitor_gets_no_choice_and_no_sensitive_text():
    at = _app(("notes",), public=True)
    assert [c.key for c in at.checkbox] == []
    assert any("Notes (notes)" in c.value for c in at.caption)
    (row,) = _csv(at)
    assert row["notes"] == "" and "SECRET" in row["evidence_quote"]  # only the marked column


def test_without_sensitive_columns_there_is_no_choice():
    at = _app((), public=False)
    assert [c.key for c in at.checkbox] == []
    (row,) = _csv(at)
    assert "SECRET" in row["notes"]


@pytest.mark.parametrize("public", [False, True])
def test_a_download_calls_on_export_with_what_was_downloaded(public):
    at = _app(("notes",), public=public)
    _csv(at)
    assert at.session_state["downloads"] == []
    at.download_button(key="exp_download").click().run()
    assert not at.exception
    assert at.session_state["downloads"] == ["csv, for publication without notes"]
    at.selectbox(key="exp_format").set_value("png").run()
    at.button(key="exp_make").click().run()
    at.download_button(key="exp_download_sources").click().run()
    assert at.session_state["downloads"][-1] == "png sources, for publication without notes"


def test_export_detail():
    assert export_detail("pdf", ()) == "pdf"
    assert export_detail("png", (), sources=True) == "png sources"
    assert export_detail("xlsx", ("evidence_quote", "notes")) == (
        "xlsx, for publication without evidence_quote, notes"
    )
