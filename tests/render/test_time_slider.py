import folium
import pytest

from render.webmap.time_slider import TimeSlider, slider_steps, step_people
from tests.factories import make_events


def test_steps_at_distinct_event_dates_with_their_precision():
    events = make_events(
        [
            {"date_start": "2024-04-26"},
            {"date_start": "2021-07-01", "date_end": "2021-07-31", "date_precision": "month"},
            {"date_start": "2021-07-01"},
            {"date_start": "2024-04-26"},
            {"date_start": "2024-01-01", "date_end": "2024-05-31", "date_precision": "period"},
            {"date_start": None, "date_end": "2013-01-17", "date_precision": "period"},
        ]
    )
    steps = slider_steps(events)
    assert [label for _, label in steps] == [
        "17 January 2013",
        "1 July 2021 / July 2021",
        "January–May 2024",
        "26 April 2024",
    ]
    days = [day for day, _ in steps]
    assert days == sorted(days) and days[1] == 18809  # 2021-07-01 in days since 1970


class _Layer(folium.map.Layer):
    _template = folium.template.Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }}_timeline = "
        "{update: function () {}};{% endmacro %}"
    )


def test_rendered_slider():
    m = folium.Map(tiles=None)
    layer = _Layer(name="x").add_to(m)
    TimeSlider([layer], [[1, "1 Jan 1970"], [2, "2 Jan 1970"]], mode="date").add_to(m)
    html = m.get_root().render()
    assert f"[{layer.get_name()}_timeline]" in html
    assert '"steps":[[1,"1 Jan 1970"],[2,"2 Jan 1970"]]' in html
    assert '"mode":"date"' in html
    for needle in ('type = "range"', '"Event date"', '"aria-live", "polite"', "Cumulative up to",
                   "This date only", '"\\u25b6 " + t.play', '"play":"Play"',
                   ".bem-date"):  # fmt: skip
        assert needle in html


def test_people_per_step_are_worded_in_python_as_everywhere_else():
    # [first day, low, best, high]: as EventsLayer.payload["ev"] holds them.
    events = [[10, 500, 500, None], [5, 50, 50, 50], [10, 60, 60, None], [None, 5, 7, 9],
              [20, 1, 2, 3]]  # fmt: skip
    steps = [[5, "a"], [10, "b"], [20, "c"]]
    assert step_people(steps, events) == [
        ["55 to 59, best estimate 57", "50"],  # the undated event counts from the first step
        ["at least 615, best estimate 617", "at least 560"],
        ["at least 616, best estimate 619", "1 to 3, best estimate 2"],
    ]
    assert step_people(steps[:1], []) == [["none", "none"]]


def test_slider_totals_its_events():
    m = folium.Map(tiles=None)
    layer = _Layer(name="x").add_to(m)
    events = [[1, 26, 26, 26], [2, 500, 500, None], [2, 1, 1, 1], [None, 3, 3, 3]]
    slider = TimeSlider([layer], [[1, "1 January 1970"], [2, "2 January 1970"]], events=events)
    assert slider.options["people"] == [
        ["29", "26"],
        ["at least 530", "at least 501"],
    ]
    assert slider.options["counts"] == {"day": [1, 2], "undated": 1}  # shown at every step
    assert slider.options["nobody"] == "none"


def test_mode_checked():
    with pytest.raises(ValueError, match="slider mode 'weekly'"):
        TimeSlider([], [], mode="weekly")


def test_the_slider_opens_at_the_last_step_on_or_before_a_date():
    import datetime as dt

    from render.webmap.time_slider import step_index

    days = [(dt.date(2023, m, 1) - dt.date(1970, 1, 1)).days for m in (3, 6, 9)]
    assert step_index(days, None) == 2
    assert step_index(days, dt.date(2023, 6, 1)) == 1
    assert step_index(days, dt.date(2023, 8, 31)) == 1
    assert step_index(days, dt.date(2020, 1, 1)) == 0  # before every step: the first
    assert step_index(days, dt.date(2030, 1, 1)) == 2
    assert step_index([], dt.date(2023, 1, 1)) == 0


def test_the_slider_opens_at_the_views_date_and_reports_only_where_it_is_left():
    import datetime as dt

    m = folium.Map(tiles=None)
    layer = _Layer(name="x").add_to(m)
    steps = [[19000, "8 January 2022"], [19100, "18 April 2022"], [19200, "27 July 2022"]]
    TimeSlider([layer], steps, at=dt.date(2022, 5, 1)).add_to(m)
    html = m.get_root().render()
    assert '"start":1' in html  # 18 April 2022, the last step on or before 1 May
    # Released, paused or switched (not while playing): selected_tags, then the map's moveend.
    assert 'if (event.type === "change") { report(); }' in html
    assert 'if (map.bemTag && map.bemTag(tags)) { map.fire("moveend"); }' in html
    assert "if (state.timer) { stop(); report(); }" in html
    default = folium.Map(tiles=None)
    TimeSlider([_Layer(name="y").add_to(default)], steps).add_to(default)
    assert '"start":2' in default.get_root().render()


def test_the_slider_position_of_a_date_is_its_step_day_and_label():
    import datetime as dt

    from render.webmap.time_slider import slider_position

    events = make_events(
        [
            {"date_start": "2021-07-14", "date_precision": "day"},
            {"date_start": "2023-10-01", "date_end": "2023-10-31", "date_precision": "month"},
        ]
    )
    assert slider_position(events, dt.date(2022, 12, 31)) == (dt.date(2021, 7, 14), "14 July 2021")
    assert slider_position(events, None) == (dt.date(2023, 10, 1), "October 2023")
    assert slider_position(events.iloc[:0], None) is None
