"""The message catalogues: where they are, how they load, and how they are kept complete.

One ``.po`` file per language and domain (``i18n/locale/<lang>/LC_MESSAGES/<domain>.po``); a
domain is the part of the code whose strings it holds (:data:`DOMAINS`), so each part's
translations can be reviewed on their own. At run time every domain of a language is merged
into one :class:`babel.support.Translations`, compiled in memory from the ``.po`` files (no
compiled ``.mo`` files are kept in the repository).

``python -m i18n`` extracts the marked strings from the code and updates the
catalogues: new strings are added untranslated, strings no longer in the code are removed.
``tests/i18n/test_catalogue.py`` fails while any string lacks a translation.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported where a catalogue is read: English needs none
    from babel.messages.catalog import Catalog
    from babel.support import Translations

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The translated languages (English is the source).
TRANSLATED = ("ko", "zh")
#: Babel's name of each language's locale (Chinese is simplified, as written in the PRC).
LOCALES = {"en": "en_GB", "ko": "ko_KR", "zh": "zh_Hans_CN"}
#: Domain -> the directories and files (under the project root) whose Python code it holds; a
#: directory inside another domain's is that domain's alone (``render/webmap``).
DOMAINS = {
    "geo": ("geo",),
    "render": ("render",),
    "webmap": ("render/webmap",),
    "webapp": ("webapp", "app.py"),
    "cli": ("cli",),
}
#: The marker functions the extraction reads (Babel's spec: argument positions of the texts).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def po_path(lang: str, domain: str) -> Path:
    """Return the ``.po`` file of ``domain`` in ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(lang: str, domain: str) -> Catalog:
    """Return the catalogue of ``domain`` in ``lang`` (empty when the file does not exist)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang, domain)
    if not path.exists():
        return Catalog(locale=LOCALES[lang], domain=domain)
    with path.open("rb") as po:
        return read_po(po, locale=LOCALES[lang], domain=domain)


@cache
def translations(lang: str) -> Translations:
    """Return every domain's translations into ``lang``, merged (loaded once per process)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    merged = Translations()
    for domain in domains():
        compiled = io.BytesIO()
        write_mo(compiled, read_catalogue(lang, domain))
        compiled.seek(0)
        loaded = Translations(compiled)
        merged.merge(loaded)
        # merge() keeps the empty Translations' English plural rule: take the language's.
        merged.plural = loaded.plural
    return merged


#: The domain of the problem messages ``geo/`` writes in English, translated where they are
#: shown (``i18n.problems``); its templates are found in the code, not marked with ``_()``.
PROBLEMS = "problems"


def domains() -> tuple[str, ...]:
    """Return every domain (:data:`DOMAINS` and the problem messages, :data:`PROBLEMS`)."""
    return (*DOMAINS, PROBLEMS)


def extracted(domain: str) -> Iterator[tuple[str | tuple[str, ...], str, int]]:
    """Yield ``(message, file, line)`` for each marked string of ``domain``'s code.

    A counted message (``ngettext``) is the pair ``(singular, plural)``.
    """
    from babel.messages.extract import extract_from_dir  # for maintaining the catalogues only

    others = [p for d, places in DOMAINS.items() if d != domain for p in places]
    for place in DOMAINS[domain]:
        path = ROOT / place
        if path.is_file():
            yield from _extract_file(path)
            continue
        inner = [str(Path(o).relative_to(place)) for o in others if o.startswith(place + "/")]
        for name, line, message, _c, _ctx in extract_from_dir(
            path, method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True,
        ):
            if not any(name.startswith(sub + "/") for sub in inner):
                yield message, str(Path(place) / name), line


def _extract_file(path: Path) -> Iterator[tuple[str | tuple[str, ...], str, int]]:
    from babel.messages.extract import extract

    with path.open("rb") as source:
        for line, message, _c, _ctx in extract("python", source, keywords=KEYWORDS):
            yield message, path.name, line


def template(domain: str) -> Catalog:
    """Return the catalogue template of ``domain``: its messages, untranslated."""
    from babel.messages.catalog import Catalog

    catalogue = Catalog(domain=domain, project="border-events-map", charset="utf-8")
    if domain == PROBLEMS:
        from i18n.problems import problem_templates

        for template_id in problem_templates():
            catalogue.add(template_id)
        return catalogue
    for message, place, line in extracted(domain):
        if message:  # extract() yields empty pieces of a counted message as ''
            catalogue.add(message, locations=[(place, line)])
    return catalogue


def update() -> None:
    """Bring every ``.po`` file up to date with the code (new strings empty, old ones gone)."""
    from babel.messages.pofile import write_po

    for domain in domains():
        source = template(domain)
        for lang in TRANSLATED:
            catalogue = read_catalogue(lang, domain)
            created = catalogue.creation_date
            catalogue.update(source, no_fuzzy_matching=True)
            catalogue.obsolete.clear()
            catalogue.fuzzy, catalogue.creation_date = False, created
            catalogue.project, catalogue.version = "border-events-map", ""
            catalogue.copyright_holder = "border-events-map contributors"
            catalogue.msgid_bugs_address = ""
            path = po_path(lang, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as po:
                write_po(po, catalogue, width=100, sort_output=True, include_lineno=False)
