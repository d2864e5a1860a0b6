"""The story model (render.story) and its storage in the workspace (webapp.story_store)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from geo.view import ViewParams
from i18n import language
from render.story import (
    MAX_CAPTION,
    MAX_CAPTION_LINES,
    MAX_SLIDES,
    MAX_TITLE,
    Story,
    StoryError,
    make_slide,
    slide_query,
    story_from_json,
)
from webapp.story_store import STORIES_DIR, StoryStore, is_story_id
from webapp.workspace import Workspace, WorkspaceFull

VIEW_2023 = ViewParams(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), lang="ko",
                       present=True, mode="date")  # fmt: skip


def three_slides() -> Story:
    story = Story("Returns <2023–2024>")
    for title, start in (("One", "2023-01-01"), ("Two", "2023-07-01"), ("Three", "2024-01-01")):
        view = ViewParams(start=dt.date.fromisoformat(start), end=dt.date(2024, 12, 31))
        story = story.with_slide(make_slide(slide_query(view), title, f"{title}\nsecond line"))
    return story


def test_a_slide_keeps_the_link_of_its_view_but_not_the_readers_choices():
    query = slide_query(VIEW_2023)
    assert query == "start=2023-01-01&end=2023-12-31&mode=date"
    slide = make_slide("?" + query, "  A   title ", " first  line \n second line ")
    assert (slide.title, slide.caption) == ("A title", "first line\nsecond line")
    view, notices = slide.view("zh")
    assert notices == []
    assert view == VIEW_2023.with_changes(lang="zh", present=False)


def test_json_round_trip_keeps_every_slide_in_order():
    story = three_slides()
    again = story_from_json(story.to_json())
    assert again == story
    assert [s.title for s in again.slides] == ["One", "Two", "Three"]
    assert json.loads(story.to_json())["slides"][1]["query"] == "start=2023-07-01&end=2024-12-31"


def test_reorder_delete_edit_rename():
    story = three_slides()
    assert [s.title for s in story.moved(0, 1).slides] == ["Two", "One", "Three"]
    assert [s.title for s in story.moved(2, -1).slides] == ["One", "Three", "Two"]
    assert [s.title for s in story.moved(0, -1).slides] == ["One", "Two", "Three"]  # kept in
    assert [s.title for s in story.without(1).slides] == ["One", "Three"]
    edited = story.edited(1, "New", "A caption")
    assert (edited.slides[1].title, edited.slides[1].caption) == ("New", "A caption")
    assert edited.slides[1].query == story.slides[1].query
    assert story.renamed(" Other  name ").name == "Other name"
    with pytest.raises(StoryError, match="There is no slide 4; the story has 3"):
        story.without(3)


def test_limits_are_refused_with_what_is_accepted():
    with pytest.raises(StoryError, match="A slide needs a title"):
        make_slide("", "   ")
    with pytest.raises(StoryError, match=f"at most {MAX_TITLE} are accepted"):
        make_slide("", "x" * (MAX_TITLE + 1))
    with pytest.raises(StoryError, match=f"at most {MAX_CAPTION_LINES} are accepted"):
        make_slide("", "t", "\n".join("line" for _ in range(MAX_CAPTION_LINES + 1)))
    with pytest.raises(StoryError, match=f"at most {MAX_CAPTION} are accepted"):
        make_slide("", "t", "x" * (MAX_CAPTION + 1))
    story = Story("full")
    for _ in range(MAX_SLIDES):
        story = story.with_slide(make_slide("", "t"))
    with pytest.raises(StoryError, match=f"at most {MAX_SLIDES} slides"):
        story.with_slide(make_slide("", "t"))


def test_limit_messages_are_translated():
    with language("ko"), pytest.raises(StoryError) as error:
        make_slide("", "")
    assert "A slide needs a title" not in str(error.value) and str(error.value)


def test_control_characters_are_not_kept_in_titles_and_captions():
    slide = make_slide("", "a\x00b\x1b[2Jc\u202e", "x\x07y\nz")
    assert (slide.title, slide.caption) == ("ab[2Jc", "xy\nz")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "holds no story"),
        ('{"version": 99, "name": "x", "slides": []}', "of version 99"),
        ('{"version": 1, "name": "x", "slides": [3]}', "Slide 1 of the story file is not a slide"),
        ('{"version": 1, "name": "x", "slides": [{"title": ""}]}', "Slide 1: A slide needs"),
    ],
)
def test_bad_story_files_give_a_clear_message(text, message):
    with pytest.raises(StoryError, match=message):
        story_from_json(text)


def test_store_saves_atomically_and_survives_a_new_workspace(tmp_path):
    store = StoryStore(Workspace(tmp_path))
    story_id = store.new_id()
    assert is_story_id(story_id) and story_id != store.new_id()
    store.save(story_id, three_slides())
    assert sorted(p.name for p in (tmp_path / STORIES_DIR).iterdir()) == [f"{story_id}.json"]
    again = StoryStore(Workspace(tmp_path))  # a restarted server
    assert again.load(story_id) == three_slides()
    assert Workspace(tmp_path).list() == []  # the stories directory is no dataset
    again.delete(story_id)
    assert again.load(story_id) is None


def test_a_damaged_story_on_disk_gives_a_clear_message(tmp_path):
    store = StoryStore(Workspace(tmp_path))
    story_id = store.new_id()
    store.save(story_id, three_slides())
    store.path(story_id).write_bytes(b'{"version": 1, "name": "x", "slides": [')
    with pytest.raises(StoryError, match=f"The saved story {story_id} cannot be read: .*JSON"):
        store.load(story_id)


def test_ids_that_are_not_story_ids_are_refused(tmp_path):
    store = StoryStore(Workspace(tmp_path))
    for bad in ("../../etc/passwd", "ABC", "", "0" * 23):
        with pytest.raises(StoryError, match="is not a story id"):
            store.load(bad)


def test_a_story_beyond_the_quota_is_not_saved(tmp_path):
    store = StoryStore(Workspace(tmp_path, quota_bytes=100))
    with pytest.raises(WorkspaceFull):
        store.save(store.new_id(), three_slides())
    assert not (tmp_path / STORIES_DIR).exists() or not os.listdir(tmp_path / STORIES_DIR)
