"""Show text from data or links as plain text in Streamlit's Markdown-rendering elements."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    r"""Return ``text`` with every Markdown-significant character backslash-escaped.

    ``st.warning``, ``st.caption`` and friends render Markdown: a query-string value such as
    ``[click](https://evil.example)`` must show as typed, never become a link.

    Examples
    --------
    >>> plain("[x](https://e.example)")
    '\\[x\\]\\(https\\://e\\.example\\)'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))
