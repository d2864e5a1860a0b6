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
