"""``render.wording``: people ranges, counts, dates, view ranges, event types and credits."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.aggregate import PeopleRange, ProvinceTotals, SpanningEvent
from geo.by_year import TABLE_COLUMNS
from geo.reference.schema import COUNT_QUALIFIERS, EVENT_TYPES, MATCH_MODES
from i18n import formats, language
from render.wording import (
    ATTRIBUTION,
    ATTRIBUTION_HTML,
    COUNT_NOT_STATED,
    DATE_UNKNOWN,
    EVENT_TYPE_LABELS,
    MATCH_LABELS,
    PEOPLE_WORDS,
    PRINT_ATTRIBUTION,
    QUALIFIER_WORDS,
    SPANNING_NAMED,
    count_text,
    count_texts,
    count_words,
    date_text,
    date_texts,
    match_phrase,
    number,
    overlap_note,
    people_text,
    province_label,
    range_text,
    row_count_words,
    row_date_text,
    spanning_text,
    totals_text,
    type_label,
    year_label,
    year_table_lines,
    year_table_text,
)
from tests.factories import make_events, shipped_events

TEMPLATES = Path(__file__).resolve().parents[2] / "render" / "webmap" / "templates"


def test_number():
    assert number(0) == "0"
    assert number(1222) == "1,222"
    assert number(np.int64(1_000_000)) == "1,000,000"


class TestPeople:
    @pytest.mark.parametrize(
        ("people", "expected"),
        [
            (PeopleRange(640, 900, 1250), "640 to 1,250, best estimate 900"),
            (PeopleRange(640, 640, 1250), "640 to 1,250"),
            (PeopleRange(26, 26, 26), "26"),
            (PeopleRange(0, 0, 0), "none"),
            (PeopleRange(500, 500, None), "at least 500"),
            (PeopleRange(620, 640, None), "at least 620, best estimate 640"),
            (PeopleRange(0, 300, 300), "up to 300, best estimate 300"),
            (PeopleRange(0, 0, 300), "up to 300"),
            (PeopleRange(0, 0, None), "number not stated"),
            (PeopleRange(0, 300, None), "best estimate 300, no bounds stated"),
        ],
    )
    def test_people_text(self, people, expected):
        assert people_text(people) == expected

    @pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
    def test_map_script_words_totals_as_people_text(self):
        """The events layer fills PEOPLE_WORDS for the events shown exactly as ``people_text``."""
        source = (TEMPLATES / "events_layer.js").read_text(encoding="utf-8")
        helpers = [
            re.search(r"function fmt\(n\) \{.*?\}\n", source).group(0),
            re.search(r"function peopleWords\(.*?\n    \}\n", source, re.DOTALL).group(0),
        ]
        cases = [(640, 900, 1250), (26, 26, 26), (500, 500, None), (500, 900, None),
                 (1000, 1000, 2000), (0, 0, 0), (0, 300, 300), (0, 0, 300), (0, 0, None),
                 (0, 300, None)]  # fmt: skip
        calls = [
            f"peopleWords(w, {lo}, {be}, {0 if hi is None else hi}, {str(hi is None).lower()})"
            for lo, be, hi in cases
        ]
        script = (
            "".join(helpers)
            + f"var w = {json.dumps(PEOPLE_WORDS)};"
            + f"console.log(JSON.stringify([{', '.join(calls)}]));"
        )
        run = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
        assert json.loads(run.stdout) == [people_text(PeopleRange(*c)) for c in cases]


class TestCounts:
    @pytest.mark.parametrize(
        ("qualifier", "best", "low", "high", "expected"),
        [
            ("exact", 12, 12, 12, "12"),
            ("about", 60, 60, None, "about 60"),
            ("more_than", 500, 500, None, "more than 500"),
            ("at_least", 1200, 1200, None, "at least 1,200"),
            ("up_to", 600, None, 600, "up to 600"),
            ("unknown", None, 50, 60, "50 to 60"),
            ("unknown", None, 600, 2000, "600 to 2,000"),
            ("unknown", None, 50, 50, "50"),
            ("unknown", None, None, None, "number not stated"),
            ("unknown", pd.NA, pd.NA, pd.NA, "number not stated"),
            ("exact", float("nan"), np.nan, None, "number not stated"),
            ("", 7, 7, 7, "7"),
            # Only one bound: never written as if it were the number.
            ("unknown", None, 24, None, "at least 24"),
            ("more_than", None, 24, None, "more than 24"),
            ("unknown", None, None, 30, "up to 30"),
            ("exact", np.int64(4809), 4809, 4809, "4,809"),
        ],
    )
    def test_count_text(self, qualifier, best, low, high, expected):
        assert count_text(qualifier, best, low, high) == expected
        assert expected == COUNT_NOT_STATED or expected[-1].isdigit()

    def test_every_qualifier_with_a_number_has_words(self):
        assert set(QUALIFIER_WORDS) == set(COUNT_QUALIFIERS) - {"unknown"}

    @pytest.mark.parametrize(
        ("source_words", "expected"),
        [
            ("", "about 40"),
            (None, "about 40"),
            (float("nan"), "about 40"),
            ("About  40 ", "about 40"),  # the same words: not repeated
            ("Nearly 40", "about 40 (Nearly 40)"),
            ("around\n40", "about 40 (around 40)"),
            ("40여명", "about 40 (40여명)"),
        ],
    )
    def test_count_words_quote_the_source_when_it_says_it_differently(self, source_words, expected):
        assert count_words("about", 40, 40, None, source_words) == expected

    def test_the_number_comes_from_the_columns_not_the_source_text(self):
        words = count_words("more_than", 200, 200, None, "about 60")
        assert words.startswith("more than 200 ")
        assert count_words("unknown", None, None, None, "some defectors") == (
            "number not stated (some defectors)"
        )

    def test_row_and_frame_versions_follow_the_scalar_rule(self):
        events = shipped_events()
        expected = [row_count_words(row) for row in events.to_dict("records")]
        texts = count_texts(events)
        assert texts.tolist() == expected
        assert texts.index.equals(events.index)

    def test_frame_version_keeps_the_index_and_handles_no_rows(self):
        events = make_events(
            [
                {"date_start": "2024-04-26", "count_best": 60, "count_low": 60,
                 "count_qualifier": "about", "count_text": "about 60"},
                {"date_start": "2024-04-26", "count_qualifier": "unknown"},
            ]
        ).set_index(pd.Index([7, 3]))  # fmt: skip
        assert count_texts(events).to_dict() == {7: "about 60", 3: "number not stated"}
        assert count_texts(events.iloc[0:0]).empty


class TestDates:
    @pytest.mark.parametrize(
        ("start", "end", "precision", "expected"),
        [
            ("2024-04-26", "2024-04-26", "day", "26 April 2024"),
            ("2021-07-01", "2021-07-31", "month", "July 2021"),
            ("2023-01-01", "2023-12-31", "year", "2023"),
            ("2024-01-01", "2024-05-31", "period", "January–May 2024"),
            ("2023-12-01", "2024-02-29", "period", "December 2023 – February 2024"),
            ("2024-01-01", "2024-05-08", "period", "1 January – 8 May 2024"),
            ("2024-05-03", "2024-05-08", "period", "3–8 May 2024"),
            ("2020-01-01", "2023-12-31", "period", "2020–2023"),
            ("2023-02-03", "2024-05-08", "period", "3 February 2023 – 8 May 2024"),
            ("2024-02-01", "2024-02-29", "period", "February 2024"),  # leap day ends the month
            ("2023-02-01", "2023-02-28", "month", "February 2023"),
            ("2024-04-26", "2024-04-26", "period", "26 April 2024"),
            ("2024-04-26", "2024-04-27", "day", "26–27 April 2024"),
        ],
    )
    def test_precision_is_written(self, start, end, precision, expected):
        assert date_text(pd.Timestamp(start), pd.Timestamp(end), precision) == expected
        assert date_text(start, end, precision) == expected  # ISO text too
        assert date_text(dt.date.fromisoformat(start), dt.date.fromisoformat(end), precision) == (
            expected
        )

    def test_open_and_unknown_ends(self):
        assert date_text(pd.Timestamp("2020-03-03"), pd.NaT, "period") == "from 3 March 2020"
        assert date_text(None, pd.Timestamp("2020-03-03"), "period") == "until 3 March 2020"
        assert date_text(pd.NaT, pd.NaT, "day") == DATE_UNKNOWN == "date unknown"
        assert date_text(None, None, "period") == "date unknown"

    def test_every_month_is_spelled_out_whatever_the_locale(self):
        names = [formats.month(dt.date(2024, m, 1)) for m in range(1, 13)]
        assert names[0] == "January 2024" and names[8] == "September 2024"
        assert all(re.fullmatch(r"[A-Z][a-z]{2,8} 2024", n) for n in names)
        assert formats.day(dt.date(2024, 4, 6)) == "6 April 2024"

    @pytest.mark.parametrize(
        ("lang", "day", "month", "months", "days"),
        [
            ("ko", "2023년 10월 9일", "2021년 7월", "2024년 1월~5월", "2024년 4월 26일~6월 3일"),
            ("zh", "2023年10月9日", "2021年7月", "2024年1月 – 5月", "2024年4月26日 – 6月3日"),
        ],
    )
    def test_korean_and_chinese_dates_are_written_as_each_language_does(
        self, lang, day, month, months, days
    ):
        with language(lang):
            assert date_text("2023-10-09", "2023-10-09", "day") == day
            assert date_text("2021-07-01", "2021-07-31", "month") == month
            assert date_text("2024-01-01", "2024-05-31", "period") == months
            assert date_text("2024-04-26", "2024-06-03", "period") == days
            assert number(1222) == "1,222"
        assert date_text("2023-10-09", "2023-10-09", "day") == "9 October 2023"

    def test_series_version_follows_the_scalar_rule(self):
        starts = pd.Series(pd.to_datetime(["2004-10-26", None, "2021-07-01", None, "2004-10-26"]),
                           index=[5, 6, 7, 8, 9])  # fmt: skip
        ends = pd.Series(pd.to_datetime([None, "2019-03-01", "2021-07-31", None, None]),
                         index=[5, 6, 7, 8, 9])  # fmt: skip
        precisions = pd.Series(["period", "period", "month", "day", "period"], index=starts.index)
        texts = date_texts(starts, ends, precisions)
        assert texts.to_dict() == {
            5: "from 26 October 2004",
            6: "until 1 March 2019",
            7: "July 2021",
            8: "date unknown",
            9: "from 26 October 2004",
        }

    def test_series_matches_rows_of_the_shipped_data(self):
        events = shipped_events()
        texts = date_texts(events["date_start"], events["date_end"], events["date_precision"])
        assert texts.tolist() == [row_date_text(r) for r in events.to_dict("records")]
        assert not any(re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", t)
                       for t in texts)  # fmt: skip

    def test_view_range(self):
        assert range_text(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == (
            "1 January 2023 – 31 December 2023"
        )
        assert range_text(dt.date(2023, 1, 1), None) == "1 January 2023 – the latest record"
        assert range_text(None, dt.date(2024, 5, 8)) == "the earliest record – 8 May 2024"
        assert range_text(None, None) == "all dates"


class TestTypeLabels:
    def test_one_table_for_every_type(self):
        assert tuple(EVENT_TYPE_LABELS) == EVENT_TYPES

    def test_singular_and_plural(self):
        assert type_label("forced_return") == "Forced return"
        assert type_label("forced_return", plural=True) == "forced returns"
        assert type_label("diplomatic", plural=True) == "diplomatic events"
        assert type_label("something_else") == "something_else"
        for singular, plural in EVENT_TYPE_LABELS.values():
            assert singular[0].isupper() and plural.islower() and plural.endswith("s")


class TestCredits:
    def test_plain_text(self):
        for needle in ("Natural Earth", "public domain", "GeoNames", "CC BY 4.0"):
            assert needle in ATTRIBUTION
        assert "<" not in ATTRIBUTION
        assert PRINT_ATTRIBUTION.startswith(ATTRIBUTION) and "Noto Sans CJK" in PRINT_ATTRIBUTION

    def test_html_has_the_same_words_and_safe_links(self):
        assert re.sub(r"\s*\(www\.[^)]*\)", "", ATTRIBUTION) == html.unescape(
            re.sub(r"<[^>]+>", "", ATTRIBUTION_HTML)
        )
        links = re.findall(r"<a [^>]*>", ATTRIBUTION_HTML)
        assert len(links) == 2
        assert all('rel="noopener noreferrer"' in a and 'href="https://' in a for a in links)


# --- Issue 12: never "at least 0", returns by province, the overlap note, the year table -----

PEOPLE = st.integers(0, 10_000)


@given(low=PEOPLE, extra=PEOPLE, more=PEOPLE, open_ended=st.booleans())
def test_people_text_never_reads_at_least_zero_or_repeats_an_exact_total(
    low, extra, more, open_ended
):
    people = PeopleRange(low, low + extra, None if open_ended else low + extra + more)
    text = people_text(people)
    assert "at least 0" not in text and not text.startswith("0 ")
    if people.high == people.low and people.low > 0:
        assert text == number(people.low)


def test_totals_text_and_province_labels():
    assert totals_text(ProvinceTotals(0, 0, PeopleRange(0, 0, 0))) == "none"
    assert totals_text(ProvinceTotals(1, 0, PeopleRange(60, 60, None))) == "at least 60 (1 event)"
    assert totals_text(ProvinceTotals(2, 0, PeopleRange(0, 0, None))) == (
        "number not stated (2 events)"
    )
    assert province_label("CN-JL") == "Jilin" and province_label("CN-NM") == "Inner Mongolia"
    assert province_label("KP-03", {"KP-03": "North Pyongan"}) == "North Pyongan"
    assert province_label("not_known") == "province not known"
    assert year_label("all") == "All years" and year_label("not_known") == "date not known"
    assert year_label("2023") == "2023"


def test_match_words():
    assert set(MATCH_LABELS) == set(MATCH_MODES)
    assert match_phrase("start") == "events starting in"
    assert match_phrase("overlap") == "events overlapping"


def test_overlap_note_names_the_spanning_events_only_for_overlap():
    spanning = tuple(
        SpanningEvent(f"e{i}", f"202{i}-12-01", f"202{i + 1}-07-31", "period", f"Place {i}")
        for i in range(7)
    )
    assert overlap_note("start", spanning) is None and overlap_note("within", ()) is None
    one = overlap_note("overlap", spanning[:1])
    assert one == (
        "Counted by overlap: totals of neighbouring ranges do not add up: 1 event runs past "
        "this range into a neighbouring one: December 2020 – July 2021, Place 0"
    )
    many = overlap_note("overlap", spanning)
    assert many.count("Place ") == SPANNING_NAMED and many.endswith("; and 2 more")
    long_place = SpanningEvent("x", "2023-12-01", None, "day", "word " * 40)
    assert len(spanning_text(long_place)) < 80
    assert spanning_text(SpanningEvent("id-1", None, None, "day", "")) == "date unknown, id-1"


def test_year_table_text_and_lines():
    table = pd.DataFrame(
        [
            ("2023", "CN-JL", 1, 1, 60, 60, pd.NA),
            ("2023", "not_known", 0, 0, 0, 0, 0),
            ("2023", "all", 1, 0, 60, 60, pd.NA),
            ("all", "CN-JL", 1, 1, 60, 60, pd.NA),
            ("all", "not_known", 0, 0, 0, 0, 0),
            ("all", "all", 1, 0, 60, 60, pd.NA),
        ],
        columns=list(TABLE_COLUMNS),
    )
    words = year_table_text(table)
    assert list(words.columns) == ["Year", "Jilin", "province not known", "All (each event once)"]
    assert words.iloc[0].tolist() == ["2023", "at least 60 (1 event)", "none",
                                      "at least 60 (1 event)"]  # fmt: skip
    assert year_table_lines(table)[1] == (
        "All years: Jilin: at least 60 (1 event); province not known: none; "
        "All (each event once): at least 60 (1 event)"
    )


@pytest.mark.parametrize(
    ("lang", "dandong", "helong"), [("ko", "단둥", "허룽"), ("zh", "丹东", "和龙")]
)
def test_cross_check_events_name_their_place_in_the_language(lang, dandong, helong):
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference import load_reference
    from geo.view import ViewParams
    from render.wording import cross_check_lines
    from tests.factories import shipped_validation

    reference = load_reference()
    view = ViewParams(types=tuple(EVENT_TYPES))
    data = build_view(join_events(shipped_validation().events, reference), view)
    (hrw,) = [c for c in data.summary.cross_checks if c.events and c.reported_low == 670]
    with language(lang):
        text = " ".join(cross_check_lines(hrw))
    assert dandong in text and helong in text
    assert "Dandong" not in text and "Helong" not in text
    assert "Dandong" in " ".join(cross_check_lines(hrw))  # English as the data names it
