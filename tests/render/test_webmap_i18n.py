"""The web map in Korean and Chinese: every text the map itself writes is in the view's language.

The map is built from the shipped data in each language; the English source strings of the
``webmap`` catalogue (legend, slider, popups, tooltips, layer names, Leaflet's own titles) must
not appear in the Korean or Chinese page, and their translations must. Texts that come from
``render.wording`` (counts, dates, event types, credits) are translated in the ``render``
catalogue and checked there.
"""

import html
import re
from functools import cache

import pytest

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from i18n import _, language, ngettext
from i18n.catalogue import template
from render.webmap.build import build_map
from render.webmap.controls import ControlTexts, control_texts
from render.webmap.layers.events import EventsLayer, layer_texts
from render.webmap.layers.template import TEMPLATES_DIR
from render.webmap.legend import Legend, legend_html
from render.webmap.time_slider import TimeSlider, slider_texts
from tests.factories import make_events, shipped_events

REFERENCE = load_reference()
ALL_TYPES = ("forced_return", "detention", "policy", "diplomatic", "report")
DANDONG = {"lat": 40.12917, "lon": 124.39472, "provinces": "CN-LN", "place_ids": "cn-dandong"}
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _map(lang, events=None):
    if events is None:
        return _shipped_map(lang)
    return build_map(build_view(events, ViewParams(lang=lang, types=ALL_TYPES)), REFERENCE)


@cache
def _shipped_map(lang):
    """Return the map of every shipped event in ``lang`` (built once; tests only read it)."""
    view = ViewParams(lang=lang, types=ALL_TYPES)
    return build_map(build_view(shipped_events(), view), REFERENCE)


def _text(page: str) -> str:
    """Return the page without the code of its scripts, JSON escapes and entities decoded."""
    for path in TEMPLATES_DIR.glob("*.js"):
        page = page.replace(path.read_text(encoding="utf-8"), "")
    page = re.sub(r"<script data-border-map-asset>.*?</script>", "", page, flags=re.S)
    return html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), page))


@pytest.fixture(scope="module", params=["ko", "zh"])
def page(request):
    m = _map(request.param)
    return request.param, m, _text(m.get_root().render())


NUMBERS = {"{n}", "{shared}", "{km}", "{size}"}


def _pattern(english: str) -> re.Pattern:
    """Return a regex finding ``english`` as the page shows it, its placeholders filled.

    Numbers match digits (or the placeholder itself: the page's scripts fill some texts);
    other placeholders at either end are dropped, inside they match a
    short text. A text of one word (``Legend``) is found only as the whole text of an element
    or a JSON string, since data text (quotes, titles) may hold the word.
    """
    tokens = [t for t in re.split(r"(\{\w*\})", english) if t]
    if not any(t in NUMBERS for t in tokens) and len(re.findall(r"[A-Za-z]{2,}", english)) <= 1:
        body = "".join(r"[^<>\"]{0,60}?" if t.startswith("{") else re.escape(t) for t in tokens)
        return re.compile(rf"(?<=[>\"]){body}(?=[<\"])")
    while tokens[0].startswith("{") and tokens[0] not in NUMBERS:
        tokens.pop(0)
    while tokens[-1].startswith("{") and tokens[-1] not in NUMBERS:
        tokens.pop()
    return re.compile("".join(
        rf"(?:(?<!\w)\d(?:[\d.,]*\d)?|{re.escape(t)})" if t in NUMBERS
        else r"[^<>\"]{0,60}?" if t.startswith("{") else re.escape(t)
        for t in tokens
    ) + (r"(?!\w)" if tokens[-1][-1].isalpha() else ""))  # fmt: skip


def _english_patterns():
    """Yield (English source string, regex finding it) for every string of the catalogue."""
    for message in template("webmap"):
        if not message.id:
            continue
        for english in message.id if isinstance(message.id, tuple) else (message.id,):
            yield english, _pattern(english)


ENGLISH = list(_english_patterns())


def test_no_english_text_of_the_map_remains(page):
    lang, _m, text = page
    found = {english for english, pattern in ENGLISH if pattern.search(text)}
    shown = [
        text[m.start() - 60 : m.end() + 20]
        for e, p in ENGLISH
        if e in found
        for m in [p.search(text)]
    ]
    assert not found, f"English left on the {lang} map: {shown}"


def test_the_english_patterns_find_the_english_map():
    """The check above is not vacuous: on the English map it finds the map's texts."""
    text = _text(_map("en").get_root().render())
    found = {english for english, pattern in ENGLISH if pattern.search(text)}
    expected = ["Legend", "Event type", "Time slider", "Up to {date}", "Events", "Zoom in",
                "Border sectors", "People: {people}", "Source", "Yalu River",
                "{n} event on the map · people: {people}"]  # fmt: skip
    assert not set(expected) - found


