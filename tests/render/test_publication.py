"""Exports "for publication": the text of columns marked sensitive is in none of them (issue 16).

Every markable column (``SENSITIVE_COLUMNS``) holds a marker naming a person, in Latin and
Korean letters; the view is built with ``geo.withhold.withhold_view`` and exported to each
format. No file may hold the marker in any form (UTF-8, JSON/JS ``\\uXXXX`` escapes, HTML
character references, percent-encoding, inside PDF text or nested archives), while the same
exports of the full view do hold it (so these tests can fail), and each says in its data note
what was withheld.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_export_standins import regions

from geo.aggregate import SpanningEvent
from geo.pipeline import ViewData, build_view
from geo.reference.schema import SENSITIVE_COLUMNS
from geo.view import ViewParams
from geo.withhold import withhold, withhold_view
from i18n import language
from render.exports import write_export
from render.printmap import layout
from render.wording import withheld_note
from tests.factories import make_events

NAME = "김철수"
LATIN = "SECRET-NAME"
MARKER = f"{LATIN}-{NAME}"


def marker_rows() -> list[dict]:
    """Rows whose every markable column names the person, with two claims that disagree."""
    text = {
        "count_text": f"three, among them {MARKER}",
        "location_text": f"the house of {MARKER}",
        "source_org": f"Witness {MARKER}",
        "source_title": f"Testimony of {MARKER}",
        "source_url": f"https://example.org/{LATIN}/{urllib.parse.quote(NAME)}",
        "evidence_quote": f"{MARKER} was taken back across the river",
        "notes": f"Interview with {MARKER}; Component of report-1",
        "cites": f"Family of {MARKER}",
    }
    assert set(text) == set(SENSITIVE_COLUMNS)
    return [
        {"event_id": "hyesan-1", "date_start": "2023-08-01", "count_best": 3,
         "place_names": "Hyesan", "lat": 41.40, "lon": 128.18, "provinces": "KP-10",
         "source_published": "2023-09-02", **text},
        {"event_id": "hyesan-1-b", "same_event_as": "hyesan-1", "date_start": "2023-08-01",
         "count_best": 30, "place_names": "Hyesan", "lat": 41.40, "lon": 128.18,
         "provinces": "KP-10", "source_org": "Radio Free Asia",
         "source_url": "https://www.rfa.org/d"},
        {"event_id": "unplaced-1", "date_start": "2022-12-01", "date_end": "2023-02-01",
         "date_precision": "period", "count_best": 2, "geo_precision": "border",
         "map_level": "border", **text},
        {"event_id": "report-1", "event_type": "report", "date_start": "2023-01-01",
         "date_end": "2023-12-31", "date_precision": "period", "count_best": 5,
         "count_low": 5, "count_qualifier": "more_than", "geo_precision": "country",
         "map_level": "border", **text,
         "count_text": f"more than 5 returned, says {MARKER}"},
    ]  # fmt: skip


def full_view(lang: str = "en") -> ViewData:
    view = ViewParams(start=dt.date(2023, 1, 1), match="overlap", lang=lang)
    return build_view(make_events(marker_rows()), view)


FORMS = (
    LATIN,
    NAME,
    json.dumps(NAME)[1:-1],  # \uae40\ucca0\uc218
    json.dumps(NAME)[1:-1].upper().replace("\\U", "\\u"),
    "".join(f"&#{ord(c)};" for c in NAME),
    "".join(f"&#x{ord(c):x};" for c in NAME),
    urllib.parse.quote(NAME),
    urllib.parse.quote(NAME).lower(),
)


def leaks(text: str) -> list[str]:
    """Return the forms of the marker found in ``text`` (case-insensitive)."""
    lowered = text.lower()
    return [form for form in FORMS if form.lower() in lowered]


def pdf_texts(data: bytes) -> list[str]:
    """Return a PDF's extracted text and its decompressed streams (latin-1)."""
    reader = PdfReader(io.BytesIO(data))
    texts = [" ".join(page.extract_text() for page in reader.pages)]
    texts.append(" ".join(str(v) for v in (reader.metadata or {}).values()))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            texts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            texts.append(match.group(1).decode("latin-1"))
    return texts


def file_texts(name: str, data: bytes) -> list[str]:
    """Return every text a file holds: raw, and per member of archives (nested too)."""
    texts = [data.decode("utf-8", errors="replace"), data.decode("latin-1")]
    if name.endswith((".html", ".svg")):  # a story's map pages are escaped in an attribute
        texts.append(html.unescape(html.unescape(texts[0])))
    if name.endswith(".pdf"):
        texts += pdf_texts(data)
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                texts += file_texts(member, archive.read(member))
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(data))
        texts.append(table.to_pandas().drop(columns="geometry").to_csv())
        texts.append(str(table.schema.metadata))
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(data))
        texts += [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r]
    return texts


def export(data: ViewData, fmt: str, folder: Path) -> dict[str, bytes]:
    """Write ``data`` as ``fmt``; return each file written (the sidecar too) by name."""
    folder.mkdir(parents=True, exist_ok=True)
    written = write_export(data, regions(), folder / f"view.{fmt}", fmt, title="Test")
    return {path.name: path.read_bytes() for path in written}


