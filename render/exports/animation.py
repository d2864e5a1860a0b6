"""The time slider's playback as an animated GIF or an MP4 video.

Frames come from ``render.exports.playback`` (the print map, one frame per slider step, the
date label and running total burned in). The GIF is written by Pillow with one palette for
every frame (so the map does not flicker) and one GIF frame per step, the last one held
longer. The MP4 is H.264 (yuv420p, ``+faststart``: what PowerPoint, phones and browsers play)
encoded by the ffmpeg binary that the ``imageio-ffmpeg`` package ships, at
:data:`VIDEO_FPS` frames a second, each step repeated for its time on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from geo.pipeline import ViewData
from geo.reference import Reference
from i18n import language
from render.exports import ANIMATION_FORMATS, HOLD_SECONDS, SECONDS_RANGE, STEP_SECONDS
from render.exports.playback import FRAME_SIZES, Frame, Playback
from render.printmap import layout
from render.sources import sources_text

#: Frames a second of the MP4 (a step's time is rounded to whole frames).
VIDEO_FPS = 10
#: x264 options: fast enough on two cores, still images kept sharp, played everywhere.
_X264 = ["-preset", "veryfast", "-tune", "stillimage", "-profile:v", "high", "-level", "4.0",
         "-crf", "20", "-movflags", "+faststart"]  # fmt: skip


def check_options(fmt: str, size: str, step_seconds: float, hold_seconds: float) -> None:
    """Raise ``ValueError`` naming every option outside the accepted values and what is accepted."""
    low, high = SECONDS_RANGE
    problems = []
    if fmt not in ANIMATION_FORMATS:
        problems.append(f"format {fmt!r}: use one of {', '.join(ANIMATION_FORMATS)}")
    if size not in FRAME_SIZES:
        problems.append(f"size {size!r}: use one of {', '.join(FRAME_SIZES)}")
    for name, value in (("step_seconds", step_seconds), ("hold_seconds", hold_seconds)):
        if not low <= value <= high:
            problems.append(f"{name} {value!r}: use a number of seconds from {low:g} to {high:g}")
    if problems:
        raise ValueError("; ".join(problems))


def frame_durations(steps: int, step_seconds: float, hold_seconds: float) -> list[float]:
    """Return the seconds each of ``steps`` frames is shown: the last one ``hold_seconds``."""
    return [step_seconds] * (steps - 1) + [hold_seconds]


def video_repeats(durations: list[float]) -> list[int]:
    """Return how many MP4 frames (at :data:`VIDEO_FPS`) each step's frame takes, at least one."""
    return [max(1, round(seconds * VIDEO_FPS)) for seconds in durations]


def export_animation(
    data: ViewData,
    regions: Reference,
    out: Path,
    *,
    fmt: str = "gif",
    size: str = "1920x1080",
    title: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    step_seconds: float = STEP_SECONDS,
    hold_seconds: float = HOLD_SECONDS,
) -> list[Path]:
    """Write the slider's playback of a view as an animated GIF or an MP4.

    Parameters
    ----------
    data, regions
        The view (its slider mode: ``data.view.mode``) and the reference data.
    out
        The file to write.
    fmt
        ``gif`` or ``mp4``.
    size
        ``1920x1080`` (slides) or ``1080x1080`` (social posts): the frames' pixels.
    title
        Title on every frame (default: the standard title, in the view's language).
    bounds
        Map extent ``(west, south, east, north)`` in degrees; default the whole border region.
    step_seconds, hold_seconds
        Seconds each step is shown, and the last one (held longer by default).

    Returns
    -------
    list of Path
        The file, then its sources sidecar ``<name>.sources.txt``.

    Raises
    ------
    ValueError
        An option outside the accepted values (the message names it and what is accepted).
    """
    check_options(fmt, size, step_seconds, hold_seconds)
    out = Path(out)
    with language(data.view.lang):
        title = title or layout.default_title()
        playback = Playback(data, regions, FRAME_SIZES[size], title, bounds)
        durations = frame_durations(len(playback.steps), step_seconds, hold_seconds)
        frames = (playback.frame(i) for i in range(len(playback.steps)))
        if fmt == "gif":
            write_gif(frames, durations, playback.every_event(), out)
        else:
            write_mp4(frames, video_repeats(durations), FRAME_SIZES[size], out)
        sidecar = out.with_name(out.stem + ".sources.txt")
        heading = f"{title}\n{layout.subtitle(data.view)}"
        sidecar.write_text(sources_text(data.events, heading, data.withheld), encoding="utf-8")
    return [out, sidecar]


def write_gif(
    frames: Iterator[Frame], durations: list[float], palette_frame: Frame, out: Path
) -> None:
    """Write ``frames`` as a looping GIF, frame ``i`` shown ``durations[i]`` seconds.

    Every frame maps to one palette, made from ``palette_frame`` (a frame with every event of
    the view: the basemap's and the events' colours), so the map does not flicker.
    """
    palette = Image.fromarray(palette_frame.image).quantize(256, method=Image.Quantize.FASTOCTREE)
    pictures = [
        Image.fromarray(frame.image).quantize(palette=palette, dither=Image.Dither.NONE)
        for frame in frames
    ]
    pictures[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=[round(seconds * 1000) for seconds in durations],
        loop=0,
        disposal=1,
    )


def write_mp4(
    frames: Iterator[Frame], repeats: list[int], size: tuple[int, int], out: Path
) -> None:
    """Write ``frames`` as an H.264 MP4 at :data:`VIDEO_FPS`, frame ``i`` ``repeats[i]`` times."""
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(out), size, fps=VIDEO_FPS, codec="libx264", pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p", macro_block_size=2, output_params=_X264,
        ffmpeg_log_level="error",
    )  # fmt: skip
    writer.send(None)
    try:
        for frame, times in zip(frames, repeats, strict=True):
            data = np.ascontiguousarray(frame.image).tobytes()
            for _ in range(times):
                writer.send(data)
    finally:
        writer.close()