def _children(m, kind):
    return [c for c in m._children.values() if isinstance(c, kind)]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ko",
            ["범례", "사건 유형", "인원 (원의 면적)", "인원 수의 확실성", "위치", "국경 전 구간"],
        ),
        ("zh", ["图例", "事件类型", "人数（圆圈面积）", "人数的确定程度", "位置", "整条边境沿线"]),
    ],
)
def test_legend_in_the_language(lang, words):
    legend = _children(_map(lang), Legend)[0].html
    for word in words:
        assert word in legend
    assert "Legend" not in legend and "Event type" not in legend


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("ko", {"slider": "시간 슬라이더", "range": "사건 날짜", "cumulative": "이 날짜까지 누적",
                "date": "이 날짜만", "upTo": "{date}까지", "play": "재생", "pause": "일시정지",
                "empty": "이 기간에는 사건이 없습니다"}),
        ("zh", {"slider": "时间滑块", "range": "事件日期", "cumulative": "截至此日期累计",
                "date": "仅此日期", "upTo": "截至{date}", "play": "播放", "pause": "暂停",
                "empty": "此时间段内没有事件"}),
    ],
)  # fmt: skip
def test_slider_in_the_language(lang, texts):
    slider = _children(_map(lang), TimeSlider)[0]
    options = slider.options
    for key, value in texts.items():
        assert options["text"][key] == value
    # The counted total has the language's one form (no English plural for n != 1).
    assert options["text"]["total"]["other"] == options["text"]["total"]["one"]
    assert "{n}" in options["text"]["total"]["other"]
    # The steps' date labels are the language's (i18n.formats), not English.
    labels = " ".join(label for _, label in options["steps"])
    assert ("년" if lang == "ko" else "年") in labels
    assert not re.search(r"January|April|October", labels)


def test_slider_texts_in_english_are_unchanged():
    texts = slider_texts()
    assert texts["upTo"] == "Up to {date}" and texts["play"] == "Play"
    assert texts["total"] == {"one": "{n} event on the map · people: {people}",
                              "other": "{n} events on the map · people: {people}"}  # fmt: skip
    assert control_texts()["zoomIn"] == "Zoom in"
    assert (
        layer_texts()["province"]["other"] == "{name}: {n} province-level events; people {people}"
    )


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("ko", ["사건", "성·도: 기간 내 인원", "국경 구간", "장소와 통상구"]),
        ("zh", ["事件", "省/道：时间段内人数", "边境段", "地点和口岸"]),
    ],
)
def test_layer_names_in_the_language(lang, names):
    m = _map(lang)
    shown = [c.layer_name for c in m._children.values() if getattr(c, "control", False)]
    assert sorted(shown) == sorted(names)
    page = m.get_root().render()
    for name in names:
        assert _ESCAPE.sub(lambda x: chr(int(x.group(1), 16)), page).count(f'"{name}"') >= 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", ["인원: ", "주장 2건:", "<th>출처</th>", "<th>날짜</th>", "<th>장소</th>",
                "위치: 단둥", "게시일 2024-04-30"]),
        ("zh", ["人数：", "2条说法：", "<th>来源</th>", "<th>日期</th>", "<th>地点</th>",
                "位置：丹东", "发布日期 2024-04-30"]),
    ],
)  # fmt: skip
def test_popups_in_the_language(lang, words):
    events = make_events([
        {"event_id": "dd", "date_start": "2024-04-26", "count_best": 60, "count_low": 60,
         "count_qualifier": "about", "source_org": "Daily NK", **DANDONG},
        {"event_id": "dd-claim", "date_start": "2024-04-26", "count_best": 200, "count_low": 200,
         "count_qualifier": "more_than", "source_org": "RFA", "source_published": "2024-04-30",
         "same_event_as": "dd", **DANDONG},
    ])  # fmt: skip
    layer = _children(_map(lang, events), EventsLayer)[0]
    popup = layer.payload["ev"][0][5]
    for word in words:
        assert word in popup
    for english in ("People:", "Where:", "claims:", "<th>Source</th>", "published"):
        assert english not in popup
    texts = layer.payload["text"]
    assert texts["borderTitle"] == ("국경 전 구간" if lang == "ko" else "整条边境沿线")


@pytest.mark.parametrize(("lang", "tag"), [("en", "en"), ("ko", "ko"), ("zh", "zh-Hans")])
def test_page_and_container_carry_the_language(lang, tag):
    events = make_events([{"event_id": "e", "date_start": "2024-04-26", "count_best": 6,
                           **DANDONG}])  # fmt: skip
    m = _map(lang, events)
    assert m.get_root().render().startswith(f'<!DOCTYPE html>\n<html lang="{tag}">')
    controls = _children(m, ControlTexts)
    assert len(controls) == 1 and controls[0].options["lang"] == tag
    # It comes after the layer control, whose button title it sets.
    names = list(m._children)
    assert names.index(controls[0].get_name()) > max(
        i for i, n in enumerate(names) if n.startswith("layer_control")
    )


def test_tooltips_in_the_language():
    with language("ko"):
        sector = _("Border sector {name} ({km} km)")
    m = _map("ko", make_events([{"event_id": "e", "date_start": "2024-04-26", "count_best": 6,
                                 **DANDONG}]))  # fmt: skip
    text = _text(m.get_root().render())
    assert "압록강" in text and "두만강" in text
    assert sector.split("{")[0] in text  # "국경 구간 "
    assert "랴오닝성: 사건 1건, 인원: " in text  # the province tooltip
    assert re.search(r"국경 구간 [^\"]+ \(\d[\d,]*km\)", text)


def test_numbers_in_the_legend_follow_the_language():
    with language("zh"):
        cells = {"scale": 0.1, "largest": 12_000}
        legend = legend_html(["forced_return"], cells=cells, outside=1234)
        note = ngettext(
            "{n} event outside the map area is listed, not drawn.",
            "{n} events outside the map area are listed, not drawn.", 1234,
        ).format(n="1,234")  # fmt: skip
    assert note in legend and "1,234" in legend
    assert "0.25°" in legend
    assert ">10,000<" in legend  # the largest round size of the cells, digits grouped


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_scale_bar_is_metric_only_outside_english(lang):
    page = _map(lang).get_root().render()
    assert '"imperial":false' in page and '"imperial":true' not in page
