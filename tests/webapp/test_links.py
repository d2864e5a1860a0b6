"""The link to the current view: absolute from the address the browser used, one builder."""

from __future__ import annotations

import datetime as dt

from geo.view import ViewParams
from webapp.links import live_view, view_url

VIEW = ViewParams(start=dt.date(2023, 1, 1), mode="date", at=dt.date(2023, 6, 3), zoom=8,
                  centre=(41.8, 126.9), dataset="0a1b2c3d4e5f6a7b")  # fmt: skip


def test_the_link_is_absolute_from_the_given_address_and_complete():
    link = view_url(VIEW, "http://10.0.0.5:8501/border?lang=zh")
    assert link == (
        "http://10.0.0.5:8501/border?start=2023-01-01&mode=date&dataset=0a1b2c3d4e5f6a7b"
        "&at=2023-06-03&zoom=8&centre=41.800,126.900"
    )
    assert link == VIEW.link("http://10.0.0.5:8501/border")  # the pack's link: the same builder


def test_without_an_address_the_link_is_relative_and_outside_a_session_nothing_is_live():
    assert view_url(VIEW) == VIEW.query_string()
    assert live_view(VIEW) == VIEW


def _parts_page() -> None:
    """A page whose button's callback asks for the fragment ``part`` to be rerun."""
    import streamlit as st

    from webapp.links import drawn, rerun_parts, start_page_run

    start_page_run()
    st.session_state["body"] = st.session_state.get("body", 0) + 1

    @st.fragment(key="part")
    def part() -> None:
        drawn("part", "en")
        st.session_state["part"] = st.session_state.get("part", 0) + 1

    part()
    st.button("Go", key="go", on_click=rerun_parts, args=("part",))


def test_a_run_of_the_whole_page_is_not_cut_down_to_the_parts():
    """A callback opening a whole-page run leaves it whole: it draws the parts itself.

    (A keyed rerun of the parts would preempt it, and the rest of the page, changed by the
    same interaction, would stay as it was.)
    """
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_parts_page).run()
    assert (page.session_state["body"], page.session_state["part"]) == (1, 1)
    page.button(key="go").click().run()
    assert (page.session_state["body"], page.session_state["part"]) == (2, 2)
    assert not page.exception
