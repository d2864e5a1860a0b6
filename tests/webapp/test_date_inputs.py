"""Dates a presenter can set (issue 14): typed dates, presets recognised from the link.

The app runs under Streamlit's AppTest. Typed dates give the figures ``border-map summary``
gives for the same range (its code path: ``geo.pipeline.build_view`` then
``webapp.figures.headline_figures``); a link's dates show the preset they equal.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from webapp.figures import headline_figures
from webapp.sidebar import CUSTOM, preset_of

APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")
SPRING = (dt.date(2023, 3, 1), dt.date(2023, 6, 30))
YEAR_2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


from tests.test_app import shipped_joined, workspace  # noqa: E402, F401  (autouse fixture)


def summary_figures(first: dt.date | None = None, last: dt.date | None = None) -> dict:
    """The headline figures of ``border-map summary --start first --end last``'s code path."""
    from geo.pipeline import build_view
    from geo.view import ViewParams

    return headline_figures(build_view(shipped_joined(), ViewParams(start=first, end=last)).summary)


def run(at: AppTest) -> AppTest:
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def opened(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return run(at)


def shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def typed(at: AppTest) -> tuple[dt.date, dt.date]:
    return at.date_input(key="date_from").value, at.date_input(key="date_to").value


def type_dates(at: AppTest, first: dt.date, last: dt.date) -> AppTest:
    """Type the start, then the end (one rerun each, as in the browser)."""
    at.date_input(key="date_from").set_value(first)
    run(at)
    at.date_input(key="date_to").set_value(last)
    return run(at)


def test_typed_dates_give_the_summary_figures_and_the_link():
    at = opened()
    assert typed(at) == at.slider(key="date_range").value
    type_dates(at, *SPRING)
    assert shown(at) == summary_figures(*SPRING)
    assert shown(at) != summary_figures()
    assert at.slider(key="date_range").value == SPRING
    assert at.query_params["start"] == "2023-03-01"
    assert at.query_params["end"] == "2023-06-30"
    assert at.selectbox(key="preset").value == CUSTOM
    assert not at.error


def test_the_inputs_follow_the_slider_and_the_presets():
    at = opened()
    at.slider(key="date_range").set_value(SPRING)
    run(at)
    assert typed(at) == SPRING
    at.selectbox(key="preset").set_value("2021")
    run(at)
    assert typed(at) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert shown(at) == summary_figures(dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_a_link_to_2023_shows_the_preset_2023(lang):
    at = opened({"start": "2023-01-01", "end": "2023-12-31", "lang": lang})
    assert at.selectbox(key="preset").value == "2023"
    assert typed(at) == YEAR_2023
    assert at.slider(key="date_range").value == YEAR_2023


def test_a_link_without_dates_shows_all():
    assert opened().selectbox(key="preset").value == "All"


def test_a_link_since_the_border_closure_shows_that_preset():
    at = opened({"start": "2020-01-01"})
    assert at.selectbox(key="preset").value == "Since border closure (2020)"


def test_a_link_matching_no_preset_shows_custom_range():
    at = opened({"start": "2023-03-01", "end": "2023-06-30"})
    assert at.selectbox(key="preset").value == CUSTOM
    assert typed(at) == SPRING
    assert shown(at) == summary_figures(*SPRING)


def test_typed_dates_equal_to_a_preset_show_it():
    at = opened()
    type_dates(at, *YEAR_2023)
    assert at.selectbox(key="preset").value == "2023"
    at.slider(key="date_range").set_value(SPRING)
    run(at)
    assert at.selectbox(key="preset").value == CUSTOM


def test_choosing_custom_range_keeps_the_dates_and_lets_them_be_typed():
    at = opened({"start": "2023-01-01", "end": "2023-12-31"})
    before = shown(at)
    at.selectbox(key="preset").set_value(CUSTOM)
    run(at)
    assert at.selectbox(key="preset").value == CUSTOM
    assert typed(at) == YEAR_2023 and shown(at) == before
    assert at.query_params["start"] == "2023-01-01" and at.query_params["end"] == "2023-12-31"
    at.date_input(key="date_to").set_value(dt.date(2023, 6, 30))
    run(at)
    assert shown(at) == summary_figures(dt.date(2023, 1, 1), dt.date(2023, 6, 30))


def test_an_end_before_the_start_says_so_and_keeps_the_view():
    at = opened({"start": "2023-03-01", "end": "2023-06-30"})
    at.date_input(key="date_from").set_value(dt.date(2023, 8, 1))
    run(at)
    (error,) = at.error
    assert "2023-06-30" in error.value and "2023-08-01" in error.value
    assert "before the start date" in error.value
    assert typed(at) == (dt.date(2023, 8, 1), dt.date(2023, 6, 30))  # what was typed stays
    assert at.slider(key="date_range").value == SPRING
    assert shown(at) == summary_figures(*SPRING)
    assert at.query_params["start"] == "2023-03-01"
    run(at)  # another rerun (the map reports its extent): still said, still kept
    assert len(at.error) == 1 and typed(at)[0] == dt.date(2023, 8, 1)
    at.date_input(key="date_to").set_value(dt.date(2023, 12, 31))
    run(at)
    assert not at.error
    assert shown(at) == summary_figures(dt.date(2023, 8, 1), dt.date(2023, 12, 31))


def test_a_preset_after_an_end_before_the_start_clears_the_message():
    at = opened()
    type_dates(at, *SPRING)
    at.date_input(key="date_to").set_value(dt.date(2023, 1, 1))
    run(at)
    assert at.error
    at.selectbox(key="preset").set_value("2021")
    run(at)
    assert not at.error
    assert typed(at) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.mark.parametrize(
    ("lang", "labels", "error"),
    [
        ("ko", ("시작 날짜", "종료 날짜"), "종료 날짜(2023-02-01)가 시작 날짜(2023-03-01)보다"),
        ("zh", ("起始日期", "截止日期"), "截止日期（2023-02-01）早于起始日期（2023-03-01）"),
    ],
)
def test_the_inputs_and_the_message_in_the_language(lang, labels, error):
    at = opened({"lang": lang, "start": "2023-03-01", "end": "2023-06-30"})
    assert (at.date_input(key="date_from").label, at.date_input(key="date_to").label) == labels
    at.date_input(key="date_to").set_value(dt.date(2023, 2, 1))
    run(at)
    assert error in at.error[0].value


def test_switching_the_language_keeps_the_typed_dates():
    at = opened()
    type_dates(at, *SPRING)
    figures = [m.value for m in at.metric]
    for lang in ("ko", "zh", "en"):
        at.selectbox(key="lang").set_value(lang)
        run(at)
        assert typed(at) == SPRING
        assert at.slider(key="date_range").value == SPRING
        assert at.selectbox(key="preset").value == CUSTOM
        assert at.query_params["start"] == "2023-03-01"
    assert [m.value for m in at.metric] == figures


def test_preset_of_takes_the_first_equal_preset():
    day = dt.date(2020, 1, 1)
    both = {"All": (day, day), "2020": (day, day)}
    assert preset_of(both, (day, day)) == "All"
    assert preset_of(both, (day, dt.date(2020, 1, 2))) == CUSTOM


def test_last_12_months_is_a_preset_whose_link_carries_its_dates():
    """DESIGN.md's "last 12 months": the link holds its first date, not the words.

    Its last date is today, the end of the data's span, which a link leaves open (as "All" and
    "Since border closure (2020)" do): ``?start=<a year ago, plus a day>``.
    """
    today = dt.datetime.now(dt.UTC).date()
    first = (dt.date(today.year - 1, today.month, 28) if (today.month, today.day) == (2, 29)
             else today.replace(year=today.year - 1)) + dt.timedelta(days=1)  # fmt: skip
    at = opened()
    assert "Last 12 months" in at.selectbox(key="preset").options
    at.selectbox(key="preset").set_value("Last 12 months")
    run(at)
    assert at.slider(key="date_range").value == (first, today)
    assert typed(at) == (first, today)
    assert dict(at.query_params) == {"start": first.isoformat()}
    assert shown(at) == summary_figures(first)
    relinked = opened({"start": first.isoformat()})
    assert relinked.selectbox(key="preset").value == "Last 12 months"
    assert shown(relinked) == shown(at)
