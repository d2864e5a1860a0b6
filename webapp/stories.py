"""Stories in the app: the "Story" panel in the sidebar and the presentation of its slides.

A story is open while the link names it (``?story=<id>&slide=<n>``, kept beside the view by
``webapp.links.write_query``). :func:`open_story_link` runs before the data
panel and the sidebar: when the link names a story and slide not shown yet in this session (a
link just opened, a key or button that stepped), it writes the slide's view into the link, which
the sidebar then applies like any link. Page Down / Page Up (``webapp.presenter_keys``) and the
buttons step slides by changing ``slide``.

Stories are saved in the workspace (``webapp.story_store``), so a link to one works for anyone
using the same server, after a restart too.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from geo.reference import Reference
from geo.view import ViewParams, query_link
from i18n import N_, _, current_language, language
from render.exports import STORY_FORMATS
from render.exports.story import EventsFor, export_story, slide_counter
from render.printmap import layout
from render.story import (
    MAX_CAPTION,
    MAX_NAME,
    MAX_TITLE,
    Slide,
    Story,
    StoryError,
    make_slide,
    slide_query,
)
from webapp.data_loading import shipped_dataset
from webapp.language import in_language
from webapp.links import SLIDE_PARAM, STORY_PARAM, STORY_PARAMS, live_view, page_address
from webapp.markdown_text import plain
from webapp.presenter_keys import presenter_keys
from webapp.story_store import StoryStore, is_story_id
from webapp.uploads import SHIPPED
from webapp.widget_state import keep_fields
from webapp.workspace import WorkspaceFull

#: Returns the events of the dataset a slide names, or None when it is not to be shown.
DatasetOpener = Callable[[str], gpd.GeoDataFrame | None]
#: Parameters of the link a slide does not set (the reader's choices), kept when stepping.
_READER_PARAMS = ("lang", "present")
NAME_KEY = "story_name"
TITLE_KEY = "slide_title"
CAPTION_KEY = "slide_caption"
FORMAT_KEY = "story_format"
PICK_KEY = "story_pick"
#: The story panel's select widgets whose option labels are translated (``keep_choices``).
CHOICE_KEYS = (FORMAT_KEY,)
#: The panel's fields whose values outlive its closing (Streamlit forgets widgets not drawn).
_KEPT_CLOSED = (NAME_KEY, TITLE_KEY, CAPTION_KEY, FORMAT_KEY, PICK_KEY)
#: The default name of a new story (translated where shown).
DEFAULT_NAME = N_("Untitled story")
FORMAT_LABELS = {
    "html": N_("Slideshow (HTML, offline, live maps)"),
    "pdf": N_("PDF (a page per slide)"),
    "pptx": N_("PowerPoint (.pptx)"),
}
#: The story panel (an expander drawn only while open) and the story it was opened for.
PANEL_KEY = "story_panel"
_PANEL_FOR = "_story_panel_for"
_SHOWN = "_story_shown"
_PROBLEM = "_story_problem"
_EDITING = "_story_editing"
_MADE = "_story_made"


def _slide_number(text: object) -> int:
    try:
        return max(1, int(str(text)))
    except ValueError:
        return 1


def _open_story() -> tuple[str, int] | None:
    """Return the id and slide number the link names, or None."""
    query = st.query_params.to_dict()
    story_id = query.get(STORY_PARAM, "")
    if not story_id:
        return None
    return story_id, _slide_number(query.get(SLIDE_PARAM, "1"))


def _load(store: StoryStore, story_id: str) -> Story | None:
    """Return the saved story, or None (the reason kept for :func:`render_story_view`)."""
    try:
        story = store.load(story_id)
    except StoryError as error:
        st.session_state[_PROBLEM] = str(error)
        return None
    if story is None:
        st.session_state[_PROBLEM] = _(
            "No story is saved under {id}: it was deleted, or the link is incomplete."
        ).format(id=story_id[:40])
    return story


def _close() -> None:
    """Close the story: its parameters leave the link."""
    for name in STORY_PARAMS:
        if name in st.query_params:
            del st.query_params[name]
    st.session_state.pop(_SHOWN, None)
    st.session_state.pop(_EDITING, None)


def open_story_link(store: StoryStore) -> None:
    """Show the slide the link names, when this session has not shown it yet.

    Call before the data panel and the sidebar: the slide's view is written into the link
    (with the reader's language and presentation mode, and the story's parameters), and the
    sidebar applies it. A link to a story that is not saved, or cannot be read, is closed;
    the reason is shown by :func:`render_story_view`.
    """
    named = _open_story()
    if named is None:
        st.session_state.pop(_SHOWN, None)
        return
    if st.session_state.get(_SHOWN) == named:
        return
    story_id, number = named
    story = _load(store, story_id)
    if story is None:
        _close()
        return
    if not story.slides:
        st.session_state[_SHOWN] = named
        return
    number = min(number, len(story.slides))
    query = st.query_params.to_dict()
    written = story.slides[number - 1].params()
    written |= {k: query[k] for k in _READER_PARAMS if k in query}
    written |= {STORY_PARAM: story_id, SLIDE_PARAM: str(number)}
    st.session_state[_SHOWN] = (story_id, number)
    st.query_params.from_dict(written)


def _go_to(number: int) -> None:
    """Show slide ``number`` of the open story (applied by the next run's link)."""
    st.query_params[SLIDE_PARAM] = str(number)


def _step(store: StoryStore, step: int) -> None:
    named = _open_story()
    if named is None:
        return
    story = _load(store, named[0])
    if story is None or not story.slides:
        return
    _go_to(min(max(named[1] + step, 1), len(story.slides)))


def _present(story_id: str) -> None:
    """Present the story from its first slide."""
    st.query_params.update({"present": "1", STORY_PARAM: story_id, SLIDE_PARAM: "1"})
    st.session_state.pop(_SHOWN, None)


def _leave_presentation() -> None:
    if "present" in st.query_params:
        del st.query_params["present"]


def _story_link(story_id: str) -> str:
    """Return the link that opens the story: the address the browser used, then the id."""
    return query_link({STORY_PARAM: story_id}, page_address() or "")


def _markdown_lines(text: str) -> str:
    """Return ``text`` as Markdown showing exactly its lines (nothing else rendered)."""
    return "  \n".join(plain(line) for line in text.split("\n"))


def render_story_view(store: StoryStore, present: bool) -> None:
    """Show a story link's problem, and in presentation mode the slide and the keys.

    In presentation mode with a story open: the slide's title and caption, "Slide k of n",
    buttons to step and to leave; Page Down / Page Up step (``webapp.presenter_keys``, also
    drawn without a story, for the map's ←/→ and space).
    """
    problem = st.session_state.pop(_PROBLEM, None)
    if problem:
        st.warning(plain(problem), icon="⚠️")
    if not present:
        return
    presenter_keys(on_key=lambda step: _step(store, step))
    named = _open_story()
    story = _load(store, named[0]) if named else None
    if named is None or story is None or not story.slides:
        return
    number = min(named[1], len(story.slides))
    slide = story.slides[number - 1]
    text, controls = st.columns([5, 2], vertical_alignment="top")
    text.subheader(plain(slide.title), anchor=False)
    if slide.caption:
        text.markdown(_markdown_lines(slide.caption))
    controls.caption(plain(slide_counter(number, len(story.slides))), help=None)
    back, forward, leave = controls.columns(3)
    back.button("←", key="present_previous", help=_("Previous slide (Page Up)"),
                disabled=number <= 1, on_click=_go_to, args=(number - 1,))  # fmt: skip
    forward.button("→", key="present_next", help=_("Next slide (Page Down)"),
                   disabled=number >= len(story.slides), on_click=_go_to,
                   args=(number + 1,))  # fmt: skip
    leave.button("✕", key="present_leave", help=_("Leave presentation mode"),
                 on_click=_leave_presentation)  # fmt: skip


def _save(store: StoryStore, story_id: str, story: Story) -> bool:
    """Save the story; on failure keep the reason for the panel and return False."""
    try:
        store.save(story_id, story)
    except (StoryError, WorkspaceFull) as error:
        st.session_state[_PROBLEM] = str(error)
        return False
    return True


def _add_slide(store: StoryStore, view: ViewParams) -> None:
    """Add the current view as a slide (a new story when none is open) and show it."""
    named = _open_story()
    story = _load(store, named[0]) if named else None
    story_id = named[0] if named and story is not None else store.new_id()
    if story is None:
        name = str(st.session_state.get(NAME_KEY, "")).strip() or _(DEFAULT_NAME)
        story = Story(name[:MAX_NAME])
    try:
        slide = make_slide(slide_query(live_view(view)),
                           str(st.session_state.get(TITLE_KEY, "")),
                           str(st.session_state.get(CAPTION_KEY, "")))  # fmt: skip
        story = story.with_slide(slide)
    except StoryError as error:
        st.session_state[_PROBLEM] = str(error)
        return
    if _save(store, story_id, story):
        number = len(story.slides)
        st.query_params.update({STORY_PARAM: story_id, SLIDE_PARAM: str(number)})
        st.session_state[_SHOWN] = (story_id, number)
        st.session_state[TITLE_KEY] = st.session_state[CAPTION_KEY] = ""


def _change(store: StoryStore, story_id: str, how: str, index: int) -> None:
    """Move a slide up or down, delete it, or start editing it."""
    story = _load(store, story_id)
    if story is None:
        return
    if how == "edit":
        st.session_state[_EDITING] = index
        st.session_state[TITLE_KEY] = story.slides[index].title
        st.session_state[CAPTION_KEY] = story.slides[index].caption
        return
    changed = {"up": lambda: story.moved(index, -1), "down": lambda: story.moved(index, 1),
               "delete": lambda: story.without(index)}[how]()  # fmt: skip
    st.session_state.pop(_EDITING, None)
    if _save(store, story_id, changed):
        moved = {"up": index - 1, "down": index + 1}.get(how, index)
        st.session_state[PICK_KEY] = min(max(moved, 0), max(len(changed.slides) - 1, 0))


def _save_edit(store: StoryStore, story_id: str, index: int) -> None:
    story = _load(store, story_id)
    if story is None:
        return
    try:
        story = story.edited(index, str(st.session_state.get(TITLE_KEY, "")),
                             str(st.session_state.get(CAPTION_KEY, "")))  # fmt: skip
    except StoryError as error:
        st.session_state[_PROBLEM] = str(error)
        return
    if _save(store, story_id, story):
        st.session_state.pop(_EDITING, None)
        st.session_state[TITLE_KEY] = st.session_state[CAPTION_KEY] = ""


def _rename(store: StoryStore, story_id: str) -> None:
    story = _load(store, story_id)
    if story is None:
        return
    try:
        story = story.renamed(str(st.session_state.get(NAME_KEY, "")) or _(DEFAULT_NAME))
    except StoryError as error:
        st.session_state[_PROBLEM] = str(error)
        return
    _save(store, story_id, story)


def _slide_list(store: StoryStore, story_id: str, story: Story) -> None:
    """List the slides; buttons show, move, edit or delete the one picked."""
    for number, slide in enumerate(story.slides, 1):
        view, _notices = slide.view(current_language())
        st.markdown(f"{number}\\. **{plain(slide.title)}**")
        st.caption(plain(layout.subtitle(view)))
    if st.session_state.get(PICK_KEY, 0) >= len(story.slides):
        st.session_state[PICK_KEY] = len(story.slides) - 1
    index: int = st.selectbox(
        _("Slide"), range(len(story.slides)), key=PICK_KEY,
        format_func=lambda i: f"{i + 1}. {story.slides[i].title}",
    )  # fmt: skip
    show, edit = st.columns(2)
    show.button(_("Show"), key="story_show", on_click=_go_to, args=(index + 1,),
                width="stretch")  # fmt: skip
    up, down = st.columns(2)
    for column, how, label, disabled in (
        (edit, "edit", _("Edit"), False),
        (up, "up", _("Move up"), index == 0),
        (down, "down", _("Move down"), index == len(story.slides) - 1),
        (st, "delete", _("Delete"), False),
    ):
        column.button(label, key=f"story_{how}", disabled=disabled, width="stretch",
                      on_click=_change, args=(store, story_id, how, index))  # fmt: skip


def _events_for(open_dataset: DatasetOpener | None, shown: gpd.GeoDataFrame) -> EventsFor:
    """Return the events a slide's view is built from: its link's dataset, else ``shown``.

    A slide whose link names a dataset (``dataset=``: ``shipped`` or a saved dataset's id) is
    built from it when ``open_dataset`` opens it for the user (the permission check of a
    link, ``webapp.datasets.open_dataset_events``); any other slide from the dataset the page
    shows.
    """

    def events(slide: Slide) -> gpd.GeoDataFrame:
        named = slide.params().get("dataset", "")
        if named == SHIPPED:
            return shipped_dataset().events
        if named and open_dataset is not None:
            found = open_dataset(named)
            if found is not None:
                return found
        return shown

    return events


def _exports(
    story: Story, events: EventsFor, regions: Reference, shown: int, withheld: tuple[str, ...]
) -> None:
    """Offer the story as an HTML slideshow, a PDF and a PowerPoint file.

    ``shown``: the number of events the page shows (a file made before a change is not offered);
    ``withheld``: the columns the files leave out, for publication (``geo.withhold``).
    """
    fmt = st.selectbox(_("Export the story as"), tuple(STORY_FORMATS), key=FORMAT_KEY,
                       format_func=in_language(lambda f: _(FORMAT_LABELS[f])))  # fmt: skip
    lang = current_language()
    signature = (story.to_json(), fmt, lang, shown, withheld)
    if st.button(_("Make the story file"), key="story_make"):
        with st.spinner(_("Making the file…")), tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"story.{fmt}"
            with language(lang):
                export_story(story, regions, out, fmt, events_for=events, lang=lang,
                             withheld=withheld)  # fmt: skip
            st.session_state[_MADE] = (signature, out.read_bytes())
    made = st.session_state.get(_MADE)
    if made is None or made[0] != signature:
        return
    st.download_button(_("Download story.{ext}").format(ext=fmt), made[1],
                       file_name=f"story.{fmt}", mime=STORY_FORMATS[fmt], key="story_download",
                       on_click="ignore", type="primary")  # fmt: skip


def render_story_panel(
    store: StoryStore,
    view: ViewParams,
    events: gpd.GeoDataFrame,
    regions: Reference,
    where: Any = None,
    open_dataset: DatasetOpener | None = None,
    withheld: tuple[str, ...] = (),
) -> None:
    """Draw the "Story" panel in the sidebar: name, add a slide, the slides, present, export.

    Parameters
    ----------
    store
        Where stories are saved.
    view
        The view the page shows (a new slide keeps it).
    events
        The shown dataset's events (the exports build each slide's view from them).
    regions
        ``geo.reference.Reference``.
    where
        The container (default ``st.sidebar``).
    open_dataset
        Returns the events of a dataset a slide names, or None when the user may not see it
        (``webapp.datasets.open_dataset_events``); None: slides show the page's dataset.
    withheld
        Columns the story's files leave out, for publication (the shown dataset's sensitive
        columns when its exports are for publication; ``geo.withhold``).
    """
    named = _open_story()
    story = _load(store, named[0]) if named and is_story_id(named[0]) else None
    sidebar = where if where is not None else st.sidebar
    opened = named[0] if named and story is not None else None
    if opened is not None and st.session_state.get(_PANEL_FOR) != opened:
        st.session_state[PANEL_KEY] = True  # a story just opened (by its link): show its panel
    st.session_state[_PANEL_FOR] = opened
    box = sidebar.expander(_("Story"), key=PANEL_KEY, on_change="rerun")
    with box:
        keep_fields(PANEL_KEY, _KEPT_CLOSED, bool(box.open))  # what was typed stays
        if not box.open:  # drawn when opened: the page's first run loads no editing widgets
            return
        story_id = opened
        if (
            story_id is not None
            and story is not None
            and st.session_state.get("_story_named") != (story_id, story.name)
        ):
            st.session_state[NAME_KEY] = story.name
            st.session_state["_story_named"] = (story_id, story.name)
        st.text_input(_("Story name"), key=NAME_KEY, max_chars=MAX_NAME,
                      placeholder=_(DEFAULT_NAME), on_change=_rename if story_id else None,
                      args=(store, story_id) if story_id else None)  # fmt: skip
        editing = st.session_state.get(_EDITING)
        st.text_input(_("Slide title"), key=TITLE_KEY, max_chars=MAX_TITLE)
        st.text_area(_("Caption (a few lines)"), key=CAPTION_KEY, max_chars=MAX_CAPTION,
                     height=90)  # fmt: skip
        if editing is not None and story_id is not None:
            st.button(_("Save slide {n}").format(n=editing + 1), key="story_save_edit",
                      on_click=_save_edit, args=(store, story_id, editing))  # fmt: skip
        else:
            st.button(_("Add the current view as a slide"), key="story_add",
                      on_click=_add_slide, args=(store, view))  # fmt: skip
        if story is None or story_id is None:
            st.caption(_("Give the slide a title, then add it: a new story starts."))
            return
        _slide_list(store, story_id, story)
        st.caption(_("Link to this story:"))
        st.code(_story_link(story_id), language=None)
        st.button(_("Present"), key="story_present", type="primary", width="stretch",
                  disabled=not story.slides, on_click=_present, args=(story_id,))  # fmt: skip
        st.button(_("Close the story"), key="story_close", on_click=_close)
        if story.slides:
            _exports(story, _events_for(open_dataset, events), regions, len(events), withheld)
