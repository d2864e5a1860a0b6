"""Problem messages are shown in Korean and Chinese: every message geo/ writes is translated.

``geo/`` writes problems in English; ``i18n.problems.translate_problem`` reads each message as
an instance of a template found in the code and fills the template's translation.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from geo.errors import LISTED_PER_CHECK, Problem, list_problems
from geo.parse.dates import ACCEPTED_DATES
from geo.validate import load_events
from i18n import language
from i18n.catalogue import read_catalogue
from i18n.problems import (
    COMPOSED,
    GEO,
    PIECES,
    _reading,
    problem_templates,
    translate_problem,
    translate_severity,
)
from tests.adversarial import corpus

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HAN = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = {"ko": HANGUL, "zh": HAN}
SLOT = re.compile(r"\{(\d+)\}")


def _sample(template: str) -> tuple[str, list[str]]:
    """Return the template filled with a distinct sample value per placeholder, and those."""
    values: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = f"«{match[1]}»"
        values.append(value)
        return value

    text = SLOT.sub(fill, template.replace("{{", "\x00").replace("}}", "\x01"))
    return text.replace("\x00", "{").replace("\x01", "}"), values


def test_the_templates_are_the_messages_of_geo():
    templates = problem_templates()
    assert len(templates) > 200
    assert "{0} is not a real date ({1})" in templates  # a parse error, numbered
    assert "duplicate event_id; first used on row {0}" in templates
    # a literal brace of a message is doubled, as str.format reads it
    assert any("(counting '{{' and '[')" in t for t in templates)


@pytest.mark.parametrize("template", problem_templates())
def test_each_template_reads_its_own_instance(template):
    message, values = _sample(template)
    _score, found, captured = _reading(message)
    assert found is not None, message
    # a more specific template may read it (a piece inside); two placeholders side by side
    # (``Placemark {0}{1}``) may split their text otherwise
    if found == template and not re.search(r"\}\{", template):
        assert [captured[int(n)] for n in SLOT.findall(template)] == values


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_every_template_has_a_translation_in_the_catalogue(lang):
    catalogue = read_catalogue(lang, "problems")
    missing = [t for t in problem_templates() if not (catalogue.get(t) and catalogue[t].string)]
    assert not missing


@cache
def _geo_literals() -> list[str]:
    found = []
    for path in GEO.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return found


@pytest.mark.parametrize("template", [*COMPOSED, *PIECES])
def test_composed_messages_and_pieces_are_written_in_geo(template):
    """Most of each hand-listed template is text of geo/'s code (it is not made up)."""
    if template == ACCEPTED_DATES:  # geo.parse.dates writes it from DATE_MIN and DATE_MAX
        return
    text = SLOT.sub("\x00", template).lower()
    covered = [False] * len(text)
    literals = {re.sub(r"\{\w*\}", "\x00", lit.strip().lower()) for lit in _geo_literals()}
    for literal in {lit for lit in literals if len(lit) >= 4}:
        for found in re.finditer(re.escape(literal), text):
            covered[found.start() : found.end()] = [True] * len(literal)
    letters = [c for c, _ in zip(text, covered, strict=True) if c.isalnum()]
    known = [c for c, k in zip(text, covered, strict=True) if c.isalnum() and k]
    assert len(known) >= 0.6 * len(letters), template


def test_english_is_unchanged():
    message = "'03/04/2024' is ambiguous: 3 April or 4 March? write 2024-04-03 or 2024-03-04"
    assert translate_problem(message) == message
    assert translate_problem(message, "en") == message
    with language("en"):
        assert translate_problem(message) == message
        assert translate_severity("warning") == "warning"


def test_a_message_is_translated_with_its_values_kept():
    message = "'03/04/2024' is ambiguous: 3 April or 4 March? write 2024-04-03 or 2024-03-04"
    assert translate_problem(message, "ko") == (
        "'03/04/2024'은(는) 모호합니다. 4월 3일입니까, 3월 4일입니까? "
        "2024-04-03 또는 2024-03-04(으)로 쓰세요"
    )
    with language("zh"):
        assert translate_problem(message) == (
            "'03/04/2024'有歧义：是4月3日还是3月4日？请写作2024-04-03或2024-03-04"
        )
        assert translate_severity("error") == "错误"
    assert translate_problem("duplicate event_id; first used on row 12", "ko") == (
        "event_id가 중복됩니다. 12행에서 처음 사용되었습니다"
    )


def test_a_message_that_matches_no_template_stays_english():
    assert translate_problem("something geo never says", "ko") == "something geo never says"


