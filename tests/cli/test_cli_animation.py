"""``border-map export --format gif|mp4``: playable files, and clear messages for bad options."""

from __future__ import annotations

import imageio_ffmpeg
import pytest
from PIL import Image
from test_cli import run

RANGE = ("--start", "2020-01-01", "--end", "2024-12-31")


def test_export_mp4_writes_a_playable_video(capsys, tmp_path):
    out = tmp_path / "play.mp4"
    code, stdout, err = run(capsys, "export", "--format", "mp4", "--out", str(out), *RANGE,
                            "--size", "1080x1080", "--step-seconds", "0.5")  # fmt: skip
    assert (code, err) == (0, "")
    assert f"wrote {out}" in stdout
    assert (tmp_path / "play.sources.txt").is_file()
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    meta = next(imageio_ffmpeg.read_frames(str(out)))
    assert meta["size"] == (1080, 1080) and meta["codec"] == "h264"
    assert frames > 0 and seconds > 4  # the last step is held 4 s by default


def test_export_gif_this_date_only(capsys, tmp_path):
    out = tmp_path / "play.gif"
    code, _, err = run(capsys, "export", "--format", "gif", "--out", str(out), *RANGE,
                       "--mode", "date", "--hold-seconds", "2")  # fmt: skip
    assert (code, err) == (0, "")
    with Image.open(out) as gif:
        assert gif.size == (1920, 1080)  # the default size: slides
        gif.seek(gif.n_frames - 1)
        assert gif.info["duration"] == 2000


def test_a_bad_size_names_the_value_and_the_sizes_accepted(capsys, tmp_path):
    out = tmp_path / "play.mp4"
    code, stdout, err = run(capsys, "export", "--format", "mp4", "--out", str(out),
                            "--size", "1280x720")  # fmt: skip
    assert code == 2 and stdout == ""
    assert "'1280x720' is not a frame size; use one of 1920x1080, 1080x1080" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(("option", "value"), [("--step-seconds", "0"), ("--hold-seconds", "x")])
def test_bad_seconds_name_the_value_and_the_range(capsys, tmp_path, option, value):
    code, _, err = run(capsys, "export", "--format", "gif", "--out", str(tmp_path / "a.gif"),
                       option, value)  # fmt: skip
    assert code == 2
    assert f"'{value}' is not a number of seconds from 0.2 to 60" in err


def test_animation_options_with_another_format_are_refused(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--format", "png", "--out", str(tmp_path / "a.png"),
                       "--size", "1080x1080")  # fmt: skip
    assert code == 2
    assert "--size applies to gif, mp4 only" in err
    assert not (tmp_path / "a.png").exists()


def test_a_bad_size_in_korean(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--format", "gif", "--out", str(tmp_path / "a.gif"),
                       "--size", "big", "--lang", "ko")  # fmt: skip
    assert code == 2
    assert "'big'은(는) 프레임 크기가 아닙니다" in err and "1920x1080, 1080x1080" in err


def test_a_view_with_too_many_steps_gets_a_message(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("render.exports.playback.MAX_PLAYBACK_STEPS", 3)
    out = tmp_path / "long.gif"
    code, _, err = run(capsys, "export", "--format", "gif", "--out", str(out), *RANGE)
    assert code == 2
    assert "time slider steps; a playback shows at most 3: choose a shorter date range" in err
    assert "internal error" not in err and not out.exists()
