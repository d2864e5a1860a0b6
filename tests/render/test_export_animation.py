"""The time slider's playback as GIF and MP4: frames, sizes, timing, labels, pixels."""

from __future__ import annotations

import datetime as dt

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.view import ViewParams
from i18n import formats, language
from render.exports import (
    HOLD_SECONDS,
    MAX_PLAYBACK_STEPS,
    STEP_SECONDS,
    PlaybackTooLong,
    write_export,
)
from render.exports.animation import VIDEO_FPS, frame_durations, video_repeats
from render.exports.playback import Playback, playback_steps
from render.printmap.layout import default_title
from render.printmap.map import point_events
from render.webmap.layers.events import day_numbers, event_payload, mapped_references
from render.webmap.time_slider import PLAY_INTERVAL_MS, slider_steps, slider_texts, step_people
from tests.factories import make_events, shipped_events

START, END = dt.date(2020, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def view_data(mode: str = "cumulative", lang: str = "en", **changes):
    view = ViewParams(start=START, end=END, mode=mode, lang=lang, **changes)
    return build_view(shipped_events(), view)


def slider_words(data, regions) -> list[tuple[str, str]]:
    """Return what the in-map slider shows at each step: (date line, total line).

    Built from the slider's own pieces, as ``time_slider.js`` puts them together.
    """
    with language(data.view.lang):
        steps = slider_steps(mapped_references(data.events))
        rows = [r[:4] for r in event_payload(data.events, regions, data.view.lang)["ev"]]
        people = step_people(steps, rows)
        text = slider_texts()
        words = []
        for (day, label), (upto, on_day) in zip(steps, people, strict=True):
            if data.view.mode == "date":
                n, date, who = sum(r[0] == day for r in rows), label, on_day
            else:
                n = sum(r[0] is None or r[0] <= day for r in rows)
                date, who = text["upTo"].format(date=label), upto
            total = text["total"]["one" if n == 1 else "other"]
            words.append((date, total.format(n=formats.number(n), people=who)))
    return words


def flat(text: str) -> str:
    """Return a drawn text with its wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cumulative(regions):
    data = view_data()
    playback = Playback(data, regions, (1920, 1080), "Playback")
    return data, playback, [playback.frame(i) for i in range(len(playback.steps))]


def test_the_slider_plays_at_the_default_pace():
    assert STEP_SECONDS == PLAY_INTERVAL_MS / 1000
    assert HOLD_SECONDS > STEP_SECONDS


def test_each_frames_date_label_and_total_are_the_sliders(cumulative, regions):
    data, playback, frames = cumulative
    expected = slider_words(data, regions)
    assert len(expected) >= 5  # the shipped 2020–2024 playback has several steps
    assert [(flat(f.date), flat(f.total)) for f in frames] == expected
    assert flat(frames[0].date).startswith("Up to ")
    days = [s.day for s in playback.steps]
    assert days == sorted(days) and len(set(days)) == len(days)


def test_this_date_only_frames_say_that_dates_words(regions):
    data = view_data("date")
    playback = Playback(data, regions, (1080, 1080), "Playback")
    frames = [playback.frame(i) for i in range(len(playback.steps))]
    assert [(flat(f.date), flat(f.total)) for f in frames] == slider_words(data, regions)
    assert not any(flat(f.date).startswith("Up to") for f in frames)


def test_frames_in_korean_use_the_sliders_korean_words(regions):
    data = view_data(lang="ko")
    playback = Playback(data, regions, (1080, 1080), "재생")
    frames = [playback.frame(i) for i in (0, len(playback.steps) - 1)]
    expected = slider_words(data, regions)
    assert [(flat(f.date), flat(f.total)) for f in frames] == [expected[0], expected[-1]]
    assert "Up to" not in frames[0].date


def _pixel(playback, x: float, y: float) -> tuple[int, int]:
    """Return the (row, column) of map coordinates in the frame's pixels."""
    px, py = playback.ax.transData.transform((x, y))
    return int(round(playback.fig.bbox.height - py)), int(round(px))


def test_consecutive_frames_differ_where_new_events_appear(cumulative, regions):
    data, playback, frames = cumulative
    points = point_events(data.events, regions.places)
    days = day_numbers(points).to_numpy()
    checked = 0
    for i in range(1, len(frames)):
        before, after = frames[i - 1].image.astype(int), frames[i].image.astype(int)
        assert np.abs(after - before).sum() > 0, f"step {i}: the frame did not change"
        for x, y in points.loc[days == playback.steps[i].day, ["x", "y"]].to_numpy():
            row, col = _pixel(playback, x, y)
            window = np.abs(after - before)[row - 3 : row + 4, col - 3 : col + 4]
            assert window.sum() > 0, f"step {i}: nothing new drawn at an event's place"
            checked += 1
    assert checked  # the shipped playback adds point events after its first step


def test_the_first_frame_shows_only_the_first_days_events(cumulative, regions):
    data, playback, frames = cumulative
    points = point_events(data.events, regions.places)
    days = day_numbers(points).to_numpy()
    later = points.loc[days > playback.steps[0].day, ["x", "y"]].to_numpy()
    first, last = frames[0].image.astype(int), frames[-1].image.astype(int)
    for x, y in later:  # drawn by the end, not at the start
        row, col = _pixel(playback, x, y)
        assert np.abs(last - first)[row - 2 : row + 3, col - 2 : col + 3].sum() > 0


@pytest.mark.parametrize("size", ["1920x1080", "1080x1080"])
def test_gif_has_one_frame_per_step_at_its_size_and_pace(size, regions, tmp_path):
    data = view_data()
    out = tmp_path / "playback.gif"
    written = write_export(data, regions, out, "gif", size=size, step_seconds=0.5,
                           hold_seconds=2.5)  # fmt: skip
    assert written == [out, tmp_path / "playback.sources.txt"]
    steps = slider_steps(mapped_references(data.events))
    with Image.open(out) as gif:
        assert gif.size == tuple(int(v) for v in size.split("x"))
        assert gif.n_frames == len(steps)
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
        gif.seek(0)
        first = np.asarray(gif.convert("RGB")).astype(int)
    assert durations == [500] * (len(steps) - 1) + [2500]
    with language("en"):
        drawn = Playback(data, regions, first.shape[1::-1], default_title()).frame(0).image
    assert np.abs(first - drawn.astype(int)).mean() < 3  # the drawn frame in 256 colours


def test_mp4_is_h264_at_its_size_with_each_step_for_its_time(regions, tmp_path):
    data = view_data()
    out = tmp_path / "playback.mp4"
    write_export(data, regions, out, "mp4", size="1920x1080")
    steps = len(slider_steps(mapped_references(data.events)))
    repeats = video_repeats(frame_durations(steps, STEP_SECONDS, HOLD_SECONDS))
    assert repeats == [round(STEP_SECONDS * VIDEO_FPS)] * (steps - 1) + [HOLD_SECONDS * VIDEO_FPS]
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (1920, 1080)
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    # Every 4th pixel each way is enough to see the date label change.
    frames = [np.frombuffer(f, np.uint8).reshape(1080, 1920, 3)[::4, ::4].astype(np.int16)
              for f in reader]  # fmt: skip
    assert len(frames) == sum(repeats)
    # Frames change exactly at step boundaries (the date label), never within a step.
    changes = [i for i in range(1, len(frames))
               if np.abs(frames[i] - frames[i - 1]).mean() > 0.5]  # fmt: skip
    assert changes == list(np.cumsum(repeats)[:-1])


def test_a_view_without_events_plays_one_frame_saying_so(regions, tmp_path):
    data = build_view(make_events([{"date_start": "2019-05-01"}]), ViewParams(start=START))
    with language("en"):
        steps = playback_steps(data)
        assert [s.date for s in steps] == [slider_texts()["empty"]]
    out = tmp_path / "empty.gif"
    write_export(data, regions, out, "gif", size="1080x1080")
    with Image.open(out) as gif:
        assert gif.n_frames == 1 and gif.size == (1080, 1080)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": "800x600"}, "size '800x600': use one of 1920x1080, 1080x1080"),
        ({"step_seconds": 0}, "step_seconds 0: use a number of seconds from 0.2 to 60"),
        ({"hold_seconds": 100}, "hold_seconds 100: use a number of seconds from 0.2 to 60"),
    ],
)
def test_bad_options_name_the_value_and_what_is_accepted(options, message, regions, tmp_path):
    with pytest.raises(ValueError, match=message):
        write_export(view_data(), regions, tmp_path / "x.gif", "gif", **options)
    assert not (tmp_path / "x.gif").exists()


def test_a_view_with_too_many_steps_is_refused_before_drawing(regions, tmp_path):
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=i) for i in range(MAX_PLAYBACK_STEPS + 1)]
    events = make_events([{"date_start": d.isoformat(), "count_best": 1} for d in days])
    data = build_view(events, ViewParams(start=START, end=END, lang="ko"))
    with pytest.raises(PlaybackTooLong, match="401개 있습니다.*최대 400단계"):
        write_export(data, regions, tmp_path / "long.mp4", "mp4")
    assert not (tmp_path / "long.mp4").exists()
