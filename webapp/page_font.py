"""The CJK web font for the Streamlit page itself (the map's iframe has its own, same source).

The theme (``.streamlit/config.toml``) names :data:`PAGE_FAMILY` after Source Sans in every
font list of the page; each run declares that family with ``@font-face``: the Noto Sans CJK
face of the page's language (KR for Korean and English, SC for Chinese, so Han characters
take the shapes each language's readers expect), subset to the CJK characters the page can
show: the language's catalogue, the language picker, the place, province and sector names,
and the dataset's text. The
subset is served from the app's own host (``webapp.static_assets.publish_font``), so Hangul and
Hanzi render on a machine with no CJK font, offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd
import streamlit as st

from geo.reference import Reference
from geo.reference.places import OTHER_PROVINCES
from i18n import LANGUAGE_NAMES
from i18n.catalogue import domains as catalogue_domains
from i18n.catalogue import read_catalogue
from render.webmap.fonts import FLAVOR, cjk_characters, font_file_name, subset_font
from webapp.sidebar import LANGUAGE_LABEL
from webapp.static_assets import publish_font

#: The font family the theme lists after Source Sans (``.streamlit/config.toml``).
PAGE_FAMILY = "BEM Noto Sans CJK"


@cache
def catalogue_characters(lang: str) -> str:
    """Return the CJK characters of the translations into ``lang`` and of the language picker.

    The picker's label and options are shown in every language (English included).
    """
    texts: list[str] = [LANGUAGE_LABEL, *LANGUAGE_NAMES.values()]
    if lang == "en":
        return cjk_characters("".join(texts))
    for domain in catalogue_domains():
        for message in read_catalogue(lang, domain):
            string = message.string
            strings = string if isinstance(string, tuple | list) else [string]
            texts.extend(str(s) for s in strings if s)
    return cjk_characters("".join(texts))


def data_characters(frames: Iterable[pd.DataFrame]) -> str:
    """Return the CJK characters of the text columns of ``frames`` (names, titles, notes)."""
    texts = [
        "".join(frame[column].dropna().astype(str).unique())
        for frame in frames
        for column in frame.select_dtypes(include=["object", "string"]).columns
    ]
    return cjk_characters("".join(texts))


def page_font_css(lang: str, characters: str) -> str | None:
    """Return the ``@font-face`` of :data:`PAGE_FAMILY` for ``lang``, or None without a font."""
    data = subset_font(lang, characters)
    if data is None:
        return None
    url = publish_font(font_file_name(f"page-{lang}", data), data)
    return (
        f'@font-face {{ font-family: "{PAGE_FAMILY}"; src: url("{url}") format("{FLAVOR}"); '
        "font-display: swap; }"
    )


def reference_tables(regions: Reference, events: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Return the tables whose names and text the page shows: events and reference data."""
    return (
        events,
        regions.places,
        regions.provinces.drop(columns="geometry"),
        regions.sectors.drop(columns="geometry"),
        pd.DataFrame(OTHER_PROVINCES),
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _dataset_characters(dataset_key: str, _frames: tuple[pd.DataFrame, ...]) -> str:
    return data_characters(_frames)


def render_page_font(lang: str, dataset_key: str, frames: Iterable[pd.DataFrame]) -> None:
    """Declare the page's CJK font for this run (an invisible ``<style>`` element).

    Parameters
    ----------
    lang
        The page's language.
    dataset_key
        Names the shown dataset and its reference data (the characters are kept per key).
    frames
        The tables whose text the page shows: the events, the places, provinces and sectors.
    """
    characters = "".join(
        sorted(
            set(catalogue_characters(lang)) | set(_dataset_characters(dataset_key, tuple(frames)))
        )
    )
    css = page_font_css(lang, characters)
    if css is not None:
        st.html(f"<style>{css}</style>")
