"""Exports in Korean and Chinese: every word of the page, README and headers in the language.

The check for leftover English: the English UI words of an export (its text in ``en``, with
proper names, machine-readable values and the data's own text taken out) must not appear in
the Korean or Chinese export of the same view.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from test_export_standins import SAMPLE_ROWS, VIEW_2023, regions, view_data

from geo.aggregate import PeopleRange
from geo.read import read_table
from geo.reference.schema import SCHEMA_COLUMNS
from geo.validate import load_events
from i18n import language
from render.exports import write_export
from render.exports.data import EXPORT_COLUMNS, export_data
from render.exports.html import render_page
from render.exports.pack import export_pack, readme_text
from render.wording import date_text, people_text, plural

LANGS = ("ko", "zh")
SCRIPT = {"ko": re.compile(r"[\uac00-\ud7a3]"), "zh": re.compile(r"[\u4e00-\u9fff]")}
#: Proper names and machine-readable text that stay as they are in every language.
KEPT = (
    r"https?://[\w./:%?=&#-]+", r"www\.[\w./-]+", r"[\w.-]+\.(?:csv|txt|png|pdf|html)(?![A-Za-z])",
    r"\?[\w=&,.-]+", r"border-events-map", r"\bCSV\b",
    r"border-map validate", r"Made with Natural Earth", r"Natural Earth", r"GeoNames",
    r"OpenStreetMap", r"CC BY", r"Noto Sans CJK", r"SIL OFL", r"\bUTC\b", r"\bkm\b", r"UTF-8",
    r"\bdpi\b", r"\bA4\b", r"same_event_as",
)  # fmt: skip
#: The view's parameters in the README: names and values are the query string's.
PARAMS = re.compile(
    r"^  (?:start|end|types|provinces|match|mode|basemap|lang|present|dataset|at|zoom|centre) .*$",
    re.M,
)


def _data_texts() -> list[str]:
    """Return the text the sample data brings (sources, titles, places): not UI words."""
    keys = ("source_org", "source_title", "place_names", "count_text", "event_id")
    texts = {str(row[k]) for row in SAMPLE_ROWS for k in keys if row.get(k)}
    return sorted(texts, key=len, reverse=True)


def ui_words(text: str) -> set[str]:
    """Return the Latin-script words of ``text`` that are not proper names, data or machine text."""
    text = " ".join(PARAMS.sub("", text).split())
    for data in _data_texts():
        text = text.replace(data, " ")
    for pattern in KEPT:
        text = re.sub(pattern, " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf-i18n")
    texts = {}
    for lang in ("en", *LANGS):
        data = view_data(SAMPLE_ROWS, VIEW_2023.with_changes(lang=lang))
        (path,) = write_export(data, regions(), folder / f"map-{lang}.pdf", "pdf")
        texts[lang] = _pdf_text(path)
    return texts


EXPECTED_PDF = {
    "ko": ("북중 국경에서의 북한 주민 강제북송", "2023년 1월 1일 ~ 2024년 12월 31일",
           "인원: 최소 860명, 최선 추정치 1,460명.", "표시된 사건: 9건", "사건 3건",
           "인원 수의 확실성", "성·도 음영", "지린성에서 강제북송", "지명: © GeoNames",
           "Natural Earth", "북"),
    "zh": ("中朝边境的朝鲜人强制遣返", "2023年1月1日至2024年12月31日",
           "人数：至少860人，最佳估计1,460人。", "显示的事件：9起", "3起事件",
           "人数的确定程度", "省/道着色", "从吉林省遣返",
           "地名：© GeoNames", "Natural Earth", "北"),
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_in_the_view_language(pdfs, lang):
    text = " ".join(pdfs[lang].split())
    for expected in EXPECTED_PDF[lang]:
        assert expected in text, expected
    english = ui_words(pdfs["en"])
    assert {"forced", "returns", "people", "sources", "estimate", "shown"} <= english
    left = ui_words(pdfs[lang]) & english
    assert not left, f"English UI words in the {lang} PDF: {sorted(left)}"
    assert not ui_words(pdfs[lang]), sorted(ui_words(pdfs[lang]))


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_export_in_cjk_warns_about_no_missing_glyph(tmp_path, capfd, lang):
    data = view_data(SAMPLE_ROWS[:4], VIEW_2023.with_changes(lang=lang))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        write_export(data, regions(), tmp_path / "map.pdf", "pdf")
    assert "Glyph" not in capfd.readouterr().err


def test_korean_numbers_dates_and_counters():
    with language("ko"):
        assert date_text("2023-10-09", "2023-10-09", "day") == "2023년 10월 9일"
        assert people_text(PeopleRange(1222, 1222, 1222)) == "1,222명"
        assert people_text(PeopleRange(620, 640, None)) == "최소 620명, 최선 추정치 640명"
        assert plural(3, "event") == "사건 3건"
    with language("zh"):
        assert people_text(PeopleRange(1222, 1222, 1222)) == "1,222人"
        assert plural(3, "event") == "3起事件"
    assert plural(3, "event") == "3 events"


# --- The report pack ------------------------------------------------------------------------


def _pack(folder: Path, lang: str, machine_headers: bool = False) -> zipfile.ZipFile:
    data = view_data(SAMPLE_ROWS, VIEW_2023.with_changes(lang=lang))
    out = folder / f"pack-{lang}-{machine_headers}.zip"
    return zipfile.ZipFile(export_pack(data, regions(), out, machine_headers=machine_headers))


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack-i18n")
    return {lang: _pack(folder, lang) for lang in ("en", *LANGS)}


def _csv(pack: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(pack.read(name).decode("utf-8-sig"))))


@pytest.mark.parametrize("lang", LANGS)
def test_pack_readme_is_in_the_view_language(packs, lang):
    readme = packs[lang].read("README.txt").decode("utf-8")
    assert SCRIPT[lang].search(readme.splitlines()[0])  # the default title
    expected = {
        "ko": ("보기 매개변수:", "인원: 최소 860명, 최선 추정치 1,460명.", "  2023년: ",
               "지린성에서 강제북송: 최소 310명 (사건 3건).", "저작자 표시: "),
        "zh": ("视图参数：", "人数：至少860人，最佳估计1,460人。", "  2023年：",
               "从吉林省遣返：至少310人（3起事件）。", "数据来源署名："),
    }[lang]  # fmt: skip
    for text in expected:
        assert text in readme, text
    left = ui_words(readme) & ui_words(packs["en"].read("README.txt").decode("utf-8"))
    assert not left, f"English UI words in the {lang} README: {sorted(left)}"
    assert "  lang       " + lang in readme  # the parameters stay machine-readable


@pytest.mark.parametrize("lang", LANGS)
def test_pack_pdf_and_sources_are_in_the_view_language(packs, lang):
    pdf = _pdf_text(io.BytesIO(packs[lang].read("map.pdf")))  # type: ignore[arg-type]
    assert not ui_words(pdf), sorted(ui_words(pdf))
    sources = packs[lang].read("sources.txt").decode("utf-8")
    assert not ui_words(sources), sorted(ui_words(sources))


@pytest.mark.parametrize("lang", LANGS)
def test_pack_csv_headers_are_translated_by_default(packs, lang):
    pack = packs[lang]
    for name in ("events.csv", "sources.csv", "by_year.csv"):
        header = pack.read(name).decode("utf-8-sig").splitlines()[0]
        assert not re.search(r"[A-Za-z]{3}", re.sub("ID|URL", "", header)), (name, header)
        assert SCRIPT[lang].search(header), (name, header)
    cells = {value for row in _csv(pack, "by_year.csv") for value in row.values()}
    assert ("지린성" if lang == "ko" else "吉林省") in cells
    assert ("2023년" if lang == "ko" else "2023年") in cells


def test_pack_machine_headers_are_the_column_names(tmp_path):
    pack = _pack(tmp_path, "ko", machine_headers=True)
    events = _csv(pack, "events.csv")
    assert list(events[0]) == [c for c in EXPORT_COLUMNS if c in events[0]]
    assert list(_csv(pack, "sources.csv")[0]) == [
        "organisation", "title", "published", "url", "events"
    ]  # fmt: skip
    assert {"year", "province", "people_low"} <= set(_csv(pack, "by_year.csv")[0])
    readme = pack.read("README.txt").decode("utf-8")
    assert "인원: 최소 860명" in readme  # the words stay Korean


def test_english_pack_headers_are_unchanged(packs):
    assert list(_csv(packs["en"], "sources.csv")[0])[0] == "organisation"
    assert "year" in _csv(packs["en"], "by_year.csv")[0]


# --- Data files -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_csv_headers_translated_and_machine_headers_read_back(tmp_path, lang):
    data = view_data(SAMPLE_ROWS, VIEW_2023.with_changes(lang=lang))
    readable = export_data(data, tmp_path / "events.csv", fmt="csv")
    header = readable.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert len(header) == len(set(header))
    assert all(SCRIPT[lang].search(h) for h in header), header
    (machine,) = write_export(data, regions(), tmp_path / "m.csv", "csv", machine_headers=True)
    names = machine.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert names[: len(SCHEMA_COLUMNS)] == list(SCHEMA_COLUMNS)
    english = view_data(SAMPLE_ROWS, VIEW_2023)
    (en,) = write_export(english, regions(), tmp_path / "en.csv", "csv")
    assert names == en.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    table = read_table(machine.read_bytes(), filename="events.csv")
    assert list(table.frame["event_id"]) == list(data.events["event_id"])
    # border-map validate reads the file as it reads the English one
    assert _messages(load_events(machine)) == _messages(load_events(en))


@pytest.mark.parametrize("lang", LANGS)
def test_the_shipped_data_exported_with_machine_headers_reads_back_whole(tmp_path, lang):
    from geo.join import join_events
    from geo.pipeline import build_view
    from geo.reference.schema import EVENT_TYPES
    from geo.view import ViewParams
    from tests.factories import shipped_validation

    reference = regions()
    view = ViewParams(lang=lang, types=tuple(EVENT_TYPES))
    data = build_view(join_events(shipped_validation().events, reference), view)
    (machine,) = write_export(data, reference, tmp_path / "m.csv", "csv", machine_headers=True)
    back = load_events(machine)
    assert back.valid == back.rows == len(data.events) == 150
    assert not [p for p in back.problems if p.severity == "error"]
    for column in ("event_id", "count_best", "count_low", "date_start", "admin1_codes"):
        assert back.events[column].tolist() == data.events[column].tolist(), column


def _messages(result) -> list[str]:
    return [problem.message for problem in result.problems]


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_sheets_and_headers(tmp_path, lang):
    data = view_data(SAMPLE_ROWS, VIEW_2023.with_changes(lang=lang))
    (path,) = write_export(data, regions(), tmp_path / "events.xlsx", "xlsx")
    book = openpyxl.load_workbook(path)
    assert all(SCRIPT[lang].search(name) for name in book.sheetnames), book.sheetnames
    events = book.worksheets[0]
    assert all(SCRIPT[lang].search(str(c.value)) for c in events[1]), [c.value for c in events[1]]
    by_year = [[c.value for c in row] for row in book.worksheets[2].iter_rows()]
    assert ("지린성" if lang == "ko" else "吉林省") in {v for row in by_year for v in row}
    (machine,) = write_export(
        data, regions(), tmp_path / "machine.xlsx", "xlsx", machine_headers=True
    )
    book = openpyxl.load_workbook(machine)
    assert book.sheetnames == ["events", "sources", "by_year", "view"]
    assert [c.value for c in book["events"][1]][:3] == ["event_id", "event_type", "date_start"]


@pytest.mark.parametrize("lang", LANGS)
def test_html_export_title_is_in_the_view_language(lang):
    data = view_data(SAMPLE_ROWS[:3], VIEW_2023.with_changes(lang=lang))
    page = render_page(data, regions())
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    expected = {"ko": "북중 국경 사건, 2023년 1월 1일", "zh": "中朝边境事件，2023年1月1日"}[lang]
    assert title.group(1).startswith(expected)


def test_readme_is_written_in_the_current_language():
    data = view_data(SAMPLE_ROWS[:2])
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with language("zh"):
        text = readme_text(data, "T", "L", when)
    assert "由border-events-map于2026-01-01 00:00 UTC生成。" in text
    assert "Generated 2026-01-01 00:00 UTC by border-events-map." in readme_text(
        data, "T", "L", when
    )
