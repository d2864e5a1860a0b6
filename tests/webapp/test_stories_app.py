"""Stories in the app under AppTest: links to a story, its slide's view, a bad link's message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.view import ViewParams
from render.story import Story, make_slide, slide_query
from webapp.stories import PANEL_KEY
from webapp.story_store import StoryStore
from webapp.workspace import Workspace

APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDER_MAP_WORKSPACE", str(tmp_path / "workspace"))
    return StoryStore(Workspace(tmp_path / "workspace"))


def opened(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP)
    for name, value in query.items():
        at.query_params[name] = value
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def saved_story(store: StoryStore) -> str:
    story = Story("Two years")
    for year, title in ((2023, "The mass return"), (2024, "After")):
        view = ViewParams(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), mode="date")
        story = story.with_slide(make_slide(slide_query(view), title, f"About {year}"))
    story_id = store.new_id()
    store.save(story_id, story)
    return story_id


def test_a_story_link_opens_its_slide_and_presents_it(store):
    story_id = saved_story(store)
    at = opened({"story": story_id, "slide": "2", "present": "1", "lang": "ko"})
    assert at.slider(key="date_range").value == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert at.radio(key="mode").value == "date"
    assert at.session_state["lang"] == "ko"  # the reader's language, not the slide's
    assert [h.value for h in at.subheader][0] == "After"
    assert any("슬라이드 2/2" in c.value for c in at.caption)
    assert at.text_input(key="story_name").value == "Two years"
    at.button(key="present_previous").click()
    at.run(timeout=120)
    assert at.slider(key="date_range").value == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert [h.value for h in at.subheader][0] == "The mass return"


@pytest.mark.parametrize(
    ("story_id", "message"),
    [
        ("0" * 24, "No story is saved under 000000000000000000000000"),
        ("../../etc", "is not a story id"),
    ],
)
def test_a_bad_story_link_says_why(store, story_id, message):
    at = opened({"story": story_id})
    assert any(message in w.value.replace("\\", "") for w in at.warning)


def test_a_damaged_story_file_says_how(store):
    story_id = saved_story(store)
    store.path(story_id).write_text('{"version": 1, "name": "x", "slides": [{"title": ""}]}')
    at = opened({"story": story_id})
    shown = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert f"The saved story {story_id} cannot be read: Slide 1: A slide needs a title" in shown


def test_the_panel_adds_orders_edits_and_deletes_slides(store):
    at = opened({"start": "2023-01-01", "end": "2023-12-31"})
    assert not [t for t in at.text_input if t.key == "story_name"]  # drawn when opened
    at.session_state[PANEL_KEY] = True
    at.run(timeout=120)
    at.text_input(key="story_name").set_value("My story")
    at.text_input(key="slide_title").set_value("First")
    at.text_area(key="slide_caption").set_value("One\nTwo")
    at.button(key="story_add").click()
    at.run(timeout=120)
    story_id = at.query_params["story"]
    story_id = story_id[0] if isinstance(story_id, list) else story_id
    saved = store.load(story_id)
    assert saved.name == "My story" and [s.title for s in saved.slides] == ["First"]
    assert saved.slides[0].caption == "One\nTwo"
    assert saved.slides[0].params() == {"start": "2023-01-01", "end": "2023-12-31"}
    assert at.text_input(key="slide_title").value == ""  # ready for the next slide

    at.selectbox(key="preset").set_value("2024")
    at.run(timeout=120)
    at.text_input(key="slide_title").set_value("Second")
    at.button(key="story_add").click()
    at.run(timeout=120)
    assert [s.title for s in store.load(story_id).slides] == ["First", "Second"]
    assert store.load(story_id).slides[1].params()["start"] == "2024-01-01"

    at.selectbox(key="story_pick").set_value(1)
    at.run(timeout=120)
    at.button(key="story_up").click()
    at.run(timeout=120)
    assert [s.title for s in store.load(story_id).slides] == ["Second", "First"]
    at.button(key="story_edit").click()  # the picked slide, moved up with it: "Second"
    at.run(timeout=120)
    assert at.text_input(key="slide_title").value == "Second"
    at.text_input(key="slide_title").set_value("Second, renamed")
    at.button(key="story_save_edit").click()
    at.run(timeout=120)
    assert [s.title for s in store.load(story_id).slides] == ["Second, renamed", "First"]
    at.button(key="story_delete").click()
    at.run(timeout=120)
    assert [s.title for s in store.load(story_id).slides] == ["First"]
    assert not at.exception


@pytest.mark.parametrize(
    ("address", "link"),
    [
        ("http://127.0.0.1:8611", "http://127.0.0.1:8611/?story=ab"),
        ("https://maps.example.org/border/?start=2023-01-01#x", "https://maps.example.org/border/?story=ab"),
        ("javascript:alert(1)", "?story=ab"),
        (None, "?story=ab"),
    ],
)  # fmt: skip
def test_the_story_link_is_built_from_the_address_the_browser_used(monkeypatch, address, link):
    from types import SimpleNamespace

    from webapp import links, stories

    monkeypatch.setattr(links, "st", SimpleNamespace(context=SimpleNamespace(url=address)))
    assert stories._story_link("ab") == link


def test_a_slide_is_exported_from_the_dataset_its_link_names_if_the_user_may_see_it(store):
    from storage.store import open_store
    from tests.factories import make_events
    from webapp.datasets import open_dataset_events
    from webapp.stories import _events_for

    datasets = open_store(store.workspace.root)
    alice, bob = datasets.add_user("alice").id, datasets.add_user("bob").id
    mine = datasets.create_dataset(
        alice, b"date,count,place,source_url\n2023-10-09,7,Dandong,https://e.org/a\n", "mine.csv"
    )
    shown = make_events([{"date_start": "2024-01-01"}, {"date_start": "2024-02-01"}])
    as_alice = _events_for(
        lambda key: open_dataset_events(datasets, alice, key, store.workspace), shown
    )
    as_bob = _events_for(
        lambda key: open_dataset_events(datasets, bob, key, store.workspace), shown
    )
    assert list(as_alice(make_slide(f"dataset={mine.id}", "t"))["count_best"]) == [7]
    assert as_bob(make_slide(f"dataset={mine.id}", "t")) is shown  # not shared with bob
    assert len(as_alice(make_slide("dataset=shipped", "t"))) > 100
    assert as_alice(make_slide("start=2023-01-01", "t")) is shown
    datasets.delete(alice, mine.id)
    assert as_alice(make_slide(f"dataset={mine.id}", "t")) is shown  # deleted meanwhile
    datasets.close()


def test_what_is_typed_in_the_panel_outlives_closing_it(store):
    at = opened({})
    at.session_state[PANEL_KEY] = True
    at.run(timeout=120)
    at.text_input(key="slide_title").set_value("Draft title")
    at.text_area(key="slide_caption").set_value("Draft caption")
    at.run(timeout=120)
    at.session_state[PANEL_KEY] = False
    at.run(timeout=120)
    assert not [t for t in at.text_input if t.key == "slide_title"]
    at.session_state[PANEL_KEY] = True
    at.run(timeout=120)
    assert at.text_input(key="slide_title").value == "Draft title"
    assert at.text_area(key="slide_caption").value == "Draft caption"
