import folium
import pytest

from render.webmap.time_slider import TimeSlider, slider_steps
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
        "17 Jan 2013",
        "1 Jul 2021 / July 2021",
        "Jan–May 2024",
        "26 Apr 2024",
    ]
    days = [day for day, _ in steps]
    assert days == sorted(days) and days[1] == 18809  # 2021-07-01 in days since 1970


class _Layer(folium.map.Layer):
    _template = folium.template.Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }}_timeline = "
        "{events: [], update: function () {}};{% endmacro %}"
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
                   "This date only", "\\u25b6 Play", ".bem-date"):  # fmt: skip
        assert needle in html


def test_mode_checked():
    with pytest.raises(ValueError, match="slider mode 'weekly'"):
        TimeSlider([], [], mode="weekly")
