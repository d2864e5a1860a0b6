"""A story's exports (render.exports.story): HTML slideshow, PDF, PowerPoint, and the CLI."""

from __future__ import annotations

import html
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from cli.main import main
from geo.pipeline import build_view
from geo.reference import load_reference
from render.exports.story import export_story, slide_data, story_html
from render.sources import sources_of
from render.story import Story, StoryError, make_slide
from tests.factories import shipped_events

HOSTILE = "<img src=x onerror=window.__pwned=1>{{ 6*7 }}</script>"
SLIDES = (
    ("start=2023-01-01&end=2023-12-31", "Returns in 2023", "The October 2023 mass return.\nLine 2"),
    ("start=2024-01-01&end=2024-12-31", "Returns in 2024", "Hyesan and Tumen."),
    ("start=2021-01-01&end=2021-12-31", f"Title {HOSTILE}", f"Caption {HOSTILE}"),
)


def story() -> Story:
    made = Story(f"Story {HOSTILE}")
    for query, title, caption in SLIDES:
        made = made.with_slide(make_slide(query, title, caption))
    return made


def events_for(_slide):
    return shipped_events()


@pytest.fixture(scope="module")
def regions():
    return load_reference()


@pytest.fixture(scope="module")
def page(regions):
    return story_html(story(), slide_data(story(), events_for), regions)


def data_pages(page: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r'data-page="([^"]*)"', page)]


def test_html_has_three_slides_each_with_its_map(page):
    assert page.count('<section class="slide"') == 3
    maps = data_pages(page)
    assert len(maps) == 3
    for map_page in maps:
        assert map_page.startswith("<!DOCTYPE html>") and "bemEventsLayer(" in map_page
        assert "Content-Security-Policy" in map_page  # each map keeps its own policy
    assert "9 October 2023" in maps[0] and "9 October 2023" not in maps[1]
    assert "26 April 2024" in maps[1] and "26 April 2024" not in maps[0]
    for k in (1, 2, 3):
        assert f"Slide {k} of 3" in page
    assert "Returns in 2023" in page and "The October 2023 mass return.<br>Line 2" in page
    assert "Sources of the events shown (" in page


def test_html_escapes_the_presenters_text(page):
    outside_maps = re.sub(r'data-page="[^"]*"', "", page)
    assert "<img src=x" not in outside_maps and "<img src=x" not in "".join(data_pages(page))
    assert "&lt;img src=x onerror=window.__pwned=1&gt;{{ 6*7 }}&lt;/script&gt;" in outside_maps
    scripts = re.findall(r"<script(?:\s[^>]*)?>(.*?)</script>", outside_maps, flags=re.S)
    assert len(scripts) == 1 and "__pwned" not in scripts[0]


def test_html_makes_no_request_beyond_the_chosen_tiles(page, regions):
    outside_maps = re.sub(r'data-page="[^"]*"', "", page)
    for text in (outside_maps, *data_pages(page)):
        assert not re.search(r"<(?:script|img|iframe|link)[^>]+(?:src|href)=[\"']?https?:", text)
        assert not re.search(r"url\([\"']?https?:", text)
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "img-src data:;" in csp and "http" not in csp
    # every script of the page and of its maps is allowed by hash, no other
    script = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", flags=re.S)
    scripts = {s for p in (outside_maps, *data_pages(page)) for s in script.findall(p)}
    assert csp.count("sha256-") == len(scripts)
    tiled = Story("t").with_slide(make_slide("start=2023-01-01&basemap=osm", "OSM"))
    with_tiles = story_html(tiled, slide_data(tiled, events_for), regions)
    assert "img-src data: https://tile.openstreetmap.org;" in html.unescape(with_tiles)


def test_pdf_has_a_page_per_slide_with_title_and_caption(regions, tmp_path):
    out = export_story(story(), regions, tmp_path / "s.pdf", "pdf", events_for=events_for)
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) == 3  # the slides' sources fit on their pages
    for number, (_query, title, caption) in enumerate(SLIDES):
        assert title in pages[number] and caption.split("\n")[0] in pages[number]
        flat = re.sub(r"\s+", "", pages[number])  # links wrap over lines
        data = build_view(shipped_events(), story().slides[number].view()[0])
        for url in filter(None, sources_of(data.events)["source_url"]):
            assert re.sub(r"\s+", "", url) in flat, url
    assert "1 January 2023 – 31 December 2023" in pages[0]


def test_pptx_has_a_slide_per_view_with_image_caption_and_sources(regions, tmp_path):
    out = export_story(story(), regions, tmp_path / "s.pptx", "pptx", events_for=events_for,
                       lang="ko")  # fmt: skip
    deck = Presentation(str(out))
    assert len(deck.slides) == 3
    for slide, (_query, title, caption) in zip(deck.slides, SLIDES, strict=True):
        assert slide.shapes.title.text == title
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert any(caption in t for t in texts)
        assert any("슬라이드" in t for t in texts)  # "Slide k of n" in Korean
        assert any(s.shape_type == 13 for s in slide.shapes)  # the map picture
        notes = slide.notes_slide.notes_text_frame.text
        assert title in notes
    notes_2023 = deck.slides[0].notes_slide.notes_text_frame.text
    assert "Human Rights Watch" in notes_2023 and "https://" in notes_2023


def test_a_story_without_slides_is_refused(regions, tmp_path):
    with pytest.raises(StoryError, match="no slides"):
        export_story(Story("empty"), regions, tmp_path / "e.html", "html", events_for=events_for)


def test_cli_story_export(tmp_path, capsys):
    path = tmp_path / "story.json"
    path.write_text(story().to_json(), encoding="utf-8")
    out = tmp_path / "story.pptx"
    assert main(["story", "export", str(path), "--format", "pptx", "--out", str(out)]) == 0
    assert len(Presentation(str(out)).slides) == 3
    path.write_text("{broken", encoding="utf-8")
    assert main(["story", "export", str(path), "--format", "pdf", "--out", str(out)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
