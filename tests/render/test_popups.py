import html as html_text

import pandas as pd

from render.webmap.popups import place_words, popup_html, tooltip_html

REF = {
    "event_id": "e1",
    "event_type": "forced_return",
    "date_start": pd.Timestamp("2024-04-26"),
    "date_end": pd.Timestamp("2024-04-26"),
    "date_precision": "day",
    "count_best": 60,
    "count_low": 60,
    "count_high": None,
    "count_qualifier": "about",
    "count_text": "about 60",
    "location_text": "Dandong crossing",
    "source_org": "Daily NK",
    "source_title": "Sixty returned",
    "source_url": "https://www.dailynk.com/english/x/",
    "source_published": "2024-04-29",
    "evidence_quote": "about 60 people",
    "place_ids": "cn-dandong",
    "place_names": "Dandong",
}
PLACES = {"cn-dandong": {"name_en": "Dandong", "name_local": "丹东市", "name_ko": "단둥",
                         "name_zh": "丹东", "alt_names": "단둥 시",
                         "country_iso3": "CHN"}}  # fmt: skip


def test_popup_lists_every_claim_with_source():
    claim = {**REF, "event_id": "e2", "source_org": "RFA", "count_text": "over 200",
             "source_url": "https://www.rfa.org/y", "source_published": "",
             "evidence_quote": ""}  # fmt: skip
    html = popup_html(REF, [REF, claim], "Dandong")
    assert html.startswith('<div class="bem-popup"><b>Forced return</b> · 26 April 2024')
    assert "People: about 60<br>" in html and "2 claims:" in html
    assert html.index("Daily NK") < html.index("RFA")
    assert "<b>Daily NK</b>, published 2024-04-29: about 60 (26 April 2024)" in html
    # The count columns say "about 60": that is the count; the source's words follow in brackets.
    text = html_text.unescape(html)
    assert "<b>RFA</b>: about 60 (over 200) (26 April 2024)" in text
    assert 'rel="noopener noreferrer">Sixty returned</a>' in html
    assert '<q class="bem-quote">about 60 people</q>' in html


def test_hostile_text_is_literal():
    bad = "<script>window.__pwned=1</script>"
    row = {**REF, "source_org": bad, "count_text": bad, "evidence_quote": bad,
           "source_url": "javascript:window.__pwned=1", "location_text": bad}  # fmt: skip
    html = popup_html(row, [row], bad)
    assert "<script" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<a " not in html  # the javascript: URL is shown as text, not linked
    assert "<script" not in tooltip_html(row, bad)


def test_count_comes_from_the_columns_with_or_without_the_sources_words():
    assert "People: about 60<br>" in popup_html({**REF, "count_text": ""}, [REF], "")
    row = {**REF, "count_best": None, "count_low": 50, "count_high": 60,
           "count_qualifier": "unknown", "count_text": "50-60 people"}  # fmt: skip
    tip = html_text.unescape(tooltip_html(row, "Dandong"))
    said = "50 to 60 (50-60 people)"
    assert tip == f"Forced return · 26 April 2024 · {said} · Dandong"
    unknown = {**REF, "count_best": None, "count_low": None, "count_qualifier": "unknown",
               "count_text": "some defectors"}  # fmt: skip
    assert "number not stated (some defectors)" in html_text.unescape(
        tooltip_html(unknown, "")
    )


def test_place_words_by_language():
    assert place_words(REF, PLACES, "en") == "Dandong"
    assert place_words(REF, PLACES, "zh") == "丹东"
    assert place_words(REF, PLACES, "ko") == "단둥"
    assert place_words({**REF, "place_ids": ""}, PLACES, "ko") == "Dandong"


def test_title_without_link_is_text():
    row = {**REF, "source_url": "", "source_title": "Report <2024>"}
    assert "<br>Report &lt;2024&gt;" in popup_html(row, [row], "")
