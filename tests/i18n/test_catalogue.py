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