def test_pieces_inside_a_message_are_translated_too():
    advice = "'n.d.' is not a date this tool reads; " + (
        "write ISO dates such as 2024-04-26, 2024-04, 2024 or 2024-01-01/2024-05-08"
    )
    ko = translate_problem(advice, "ko")
    assert ko == (
        "'n.d.'은(는) 이 도구가 읽을 수 있는 날짜가 아닙니다. "
        "2024-04-26, 2024-04, 2024, 2024-01-01/2024-05-08 같은 ISO 날짜로 쓰세요"
    )
    unknown = "not in the gazetteer (data/places.csv): 'Tumen City' (did you mean 'Tumen'?), 'Xyz'"
    assert translate_problem(unknown, "zh") == (
        "不在地名词典（data/places.csv）中：'Tumen City'（是否指'Tumen'？）, 'Xyz'"
    )
    # a problem inside a problem: a count's reason inside a range's
    nested = (
        "'2024-02-30': not a range of two counts ('02-30' is not a count this tool reads: "
        "write a number, a qualified number ('about 60', 'more than 500', 'up to 600') or a "
        "range ('50 to 60'))"
    )
    ko = translate_problem(nested, "ko")
    assert ko.startswith("'2024-02-30': 두 인원수로 된 범위가 아닙니다('02-30'은(는) 이 도구가")


@pytest.mark.parametrize("column", ["date", ""])
def test_the_note_on_rows_not_listed_is_translated_with_its_problem(column):
    items = list(range(LISTED_PER_CHECK + 5))
    problems = list_problems(items, lambda i: Problem(i + 2, column, "", "error", "no date given"))
    note = problems[-1].message
    assert note.startswith("no date given; ") and problems[-1].more_rows == 4
    ko = translate_problem(note, "ko")
    zh = translate_problem(note, "zh")
    where = "date에는" if column else "파일에는"
    assert ko == (
        f"날짜가 없습니다. {where} 1,006행까지 4개 행에 같은 종류의 오류가 더 있으며, 하나하나 "
        "나열하지 않았습니다(종류마다 처음 1,000개 행만 나열합니다)"
    )
    assert zh.startswith("未填写日期；") and "另外4行中有同类错误" in zh


def _fixture_problems() -> list[Problem]:
    """The problems of the real and language fixtures and of hostile files built in code."""
    problems: list[Problem] = []
    for path in sorted((ROOT / "tests" / "data").rglob("*")):
        if path.suffix.lower() in (".csv", ".xlsx", ".geojson", ".kml", ".kmz"):
            problems += load_events(path).problems
    bad_rows = [
        corpus.row(date="03/04/2024"),
        corpus.row(date="13/04/2024", count_text="-5"),
        corpus.row(date="31-12-19", count_text="1.200"),
        corpus.row(date="20240426", source_url="javascript:alert(1)"),
        corpus.row(date="n.d.", admin1_codes="Atlantis"),
        corpus.row(date="2023-02-29", source_url="hrw.org/news"),
        corpus.row(date="2024 to 2023", count_text="60 to 50"),
        corpus.row(event_id="", event_type="smuggling", count_text="many"),
        corpus.row(date="", count_text="2000000000", admin1_codes=""),
        *(corpus.row(date=hostile) for hostile in corpus.HOSTILE),
    ]
    built = [
        ("bad.csv", corpus.csv_bytes(bad_rows)),
        ("bad.csv", corpus.csv_bytes([corpus.GOOD, ("e2", "2024")], delimiter=";")),
        ("formula.xlsx", corpus.xlsx_formula_without_value()),
        ("far.xlsx", corpus.xlsx_far_column(rows=3)),
        ("bad.geojson", corpus.geojson_long_integer()),
        ("bad.geojson", corpus.geojson_lone_surrogate()),
        ("bomb.kml", corpus.kml_billion_laughs(3)),
        ("places.csv", corpus.csv_unknown_places(LISTED_PER_CHECK + 3)),
        ("short.csv", corpus.csv_one_field_rows(LISTED_PER_CHECK + 3)),
    ]
    for name, data in built:
        problems += load_events(data, filename=name).problems
    return problems


@pytest.fixture(scope="module")
def fixture_problems() -> list[Problem]:
    return _fixture_problems()


def test_the_fixtures_give_many_kinds_of_problem(fixture_problems):
    kinds = {_reading(p.message)[1] for p in fixture_problems}
    assert len(fixture_problems) > 100
    assert len(kinds) >= 40


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_every_problem_of_the_fixtures_is_translated(fixture_problems, lang):
    script = SCRIPT[lang]
    with language(lang):
        untranslated = [
            p.message for p in fixture_problems
            if _reading(p.message)[1] is None or not script.search(translate_problem(p.message))
        ]  # fmt: skip
        severities = {translate_severity(p.severity) for p in fixture_problems}
    assert not untranslated
    assert severities == ({"오류", "경고"} if lang == "ko" else {"错误", "警告"})


def test_ten_thousand_problems_translate(fixture_problems):
    """Thousands of messages (each row its own numbers) translate in one pass; no timing."""
    messages = [
        f"duplicate event_id; first used on row {n}" if n % 3 else
        f"Row {n} has 1 field, header has 5; the missing cells at the end are read as empty."
        for n in range(10_000)
    ]  # fmt: skip
    messages += [p.message for p in fixture_problems]
    translated = [translate_problem(m, "zh") for m in messages]
    assert translated[1] == "event_id重复；首次用于第1行"
    assert translated[3] == "第3行有1个字段，而表头有5个；末尾缺少的单元格按空值读取。"
    assert all(HAN.search(t) for t in translated)
