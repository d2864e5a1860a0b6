"""Stories: a named sequence of slides, each a saved view with a title and a caption.

A slide keeps its view as the link's query string (``ViewParams.to_query``), so it keeps
whatever a link carries; ``present`` and ``lang`` are left out (presenting and the language
are the reader's choices, not the slide's). The model is pure: the app stores stories in its
workspace (``webapp.story_store``), the exporters (``render.exports.story``) and ``border-map
story export`` read the same JSON (:meth:`Story.to_json`, :func:`story_from_json`).

Limits: a story has a name of at most :data:`MAX_NAME` characters and at most
:data:`MAX_SLIDES` slides; a slide's title is one line of at most :data:`MAX_TITLE`
characters, its caption at most :data:`MAX_CAPTION_LINES` lines and :data:`MAX_CAPTION`
characters. Input beyond them is refused with :class:`StoryError`, whose message says what is
accepted. Control characters and bidirectional overrides are left out of every text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from geo.view import ViewParams, view_from_query
from i18n import _
from i18n.formats import number

MAX_NAME = 120
MAX_TITLE = 120
MAX_CAPTION = 600
MAX_CAPTION_LINES = 6
MAX_SLIDES = 50
#: Longest slide query string kept (characters).
MAX_QUERY = 4_000
#: The version of the JSON written by :meth:`Story.to_json`.
FORMAT_VERSION = 1
#: Query parameters a slide does not keep (the reader's choices).
_NOT_KEPT = ("present", "lang")
#: Characters left out of names, titles and captions: controls and bidirectional overrides.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _tidy(line: str) -> str:
    """Return one line with whitespace runs as single spaces and unsafe characters left out."""
    return _UNSAFE.sub("", " ".join(line.split()))


class StoryError(ValueError):
    """A story, slide or story file that cannot be used; ``str()`` says what is accepted."""


def _clean_line(text: object, what: str, limit: int) -> str:
    """Return ``text`` as one stripped line of at most ``limit`` characters."""
    line = _tidy(str(text))
    if len(line) > limit:
        raise StoryError(
            _("{what} is {n} characters long; at most {limit} are accepted.").format(
                what=what, n=number(len(line)), limit=number(limit)
            )
        )
    return line


def _clean_caption(text: object) -> str:
    """Return a caption: lines stripped, at most MAX_CAPTION_LINES and MAX_CAPTION characters."""
    lines = [_tidy(line) for line in str(text).strip().splitlines()]
    caption = "\n".join(lines)
    if len(lines) > MAX_CAPTION_LINES:
        raise StoryError(
            _("The caption has {n} lines; at most {limit} are accepted.").format(
                n=number(len(lines)), limit=number(MAX_CAPTION_LINES)
            )
        )
    if len(caption) > MAX_CAPTION:
        raise StoryError(
            _("The caption is {n} characters long; at most {limit} are accepted.").format(
                n=number(len(caption)), limit=number(MAX_CAPTION)
            )
        )
    return caption


def slide_query(view: ViewParams) -> str:
    """Return the query string a slide keeps for ``view`` (no ``?``, ``present``, ``lang``)."""
    kept = {k: v for k, v in view.to_query().items() if k not in _NOT_KEPT}
    return urlencode(kept, safe=",")


@dataclass(frozen=True)
class Slide:
    """One view of a story: its link's query string, a title and a caption.

    Build one with :func:`make_slide`, which checks the limits.
    """

    query: str
    title: str
    caption: str = ""

    def params(self) -> dict[str, str]:
        """Return the slide's query parameters (``present`` and ``lang`` left out)."""
        return {k: v for k, v in parse_qsl(self.query) if k not in _NOT_KEPT}

    def view(self, lang: str = "en") -> tuple[ViewParams, list[str]]:
        """Return the slide's view in ``lang``, and notices about values that were ignored."""
        view, notices = view_from_query(self.params())
        return view.with_changes(lang=lang, present=False), notices


