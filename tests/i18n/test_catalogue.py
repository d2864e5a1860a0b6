"""The Korean and Chinese catalogues hold every string the code marks, each translated.

A string marked with ``_``/``N_``/``ngettext`` (``i18n.catalogue.KEYWORDS``) that is missing
from a catalogue, left untranslated, or translated with other placeholders than the English
fails here; so does a catalogue entry the code no longer uses. ``python -m i18n``
adds new strings (untranslated) and drops old ones.
"""

import re

import pytest

from i18n import _, language, ngettext
from i18n.catalogue import TRANSLATED, domains, read_catalogue, template

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize("domain", domains())
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_string_is_translated(domain, lang):
    catalogue = read_catalogue(lang, domain)
    missing = [
        _ids(m)[0] for m in template(domain) if m.id and not all(
            catalogue.get(m.id) is not None and s for s in _strings(catalogue.get(m.id) or m)
        )
    ]
    assert not missing, f"{len(missing)} strings of {domain} lack a {lang} translation: {missing}"


@pytest.mark.parametrize("domain", domains())
@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalogue_entry_is_left_over(domain, lang):
    used = {m.id for m in template(domain) if m.id}
    stale = [m.id for m in read_catalogue(lang, domain) if m.id and m.id not in used]
    assert not stale, f"run python -m i18n: {stale}"


@pytest.mark.parametrize("domain", domains())
@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_are_in_the_language(domain, lang):
    script = HANGUL if lang == "ko" else HAN
    for message in read_catalogue(lang, domain):
        if not message.id:
            continue
        wanted = {frozenset(PLACEHOLDER.findall(i)) for i in _ids(message)}
        for string in _strings(message):
            assert frozenset(PLACEHOLDER.findall(string)) in wanted, (message.id, string)
            words = PLACEHOLDER.sub("", string)
            if script.search(" ".join(_ids(message))) is None and re.search("[a-z]{3}", words):
                # a sentence is written in the language (proper names may stay in Latin)
                assert script.search(string), (message.id, string)


def test_the_current_language_chooses_the_translation():
    assert _("all dates") == "all dates"
    with language("ko"):
        assert _("all dates") == "전체 기간"
    with language("zh"):
        assert _("all dates") == "全部日期"
    with language("xx"):  # unknown: English
        assert _("all dates") == "all dates"
    assert ngettext("{n} row", "{n} rows", 2) == "{n} rows"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_string_reads_the_same_in_every_domain(lang):
    """The domains are merged at run time: one English string has one translation."""
    first: dict = {}
    differing = []
    for domain in domains():
        for message in read_catalogue(lang, domain):
            if message.id and first.setdefault(message.id, message.string) != message.string:
                differing.append((message.id, first[message.id], message.string, domain))
    assert not differing


#: Glossary terms (docs/GLOSSARY.md): an English string holding one is translated with it.
GLOSSARY = [
    ("forced return", "강제북송", "强制遣返"),
    ("detention", "구금", "拘留"),
    ("cross-check", "교차 확인", "交叉核对"),
    ("gazetteer", "지명 사전", "地名词典"),
    ("best estimate", "최선 추정치", "最佳估计"),
    ("country uncertain", "국가 불분명", "国别不明"),
    ("province not known", "미상", "不详"),
    ("border sector", "국경 구간", "边境段"),
]  # fmt: skip


@pytest.mark.parametrize(("column", "lang"), [(1, "ko"), (2, "zh")])
def test_the_glossary_terms_are_used_everywhere(column, lang):
    astray = []
    for domain in domains():
        for message in read_catalogue(lang, domain):
            english = " ".join(_ids(message)).lower()
            for term in GLOSSARY:
                if term[0] in english and not all(term[column] in s for s in _strings(message)):
                    astray.append((domain, term[0], message.id, message.string))
    assert not astray