PUBLIC_FORMATS = ("html", "pdf", "csv", "xlsx", "zip", "svg", "png", "geojson", "parquet")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Each format exported for publication and in full."""
    full = full_view()
    public = withhold_view(full, SENSITIVE_COLUMNS)
    folder = tmp_path_factory.mktemp("publication")
    return {
        (fmt, kind): export(data, fmt, folder / kind / fmt)
        for fmt in PUBLIC_FORMATS
        for kind, data in (("public", public), ("full", full))
    }


@pytest.mark.parametrize("fmt", PUBLIC_FORMATS)
def test_a_public_export_holds_none_of_the_sensitive_text(exports, fmt):
    for name, data in exports[fmt, "public"].items():
        found = {form for text in file_texts(name, data) for form in leaks(text)}
        assert not found, f"{name} holds {found}"


@pytest.mark.parametrize("fmt", ("html", "pdf", "csv", "xlsx", "zip", "svg", "geojson", "parquet"))
def test_the_full_export_holds_it_so_the_test_can_fail(exports, fmt):
    texts = [t for name, data in exports[fmt, "full"].items() for t in file_texts(name, data)]
    assert any(LATIN in t for t in texts)
    if fmt in ("html", "csv", "xlsx", "zip", "geojson", "parquet"):
        assert any(NAME in t or json.dumps(NAME)[1:-1] in t for t in texts)


NOTE = "Withheld for publication: Count in the source's words (count_text)"


@pytest.mark.parametrize("fmt", ("html", "pdf", "xlsx", "zip", "png", "geojson", "parquet"))
def test_the_data_note_says_what_was_withheld(exports, fmt):
    texts = [t for name, data in exports[fmt, "public"].items() for t in file_texts(name, data)]
    joined = re.sub(r"\s+", " ", html.unescape(" ".join(texts)))
    assert NOTE in joined
    assert "Notes (notes)" in joined and "(these columns are blank)" in joined
    full = [t for name, data in exports[fmt, "full"].items() for t in file_texts(name, data)]
    assert "Withheld for publication" not in " ".join(full)


def test_the_pack_readme_and_sources_list_say_so(exports):
    (pack,) = exports["zip", "public"].values()
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        for member in ("README.txt", "sources.txt"):
            text = re.sub(r"\s+", " ", archive.read(member).decode("utf-8"))
            assert NOTE in text, member


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_note_is_in_the_page_language(lang):
    public = withhold_view(full_view(lang), ("notes", "evidence_quote"))
    with language(lang):
        note = withheld_note(public.withheld)
        text = layout.data_note(public, 0, 1, dt.datetime(2026, 1, 1))
    label = {"ko": "인용문(evidence_quote)", "zh": "引文（evidence_quote）"}[lang]
    assert note and "Withheld" not in note and label in note and "notes" in note
    assert note in text


def test_withhold_blanks_the_columns_and_leaves_the_frame_it_was_given():
    events = make_events(marker_rows())
    kept = events.copy()
    out = withhold(events, ["notes", "source_org"])
    assert (out["notes"] == "").all() and (out["source_org"] == "").all()
    assert list(out.columns) == list(events.columns) and len(out) == len(events)
    assert (out["evidence_quote"] == events["evidence_quote"]).all()
    assert events.equals(kept)  # the shared dataset frame is not changed
    # the sources the claims' conflict sentences name go with source_org
    assert f"(Witness {MARKER})" in events.loc[0, "conflict"]
    assert out.loc[0, "conflict"].startswith("counts disagree: “three, among them")
    assert "Witness" not in out.loc[0, "conflict"]
    assert "(source not named)" in out.loc[0, "conflict"]
    # and the count words they quote with count_text
    words = withhold(events, ["count_text"]).loc[0, "conflict"]
    assert words.startswith("counts disagree: 3 (Witness") and MARKER not in words.split(")")[1]


def test_a_column_that_places_or_counts_cannot_be_withheld():
    events = make_events(marker_rows())
    for column in ("lat", "place_names", "count_best", "date_start", "event_id"):
        with pytest.raises(ValueError, match=column):
            withhold(events, [column])


def test_the_published_view_keeps_the_figures_and_drops_the_summary_texts():
    full = full_view()
    public = withhold_view(full, reversed(SENSITIVE_COLUMNS))
    assert public.withheld == SENSITIVE_COLUMNS
    assert withhold_view(full, ()) is full
    checks = full.summary.cross_checks
    assert checks and checks[0].claim and MARKER in checks[0].claim
    assert public.summary.people == full.summary.people
    assert [c.verdict for c in public.summary.cross_checks] == [c.verdict for c in checks]
    assert [c.listed_event_ids for c in public.summary.cross_checks] == [
        c.listed_event_ids for c in checks
    ]
    spanning = {e.event_id: e for e in full.summary.spanning}
    assert MARKER in spanning["unplaced-1"].place
    assert MARKER not in repr(public.summary)
    assert MARKER not in public.events.drop(columns="geometry").to_json(date_format="iso")
    assert isinstance(public.summary.spanning[0], SpanningEvent)
    assert dataclasses.replace(public, withheld=()).summary == public.summary


@pytest.mark.parametrize("fmt", ["html", "pdf", "pptx"])
def test_a_story_for_publication_holds_none_of_the_sensitive_text(tmp_path, fmt):
    from render.exports.story import export_story
    from render.story import Story, make_slide

    story = Story("Returns").with_slide(make_slide("?start=2023-01-01&match=overlap", "2023"))
    events = make_events(marker_rows())
    texts = {}
    for kind, withheld in (("public", SENSITIVE_COLUMNS), ("full", ())):
        out = tmp_path / f"{kind}.{fmt}"
        export_story(story, regions(), out, fmt, events_for=lambda _slide: events,
                     withheld=withheld)  # fmt: skip
        texts[kind] = file_texts(out.name, out.read_bytes())
    assert not {form for text in texts["public"] for form in leaks(text)}
    assert any(LATIN in text for text in texts["full"])
    joined = re.sub(r"\s+", " ", html.unescape(" ".join(texts["public"])))
    if fmt != "pptx":  # the slide's picture says it; its speaker notes too
        assert NOTE in joined
    assert "Withheld for publication" in joined