def make_slide(query: str, title: str, caption: str = "") -> Slide:
    """Return a slide, its title and caption checked and tidied (whitespace).

    Raises
    ------
    StoryError
        The title is empty, longer than one line of :data:`MAX_TITLE` characters, or the
        caption is beyond its limits; the query string is longer than :data:`MAX_QUERY`.
    """
    clean_title = _clean_line(title, _("The slide's title"), MAX_TITLE)
    if not clean_title:
        raise StoryError(_("A slide needs a title."))
    query = str(query).lstrip("?")
    if len(query) > MAX_QUERY:
        raise StoryError(
            _("The slide's view is {n} characters long; at most {limit} are accepted.").format(
                n=number(len(query)), limit=number(MAX_QUERY)
            )
        )
    return Slide(query, clean_title, _clean_caption(caption))


@dataclass(frozen=True)
class Story:
    """A named sequence of slides; every change returns a new story."""

    name: str
    slides: tuple[Slide, ...] = ()

    def renamed(self, name: str) -> Story:
        """Return the story under another name (one line, at most :data:`MAX_NAME`)."""
        return replace(self, name=_clean_line(name, _("The story's name"), MAX_NAME))

    def with_slide(self, slide: Slide) -> Story:
        """Return the story with ``slide`` added at the end (at most :data:`MAX_SLIDES`)."""
        if len(self.slides) >= MAX_SLIDES:
            raise StoryError(
                _("A story holds at most {limit} slides.").format(limit=number(MAX_SLIDES))
            )
        return replace(self, slides=(*self.slides, slide))

    def moved(self, index: int, step: int) -> Story:
        """Return the story with slide ``index`` moved ``step`` places (kept within the story)."""
        self._check(index)
        target = min(max(index + step, 0), len(self.slides) - 1)
        slides = list(self.slides)
        slides.insert(target, slides.pop(index))
        return replace(self, slides=tuple(slides))

    def without(self, index: int) -> Story:
        """Return the story without slide ``index``."""
        self._check(index)
        return replace(self, slides=self.slides[:index] + self.slides[index + 1 :])

    def edited(self, index: int, title: str, caption: str) -> Story:
        """Return the story with slide ``index``'s title and caption replaced (checked)."""
        self._check(index)
        slide = make_slide(self.slides[index].query, title, caption)
        return replace(self, slides=(*self.slides[:index], slide, *self.slides[index + 1 :]))

    def to_dict(self) -> dict[str, Any]:
        """Return the story as JSON-ready data (see :func:`story_from_json`)."""
        return {
            "version": FORMAT_VERSION,
            "name": self.name,
            "slides": [
                {"query": s.query, "title": s.title, "caption": s.caption} for s in self.slides
            ],
        }

    def to_json(self) -> str:
        """Return the story as JSON text (UTF-8 characters kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self.slides):
            raise StoryError(
                _("There is no slide {n}; the story has {count}.").format(
                    n=number(index + 1), count=number(len(self.slides))
                )
            )


def story_from_json(text: str | bytes) -> Story:
    """Read a story from the JSON of :meth:`Story.to_json`.

    Raises
    ------
    StoryError
        The text is not JSON, not a story of this version, or a name, slide, title or
        caption is beyond its limits; the message names what is wrong.
    """
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise StoryError(
            _("The story file is not valid JSON ({reason}).").format(reason=error)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("slides"), list):
        raise StoryError(_("The story file holds no story: it needs a name and a list of slides."))
    if data.get("version") != FORMAT_VERSION:
        raise StoryError(
            _("The story file is of version {found}; this program reads version {version}.").format(
                found=str(data.get("version"))[:20], version=FORMAT_VERSION
            )
        )
    story = Story("").renamed(str(data.get("name", "")))
    for n, item in enumerate(data["slides"], start=1):
        if not isinstance(item, dict):
            raise StoryError(_("Slide {n} of the story file is not a slide.").format(n=number(n)))
        try:
            slide = make_slide(
                str(item.get("query", "")), str(item.get("title", "")), str(item.get("caption", ""))
            )
        except StoryError as error:
            raise StoryError(_("Slide {n}: {problem}").format(n=number(n), problem=error)) from None
        story = story.with_slide(slide)
    return story
