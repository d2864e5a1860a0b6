r"""Reduce the HTML of a KML description (Google My Maps, Google Earth) to plain text.

A line break (``<br>``) and the end of a block (``<p>``, ``<div>``, ``<li>``, ``<tr>``, a
heading) start a new line; every other tag is dropped, its text kept; entities are decoded
(``&amp;`` -> ``&``); a link keeps its address after its text (``report (https://…)``) unless the
text is the address; scripts and styles are dropped with their content; spaces are collapsed
within lines and blank lines removed. Text that is not HTML comes back with its lines stripped.
"""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_to_text"]

_BLOCKS = frozenset(
    {"p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_HIDDEN = frozenset({"script", "style"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[tuple[str, int]] = []  # (href, where its text starts)
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            href = next((value or "" for name, value in attrs if name == "href"), "")
            self._links.append((href.strip(), len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = "".join(self.parts[start:]).strip()
            if href.lower().startswith(("http://", "https://")) and href != text:
                self.parts.append(f" ({href})" if text else href)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    r"""Return the text a KML balloon shows for ``html``, as plain lines.

    Parameters
    ----------
    html : str
        A description as written (HTML or plain text).

    Returns
    -------
    str
        Plain text, one line per line break or block, without empty lines.

    Examples
    --------
    >>> html_to_text("Date: 2023-10-09<br>Source: <a href='https://x.org/a'>HRW</a> &amp; NK")
    'Date: 2023-10-09\nSource: HRW (https://x.org/a) & NK'
    """
    if "<" not in html and "&" not in html:
        text = html
    else:
        parser = _Text()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
