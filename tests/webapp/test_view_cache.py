"""A view's timeline and table are built once per session and view (``webapp.view_cache``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _cache_page() -> None:
    """Build ``("r", key)`` for each key of ``keys`` from source ``source`` and list the builds."""
    import streamlit as st

    from webapp.view_cache import cached_for_view

    sources = st.session_state.setdefault("sources", {"a": object(), "b": object()})
    built = st.session_state.setdefault("built", [])
    source = sources[st.session_state.get("source", "a")]
    for key in st.session_state.get("keys", []):
        value = cached_for_view("kind", source, key, lambda k=key: built.append(k) or ("r", k))
        assert value == ("r", key)


def test_a_result_is_built_once_per_key_and_source():
    from webapp.view_cache import KEPT

    page = AppTest.from_function(_cache_page)
    page.session_state["keys"] = [1, 2, 1, 2]
    page.run()
    assert page.session_state["built"] == [1, 2]
    page.session_state["keys"] = [2, 1]
    page.run()  # kept between runs
    assert page.session_state["built"] == [1, 2]
    page.session_state["source"] = "b"  # another dataset: nothing of the first one is used
    page.run()
    assert page.session_state["built"] == [1, 2, 2, 1]
    page.session_state["keys"] = list(range(3, 3 + KEPT)) + [2]
    page.run()  # 2 was the oldest of KEPT + 1 keys: built again
    assert page.session_state["built"][-KEPT - 1 :] == [*range(3, 3 + KEPT), 2]
    assert not page.exception


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Count the app's calls of ``timeline_chart`` and ``table_frame``."""
    import webapp.events_table
    import webapp.timeline

    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    calls = {"timeline": 0, "table": 0}
    for module, name, kind in (
        (webapp.timeline, "timeline_chart", "timeline"),
        (webapp.events_table, "table_frame", "table"),
    ):
        real = getattr(module, name)

        def count(*args, _real=real, _kind=kind, **kwargs):
            calls[_kind] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, count)
    return calls


def test_coming_back_to_a_view_builds_neither_its_timeline_nor_its_table(counted):
    page = AppTest.from_file(APP, default_timeout=120).run()
    assert counted == {"timeline": 1, "table": 1}
    first = page.get("vega_lite_chart")[0].proto.spec
    page.selectbox(key="preset").set_value("2021").run()
    assert counted == {"timeline": 2, "table": 2}
    page.selectbox(key="preset").set_value("All").run()  # back to the first view
    assert counted == {"timeline": 2, "table": 2}
    assert page.get("vega_lite_chart")[0].proto.spec == first
    page.slider(key="date_range").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    assert counted == {"timeline": 3, "table": 3}
    assert not page.exception
