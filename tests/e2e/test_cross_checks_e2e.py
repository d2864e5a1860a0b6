"""End to end: the Cross-checks tab in a real browser reads HRW's 670 with its verdict."""

from __future__ import annotations

import pytest

from tests.e2e.steps import open_tab
from tests.e2e.test_app_e2e import open_app

pytestmark = pytest.mark.e2e


def test_cross_checks_tab_explains_hrw_670(page, app_url):
    open_app(page, app_url)
    open_tab(page, "Cross-checks")
    panel = page.get_by_role("tabpanel", name="Cross-checks")
    panel.get_by_text("events exceed the report by 168").first.wait_for(timeout=60_000)
    text = panel.inner_text()
    assert "Reported: 670+ (source's words: “more than 670”)" in text
    assert (
        "Verdict: events exceed the report by 168: these events were reported separately: "
        "January 2024, Helong (108); 26 April 2024 (about 60); the other events account for "
        "670 of the reported 670+: consistent"
    ) in text
    assert "Events in its period: 6 events" in text
    assert "January 2024, Helong (108) — reported separately" in text
    assert "26 April 2024 (about 60) — reported separately" in text
    # HRW's 406 and 1,076 with their verdicts.
    assert (
        "Verdict: events exceed the report by 8: not among the cases the report lists: "
        "26 April 2024 (about 60); without them, events fall short by 52"
    ) in text  # 414 - 60 = 354, 52 short of 406: the sentence adds up
    assert "Verdict: events exceed the report by 28" in text
    for raw in ("reported_low", "reported_high", "events_best", "events_low", "None"):
        assert raw not in text
    # The events are linked to their sources.
    links = panel.get_by_role("link", name="source")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert "https://m.newspic.kr/view.html?cp=w3Hru72p&nid=2025101921021457956&pn=214" in hrefs
