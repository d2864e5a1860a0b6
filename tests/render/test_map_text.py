"""Escaping helpers (``render.markup``) and names (``render.names``); wording: test_wording.py."""

import json

import pandas as pd
import pytest

from geo.reference import load_reference
from render.markup import escape_html, link_html, safe_url, to_js_json
from render.names import local_name, province_names


class TestEscaping:
    def test_html(self):
        assert escape_html('<img src=x onerror="a">&\'') == (
            "&lt;img src=x onerror=&#34;a&#34;&gt;&amp;&#39;"
        )
        assert escape_html(None) == ""
        assert escape_html(float("nan")) == ""

    def test_js_json_round_trips_and_cannot_break_out(self):
        value = {"t": "</script><script>x()</script> {{ 7*7 }} {% raw %} {#c#} '\u2028&"}
        out = to_js_json(value)
        assert json.loads(out) == value
        for bad in ("</", "<script", "{{", "{%", "{#", "'", "&"):
            assert bad not in out

    @pytest.mark.parametrize(
        "url",
        ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "ftp://x.org",
         "//x.org", "https://", "", None],
    )  # fmt: skip
    def test_unsafe_urls_refused(self, url):
        assert safe_url(url) is None

    def test_safe_urls_kept(self):
        assert safe_url(" https://www.hrw.org/news?a=1&b=2 ") == "https://www.hrw.org/news?a=1&b=2"
        assert safe_url("http://example.org") == "http://example.org"

    def test_link(self):
        link = link_html("https://x.org/?a=1&b=<2>", "Title <b>")
        assert link == (
            '<a href="https://x.org/?a=1&amp;b=&lt;2&gt;" target="_blank" '
            'rel="noopener noreferrer">Title &lt;b&gt;</a>'
        )
        assert link_html("javascript:alert(1)", "t") == "javascript:alert(1)"


class TestNames:
    DANDONG = {
        "name_en": "Dandong",
        "name_local": "丹东市",
        "name_ko": "단둥",
        "name_zh": "丹东",
        "alt_names": "Andong|丹東|단둥 시",
        "country_iso3": "CHN",
    }
    SINUIJU = {
        "name_en": "Sinuiju",
        "name_local": "신의주",
        "name_ko": "신의주",
        "name_zh": "新义州",
        "alt_names": "Sinŭiju|新義州市|신의주시",
        "country_iso3": "PRK",
    }

    def test_each_language_reads_its_own_column(self):
        assert local_name(self.DANDONG, "en") == "Dandong"
        assert local_name(self.DANDONG, "zh") == "丹东"  # not name_local 丹东市
        assert local_name(self.DANDONG, "ko") == "단둥"  # not alt_names' 단둥 시
        assert local_name(self.SINUIJU, "ko") == "신의주"
        assert local_name(self.SINUIJU, "zh") == "新义州"

    def test_shipped_places_and_provinces_in_korean_and_chinese(self):
        reference = load_reference()
        places = reference.places.set_index("place_id")
        ko = {i: local_name(places.loc[i].to_dict(), "ko")
              for i in ("cn-dandong", "cn-tumen", "cn-jian", "cn-hunchun", "kp-rajin")}  # fmt: skip
        # South Korean spelling (나진, not the North's 라진), no 시 suffix
        assert ko == {"cn-dandong": "단둥", "cn-tumen": "투먼", "cn-jian": "지안",
                      "cn-hunchun": "훈춘", "kp-rajin": "나진"}  # fmt: skip
        ids = ("kp-hyesan", "kp-pyongyang", "kp-musan", "kp-rajin", "cn-dandong")
        zh = {i: local_name(places.loc[i].to_dict(), "zh") for i in ids}
        # Simplified Chinese, never the Japanese forms GeoNames also lists (恵山市, 平壌)
        assert zh == {"kp-hyesan": "惠山", "kp-pyongyang": "平壤", "kp-musan": "茂山",
                      "kp-rajin": "罗津", "cn-dandong": "丹东"}  # fmt: skip
        ko_provinces = province_names(reference.provinces, "ko")
        zh_provinces = province_names(reference.provinces, "zh")
        assert (ko_provinces["CN-JL"], ko_provinces["KP-10"], ko_provinces["KP-13"]) == (
            "지린성", "양강도", "나선")  # fmt: skip
        assert (zh_provinces["CN-JL"], zh_provinces["KP-10"], zh_provinces["KP-01"]) == (
            "吉林省", "两江道", "平壤")  # fmt: skip

    def test_shipped_sectors_in_korean_and_chinese(self):
        sectors = load_reference().sectors.set_index("sector_id")
        assert local_name(sectors.loc["CN-JL|KP-10"].to_dict(), "ko") == "지린성–양강도"
        assert local_name(sectors.loc["CN-LN|KP-03"].to_dict(), "zh") == "辽宁省–平安北道"

    def test_falls_back_to_english(self):
        plain = {"name_en": "Dandong", "name_local": "丹东市", "alt_names": "단둥"}
        assert local_name(plain, "ko") == "Dandong"
        assert local_name({**plain, "name_zh": ""}, "zh") == "Dandong"

    def test_province_names_follow_the_language(self):
        provinces = pd.DataFrame(
            [
                {"iso_3166_2": "CN-LN", "name_en": "Liaoning", "name_local": "辽宁",
                 "name_ko": "랴오닝성", "name_zh": "辽宁省", "country_iso3": "CHN"},
                {"iso_3166_2": "KP-01", "name_en": "P'yŏngyang", "name_local": "평양직할시",
                 "name_ko": "평양", "name_zh": "", "country_iso3": "PRK"},
            ]
        )  # fmt: skip
        en, zh, ko = (province_names(provinces, lang) for lang in ("en", "zh", "ko"))
        assert (en["CN-LN"], en["KP-01"]) == ("Liaoning", "P'yŏngyang")
        assert (zh["CN-LN"], zh["KP-01"]) == ("辽宁省", "P'yŏngyang")
        assert (ko["CN-LN"], ko["KP-01"]) == ("랴오닝성", "평양")
        # provinces without a shape are named too (data/other_provinces.csv)
        assert (en["CN-BJ"], ko["CN-BJ"], zh["CN-BJ"]) == ("Beijing", "베이징시", "北京市")
