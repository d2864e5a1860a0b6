import json

import pandas as pd
import pytest

from render.markup import (
    escape_html,
    format_count,
    format_date,
    link_html,
    safe_url,
    to_js_json,
)
from render.names import local_name


class TestFormatDate:
    @pytest.mark.parametrize(
        ("start", "end", "precision", "expected"),
        [
            ("2024-04-26", "2024-04-26", "day", "26 Apr 2024"),
            ("2021-07-01", "2021-07-31", "month", "July 2021"),
            ("2023-01-01", "2023-12-31", "year", "2023"),
            ("2024-01-01", "2024-05-31", "period", "Jan–May 2024"),
            ("2023-12-01", "2024-02-29", "period", "Dec 2023 – Feb 2024"),
            ("2024-01-01", "2024-05-08", "period", "1 Jan – 8 May 2024"),
            ("2024-05-03", "2024-05-08", "period", "3–8 May 2024"),
            ("2020-01-01", "2023-12-31", "period", "2020–2023"),
            ("2023-02-03", "2024-05-08", "period", "3 Feb 2023 – 8 May 2024"),
        ],
    )
    def test_precision_is_written(self, start, end, precision, expected):
        assert format_date(pd.Timestamp(start), pd.Timestamp(end), precision) == expected

    def test_open_ends(self):
        assert format_date(pd.Timestamp("2020-03-03"), pd.NaT, "period") == "from 3 Mar 2020"
        assert format_date(None, pd.Timestamp("2020-03-03"), "period") == "until 3 Mar 2020"
        assert format_date(pd.NaT, pd.NaT, "day") == "date unknown"


class TestCounts:
    @pytest.mark.parametrize(
        ("qualifier", "best", "low", "high", "expected"),
        [
            ("exact", 12, 12, 12, "12"),
            ("about", 60, 60, None, "about 60"),
            ("more_than", 500, 500, None, "more than 500"),
            ("at_least", 1200, 1200, None, "at least 1,200"),
            ("up_to", 600, None, 600, "up to 600"),
            ("unknown", None, 50, 60, "50–60"),
            ("unknown", None, None, None, "not stated"),
        ],
    )
    def test_count_words(self, qualifier, best, low, high, expected):
        assert format_count(qualifier, best, low, high) == expected


class TestEscaping:
    def test_html(self):
        assert escape_html('<img src=x onerror="a">&\'') == (
            "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#x27;"
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
        "alt_names": "Andong|丹東|단둥 시",
        "country_iso3": "CHN",
    }
    SINUIJU = {
        "name_en": "Sinuiju",
        "name_local": "신의주",
        "alt_names": "Sinŭiju|新义州|新義州市|신의주시",
        "country_iso3": "PRK",
    }

    def test_each_language(self):
        assert local_name(self.DANDONG, "en") == "Dandong"
        assert local_name(self.DANDONG, "zh") == "丹东市"
        assert local_name(self.DANDONG, "ko") == "단둥 시"
        assert local_name(self.SINUIJU, "ko") == "신의주"
        assert local_name(self.SINUIJU, "zh") == "新义州"

    def test_falls_back_to_english(self):
        plain = {**self.DANDONG, "alt_names": "Andong"}
        assert local_name(plain, "ko") == "Dandong"
