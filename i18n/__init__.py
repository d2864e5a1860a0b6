"""The language a person reads, and every text they see in it.

English is the source language: user-facing strings are written in English in the code,
marked with :func:`_` (or :func:`ngettext` for counted nouns, :func:`N_` for constants that are
translated where they are shown), and translated from the Korean and Chinese (simplified)
catalogues in ``i18n/locale/<lang>/LC_MESSAGES/*.po`` (``i18n.catalogue``). Placeholders are
named and filled after translation: ``_("{n} rows").format(n=...)``.

The language is the current context's (:func:`language`, :func:`set_language`): the app sets it
at the top of each run from the view, the CLI from ``--lang``, exports from the view they
draw. Numbers and dates are written per language by ``i18n.formats``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from i18n.catalogue import translations

#: The languages every text exists in: English (source), Korean, Chinese (simplified).
LANGUAGES = ("en", "ko", "zh")
DEFAULT_LANGUAGE = "en"
#: Each language's name, written in itself (for the language picker).
LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "zh": "中文"}

_current: ContextVar[str] = ContextVar("border_map_language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """Return the language of the current context (``en``, ``ko`` or ``zh``)."""
    return _current.get()


def set_language(lang: str) -> None:
    """Make ``lang`` the language of the current context (an unknown one means English)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside the ``with`` block, then restore the language before it."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Return ``message`` (an English source string) in the current language."""
    lang = _current.get()
    return message if lang == DEFAULT_LANGUAGE else translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a counted message for ``n`` in the current language."""
    lang = _current.get()
    if lang == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark only")
    """Mark ``message`` for the catalogue without translating it (translate it where shown)."""
    return message
