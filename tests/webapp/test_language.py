"""The app in Korean and Chinese: the link's ``lang``, the browser's language, switching.

The page is run under Streamlit's AppTest with ``?lang=ko`` / ``?lang=zh`` and with a browser
locale (``AppTest.context["locale"]``, what ``st.context.locale`` reads); the Accept-Language
parsing is tested on its own (AppTest cannot send request headers).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from i18n import language
from webapp.language import accept_language_tags, browser_language, language_of_tag
from webapp.page_tabs import TABS_KEY

APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HAN = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = {"ko": HANGUL, "zh": HAN}


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    return tmp_path / "workspace"


def run(at: AppTest) -> AppTest:
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def opened(query: dict[str, str] | None = None, locale: str | None = None) -> AppTest:
    at = AppTest.from_file(APP)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if locale is not None:
        at.context["locale"] = locale
    return run(at)


def figures(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def numbers(texts: list[str]) -> list[list[str]]:
    """The numbers in each text, in order: what must not change with the language."""
    return [re.findall(r"\d[\d,]*", text) for text in texts]


def frame_with(at: AppTest, column: str):
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


# --- The browser's language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("ko", "ko"), ("ko-KR", "ko"), ("KO_kr", "ko"), ("zh", "zh"), ("zh-CN", "zh"),
        ("zh-Hans", "zh"), ("zh-Hans-CN", "zh"), ("zh-TW", "zh"), ("zh-Hant-HK", "zh"),
        ("en-US", "en"), ("en", "en"), ("de-DE", None), ("*", None), ("", None), (None, None),
        ("kok", None),  # Konkani, not Korean
    ],
)  # fmt: skip
def test_a_language_tag_gives_the_apps_language(tag, lang):
    assert language_of_tag(tag) == lang


def test_accept_language_is_ordered_by_quality():
    assert accept_language_tags("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7") == [
        "ko-KR", "ko", "en-US", "en",
    ]  # fmt: skip
    assert accept_language_tags("en;q=0.5, zh-CN , de;q=0.9") == ["zh-CN", "de", "en"]
    assert accept_language_tags("fr;q=0, ko;q=0.1") == ["ko"]  # q=0: not acceptable
    assert accept_language_tags("*, ;q=1, ko;q=abc, zh;q=0.4") == ["ko", "zh"]
    assert accept_language_tags("") == accept_language_tags(None) == []


@pytest.mark.parametrize(
    ("locale", "header", "lang"),
    [
        ("ko-KR", None, "ko"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("de-DE", "de-DE,de;q=0.9,ko;q=0.5,en;q=0.3", "ko"),  # first language the app has
        ("en-GB", "ko", "en"),  # navigator.language comes first
        ("fr-FR", "fr,de;q=0.5", "en"),
        (None, None, "en"),
    ],
)
def test_the_browsers_first_language_the_app_is_written_in(locale, header, lang):
    assert browser_language(locale, header) == lang


def test_a_korean_browser_opens_the_page_in_korean_and_the_link_keeps_it():
    at = opened(locale="ko-KR")
    assert at.title[0].value == "북중 국경에서 기록된 사건"
    assert at.selectbox(key="lang").value == "ko"
    assert at.query_params["lang"] == "ko"  # the address bar now holds the choice
    at.run()
    assert at.title[0].value == "북중 국경에서 기록된 사건"


def test_a_chinese_browser_in_traditional_script_gets_the_simplified_page():
    at = opened(locale="zh-TW")
    assert at.selectbox(key="lang").value == "zh" and at.query_params["lang"] == "zh"
    assert at.tabs[0].label == "事件"


def test_the_links_language_wins_over_the_browsers():
    at = opened({"lang": "zh"}, locale="ko-KR")
    assert at.selectbox(key="lang").value == "zh" and at.tabs[0].label == "事件"
    at = opened({"lang": "en"}, locale="ko-KR")
    assert at.title[0].value == "Documented events on the China–North Korea border"
    assert at.query_params["lang"] == "en"


def test_english_chosen_over_a_korean_browser_is_written_into_the_link():
    at = opened(locale="ko-KR")
    at.selectbox(key="lang").set_value("en")
    run(at)
    assert at.title[0].value == "Documented events on the China–North Korea border"
    assert at.query_params["lang"] == "en"  # a link without lang would reopen in Korean


def test_an_english_browser_leaves_the_link_as_it_was():
    at = opened(locale="en-US")
    assert "lang" not in at.query_params and at.tabs[0].label == "Events"


# --- Korean and Chinese pages -----------------------------------------------------------------

EXPECTED = {
    "ko": {
        "title": "북중 국경에서 기록된 사건",
        "tabs": ["사건", "교차 확인", "내보내기"],
        "metrics": ["사건", "북송 인원"],
        "labels": {
            "preset": "기간 빠른 선택", "date_range": "기간", "types": "사건 유형",
            "provinces": "성·도 (선택 안 함 = 전체)", "match": "날짜 일치 기준",
            "mode": "시간 슬라이더", "basemap": "배경 지도", "present": "발표 모드",
            "dataset": "데이터셋", "read_as": "파일 읽기 형식",
        },
        "export_format": "형식",
        "headers": ["보기", "데이터"],
        "table": ["날짜", "유형", "인원", "장소", "성·도", "지도", "출처", "링크", "추가 주장",
                  "독립 출처 수", "근거", "상충하는 주장", "사건 ID"],
        "claims": ["사건", "역할", "날짜", "인원", "출처", "링크"],
        "expander": "연도별·중국 성별",
        "story": "스토리",
        "province": "지린성 (CN-JL)",
        "page_title": "국경 사건 지도",
    },
    "zh": {
        "title": "中朝边境有记录的事件",
        "tabs": ["事件", "交叉核对", "导出"],
        "metrics": ["事件", "遣返人数"],
        "labels": {
            "preset": "日期预设", "date_range": "日期范围", "types": "事件类型",
            "provinces": "省/道（不选 = 全部）", "match": "日期匹配方式", "mode": "时间滑块",
            "basemap": "底图", "present": "演示模式", "dataset": "数据集",
            "read_as": "文件读取格式",
        },
        "export_format": "格式",
        "headers": ["视图", "数据"],
        "table": ["日期", "类型", "人数", "地点", "省/道", "地图", "来源", "链接", "其他说法",
                  "独立来源数", "佐证", "相互矛盾的说法", "事件 ID"],
        "claims": ["事件", "角色", "日期", "人数", "来源", "链接"],
        "expander": "按年份和中国省份",
        "story": "故事",
        "province": "吉林省 (CN-JL)",
        "page_title": "边境事件地图",
    },
}  # fmt: skip


def _label(at: AppTest, key: str) -> str:
    (widget,) = [
        w for kind in ("selectbox", "multiselect", "radio", "slider", "toggle")
        for w in at.get(kind) if w.key == key
    ]  # fmt: skip
    return widget.label


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_page_is_in_the_links_language(lang, monkeypatch):
    titles: list[str] = []
    set_page_config = streamlit.set_page_config

    def recording(*args, **kwargs):
        if "page_title" in kwargs:
            titles.append(kwargs["page_title"])
        return set_page_config(*args, **kwargs)

    monkeypatch.setattr(streamlit, "set_page_config", recording)
    want = EXPECTED[lang]
    at = opened({"lang": lang})
    assert titles == [want["page_title"]]
    assert at.title[0].value == want["title"]
    assert [t.label for t in at.tabs] == want["tabs"]
    assert [m.label for m in at.metric][:2] == want["metrics"]
    assert {key: _label(at, key) for key in want["labels"]} == want["labels"]
    assert [h.value for h in at.header] == want["headers"]
    assert at.selectbox(key="lang").label == "Language / 언어 / 语言"
    assert at.selectbox(key="lang").options == ["English", "한국어", "中文"]
    assert want["province"] in at.multiselect(key="provinces").options
    assert list(frame_with(at, want["table"][-1]).columns) == want["table"]
    assert [e.label for e in at.expander] == [want["expander"], want["story"]]
    script = SCRIPT[lang]
    assert all(script.search(m.proto.help) for m in at.metric)  # every help text
    at.session_state[TABS_KEY] = want["tabs"][1]  # each tab is drawn while open
    run(at)
    assert list(frame_with(at, want["claims"][1]).columns) == want["claims"]
    at.session_state[TABS_KEY] = want["tabs"][2]
    run(at)
    assert _label(at, "export_format") == want["export_format"]
    ours = [at.caption[0].value, *(c.value for c in at.caption if "?lang=" in c.value)]
    assert all(script.search(text) for text in ours)  # dataset caption, export caption
    for key in ("preset", "basemap", "mode", "export_format", "export_extent"):
        widget = at.selectbox(key=key) if key not in ("mode", "export_extent") else at.radio(key)
        labels = [o for o in widget.options if o not in ("OpenStreetMap", "GeoJSON")]
        assert all(script.search(o) or o.isdigit() for o in labels), (key, widget.options)


def test_the_korean_timeline_speaks_korean():
    from geo.filter import is_reference
    from tests.factories import shipped_events
    from webapp.timeline import timeline_chart

    events = shipped_events()
    with language("ko"):
        spec = timeline_chart(events[is_reference(events)], dt.date(2023, 1, 1), None).to_dict()
    assert spec["config"]["locale"]["time"]["months"][3] == "4월"
    titles = [
        t["title"] for layer in spec["layer"]
        for t in (layer.get("encoding", {}).get("tooltip") or [])
    ]  # fmt: skip
    year_band = "클릭: 지도의 슬라이더를 이 해의 끝으로"
    assert titles and set(titles) == {"사건", "날짜", "인원", "출처", year_band}
    sizes = [lay["encoding"]["size"]["title"] for lay in spec["layer"] if "size" in lay["encoding"]]
    assert sizes == ["인원", "인원"]  # day circles and rings, one scale and legend
    english = timeline_chart(events[is_reference(events)], dt.date(2023, 1, 1), None).to_dict()
    assert "locale" not in english.get("config", {})


# --- Switching the language keeps the view ------------------------------------------------------


def test_switching_the_language_keeps_the_view_and_its_figures():
    at = opened()
    at.slider(key="date_range").set_value((dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
    at.multiselect(key="types").set_value(["forced_return", "detention"])
    at.multiselect(key="provinces").set_value(["CN-JL", "KP-09"])
    at.radio(key="match").set_value("overlap")
    at.selectbox(key="basemap").set_value("carto")
    at.selectbox(key="read_as").set_value("acled")
    run(at)
    english_ids = list(frame_with(at, "Event id")["Event id"])
    at.session_state[TABS_KEY] = "Export"
    run(at)
    at.selectbox(key="export_format").set_value("pdf")
    run(at)
    at.radio(key="export_extent").set_value("The whole border region")
    at.selectbox(key="export_orientation").set_value("portrait")
    run(at)
    view = {k: v for k, v in at.query_params.items()}
    english = figures(at)
    assert english[0] != "0"

    for lang in ("ko", "zh", "en"):
        at.selectbox(key="lang").set_value(lang)
        run(at)
        assert at.slider(key="date_range").value == (dt.date(2023, 1, 1), dt.date(2024, 12, 31))
        assert at.multiselect(key="types").value == ["forced_return", "detention"]
        assert at.multiselect(key="provinces").value == ["CN-JL", "KP-09"]
        assert at.radio(key="match").value == "overlap"
        assert at.selectbox(key="basemap").value == "carto"
        assert at.selectbox(key="read_as").value == "acled"
        assert at.selectbox(key="export_format").value == "pdf"
        assert at.radio(key="export_extent").value == "The whole border region"
        assert at.selectbox(key="export_orientation").value == "portrait"
        assert at.selectbox(key="preset").value == "Custom range"
        # The browser is told each choice under its new label: it would otherwise send back
        # the old label, which the new options do not know, and the next click would reset it.
        for widget in (
            at.selectbox(key="basemap"), at.selectbox(key="export_format"),
            at.selectbox(key="read_as"), at.radio(key="export_extent"),
        ):  # fmt: skip
            assert widget.proto.set_value, widget.key
            assert widget.proto.raw_value == widget.options[widget.index], widget.key
        provinces = at.multiselect(key="provinces")
        assert provinces.proto.set_value and list(provinces.proto.raw_values) == [
            provinces.options[0], provinces.options[10],
        ]  # fmt: skip
        expected_query = view | ({"lang": lang} if lang != "en" else {})
        assert dict(at.query_params.items()) == expected_query
        assert numbers(figures(at)) == numbers(english)
    assert figures(at) == english  # back in English: the very same texts
    at.session_state[TABS_KEY] = "Events"
    run(at)
    assert list(frame_with(at, "Event id")["Event id"]) == english_ids
    for lang in ("ko", "zh"):  # the events tab stays open through switches too
        at.selectbox(key="lang").set_value(lang)
        run(at)
        table = frame_with(at, EXPECTED[lang]["table"][-1])
        assert list(table.iloc[:, -1]) == english_ids


def test_a_preset_chosen_in_korean_is_the_same_range():
    at = opened({"lang": "ko"})
    preset = at.selectbox(key="preset")
    assert "2021년" in preset.options and "최근 12개월" in preset.options
    preset.set_value("2021")
    run(at)
    assert at.slider(key="date_range").value == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    at.selectbox(key="lang").set_value("zh")
    run(at)
    assert at.selectbox(key="preset").value == "2021"
    assert at.slider(key="date_range").value == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def test_the_export_title_follows_the_language_until_the_user_writes_one():
    at = opened()
    at.session_state[TABS_KEY] = "Export"
    run(at)
    english = at.text_input(key="export_title").value
    at.selectbox(key="lang").set_value("ko")
    run(at)
    with language("ko"):
        from i18n import _
        from render.printmap import layout

        korean = _(layout.DEFAULT_TITLE)
    assert at.text_input(key="export_title").value == korean
    at.text_input(key="export_title").set_value("내 보고서 지도")
    run(at)
    at.selectbox(key="lang").set_value("en")
    run(at)
    assert at.text_input(key="export_title").value == "내 보고서 지도"
    assert english.startswith("Forced returns")


# --- Pieces in Korean and Chinese ------------------------------------------------------------


def test_upload_report_and_saved_dataset_label_in_korean(workspace):
    at = opened({"lang": "ko"})
    csv = (
        b"date,count,place,source_url\n"
        b"2023-10-09,about 60,Dandong,https://example.org/a\n"
        b"not a date,5,Nowhere,ftp://example.org/x\n"
    )
    at.file_uploader(key="upload").upload("mine.csv", csv, "text/csv")
    run(at)
    summary = at.warning[0].value
    assert "2행 중 1행이 유효하여 지도에 표시됨" in summary and "mine\\.csv" in summary
    report = frame_with(at, "심각도")
    assert list(report.columns) == ["행", "열", "값", "심각도", "문제"]
    assert set(report["심각도"]) <= {"오류", "경고"}
    assert at.expander[0].label == "검증 보고서"
    (saved,) = [o for o in at.selectbox(key="dataset").options if "mine.csv" in o]
    assert "2행 중 1행 유효" in saved and "버전 1" in saved


def test_workspace_messages_in_chinese():
    from webapp.workspace import SavedDataset, WorkspaceFull

    saved = SavedDataset("abc", "f.csv", "2026-01-02 03:04 UTC", 1200, 1100, 3, "acled")
    with language("zh"):  # the message is written when the save is refused
        full = WorkspaceFull(500 * 1024 * 1024, 499 * 1024 * 1024, 5 * 1024 * 1024)
        label = saved.label
        message, usage = str(full), full.usage
    assert label.startswith("f.csv（") and "1,200行中1,100行有效" in label
    assert "工作区已满" in message and "BORDER_MAP_WORKSPACE_QUOTA_MB" in message
    assert usage == "已用499 MB，共500 MB"
    assert saved.label == (
        "f.csv (read as an ACLED export, 1,100 of 1,200 rows valid, saved 2026-01-02 03:04 UTC)"
    )


def test_the_error_boundary_speaks_the_pages_language():
    from webapp.errors import FAILURE_MESSAGE

    def failing_page():
        import streamlit as st

        from i18n import set_language
        from webapp.errors import run_guarded

        def body() -> None:
            set_language(st.query_params.get("lang", "en"))
            raise RuntimeError("boom")

        run_guarded(body)

    at = AppTest.from_function(failing_page)
    at.query_params["lang"] = "zh"
    at.run(timeout=30)
    (error,) = at.error
    assert error.value.startswith("绘制此页面时出错") and "**" in error.value
    assert FAILURE_MESSAGE.startswith("Something went wrong")


def test_the_timeline_axis_names_months_and_days_as_cldr_does():
    from i18n import language
    from webapp.timeline import time_locale

    assert time_locale() is None  # English: Vega's own
    with language("ko"):
        ko = time_locale()
    with language("zh"):
        zh = time_locale()
    assert (ko["shortMonths"][2], ko["days"][0], ko["periods"][0]) == ("3월", "일요일", "오전")
    assert (zh["shortMonths"][2], zh["days"][0], zh["shortDays"][1]) == ("3月", "星期日", "周一")
