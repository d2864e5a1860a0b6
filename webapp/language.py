"""The language a visitor reads the app in, when the link does not say: their browser's.

A link's ``lang`` always wins (``webapp.sidebar.page_language``); without one, the browser's
preferred languages decide, read from ``st.context.locale`` (``navigator.language``) and the
``Accept-Language`` header (every preference, with its q-value). The first of them the app is
written in (:data:`i18n.LANGUAGES`) is chosen; none of them: English. Chinese in any script
or region (``zh-CN``, ``zh-Hans``, ``zh-TW``, ``zh-Hant-HK``) is the app's Chinese, which is
simplified: a reader of traditional characters reads it more easily than English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, language
from webapp.widget_state import keep_values

#: One language range of an ``Accept-Language`` header: the tag, then parameters (``q=0.8``).
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;(.*))?$")
_QVALUE = re.compile(r"^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$", re.IGNORECASE)


def language_of_tag(tag: str | None) -> str | None:
    """Return the app's language for a BCP 47 tag (``ko-KR`` -> ``ko``), or None.

    Examples
    --------
    >>> language_of_tag("ko-KR"), language_of_tag("zh-Hant-TW"), language_of_tag("en_GB")
    ('ko', 'zh', 'en')
    >>> language_of_tag("de-DE") is None
    True
    """
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def accept_language_tags(header: str | None) -> list[str]:
    """Return the language tags of an ``Accept-Language`` header, most preferred first.

    Tags are ordered by their q-value (1 when not given), equal ones in the header's order;
    a tag with ``q=0`` (not acceptable), a malformed range and ``*`` are left out.

    Examples
    --------
    >>> accept_language_tags("en-US;q=0.5, ko-KR, zh;q=0.8, fr;q=0")
    ['ko-KR', 'zh', 'en-US']
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        found = _RANGE.match(part)
        if found is None or found.group(1) == "*":
            continue
        quality = 1.0
        for parameter in (found.group(2) or "").split(";"):
            weight = _QVALUE.match(parameter)
            if weight:
                quality = float(weight.group(1))
        if quality > 0:
            ranked.append((-quality, position, found.group(1)))
    return [tag for _q, _p, tag in sorted(ranked)]


def browser_language(locale: str | None, accept_language: str | None) -> str:
    """Return the first of the browser's languages the app is written in; else English.

    Parameters
    ----------
    locale
        ``navigator.language`` (``st.context.locale``), e.g. ``ko-KR``; may be None.
    accept_language
        The ``Accept-Language`` request header, e.g. ``zh-CN,zh;q=0.9,en;q=0.8``; may be None.
    """
    for tag in (locale, *accept_language_tags(accept_language)):
        lang = language_of_tag(tag)
        if lang is not None:
            return lang
    return DEFAULT_LANGUAGE


def visitor_language() -> str:
    """Return the language of this session's browser (English outside a browser session)."""
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 (no session context: a bare script or test)
        locale = None
    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # noqa: BLE001
        header = None
    return browser_language(locale, header)


def in_language(label: Callable[[Any], str]) -> Callable[[Any], str]:
    """Return ``label`` bound to the current language: it labels options in it, whenever called.

    Streamlit may call a widget's ``format_func`` outside the run that drew the widget (AppTest
    does, to serialise the value it sends back); bound, it gives the labels the widget was
    drawn with, whatever language that thread is in.

    Switching the language keeps every widget's value: each widget has a ``key`` (its
    identity, whatever its label), Streamlit reads the label the browser sends back with the
    previous run's options, and :func:`keep_choices` sends the choices back under their new
    labels (``tests/webapp/test_language.py`` switches with a view and an export chosen).
    """
    lang = current_language()

    def labelled(option: Any) -> str:
        with language(lang):
            return label(option)

    return labelled


#: The session-state key holding the language of the previous run.
_RUN_LANGUAGE = "_run_language"


def keep_choices(lang: str, keys: Iterable[str]) -> None:
    """Show the chosen options of the widgets ``keys`` under their new labels after a switch.

    Streamlit keeps a keyed widget's value when its labels change, but the browser keeps
    showing (and sends back) the label of the previous language, which the new options do not
    know: the next interaction would reset the widget to its default. Written back as a value
    before any widget is drawn, each choice is sent to the browser under its new label.

    Parameters
    ----------
    lang
        The language of this run.
    keys
        Keys of select widgets (selectbox, multiselect, radio) whose labels are translated.
    """
    previous = st.session_state.get(_RUN_LANGUAGE)
    st.session_state[_RUN_LANGUAGE] = lang
    if previous is None or previous == lang:
        return
    keep_values(keys)
