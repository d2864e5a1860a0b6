"""Benchmark static exports of the shipped data against a bare matplotlib figure.

Run: python bench/bench_export.py [--repeat N]

For each format it prints the best wall and CPU time of an A4 landscape export (PNG at 300 dpi)
and the ratio to a baseline measured in the same process: a bare matplotlib figure of the same
size with one line plot, saved in the same format at the same dpi. The target is an A4
300-dpi PNG of the shipped data in under 2 s. The PDF is also measured against issue 15's
baseline, a bare A4 PDF of the same polygons (the reference countries and provinces), and
against a bare PDF of the same polygons and the same text: every string of the export's pages
(map page and sources pages) written with ``fig.text`` at its place, in its font and size, on
as many pages. The first has no text at all, while the export's pages hold several thousand
glyphs, and matplotlib's PDF text costs far more per glyph than a polygon; the second tells
what the export adds to what matplotlib needs to write the same page. Both are ratios of runs
alternating with the export (median of rounds), as the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.text import Text

from geo.pipeline import ViewData, build_view, load_shipped_dataset
from geo.reference import Reference, load_reference
from geo.view import ViewParams
from i18n import language
from render.exports.static import (
    Page,
    build_figure,
    export_static,
    sources_fit,
    sources_pages,
    text_style,
)
from render.printmap.layout import default_title, page_inches

FORMATS = ("png", "svg", "pdf")
DPI = 300

SHIPPED = load_shipped_dataset().events


def best_of(repeat: int, task) -> tuple[float, float]:
    """Return the best (wall, cpu) seconds of ``repeat`` runs of ``task``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        task()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def paired(repeat: int, task, *baselines) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Run ``task`` and each baseline in turn ``repeat`` times; return median CPU seconds.

    Returns the medians of the task and of each baseline, then the median of the ratios of
    each round (task / baseline): on a shared machine a ratio within one round holds when the
    machine's speed drifts between rounds.
    """
    rounds = []
    for _ in range(repeat):
        rounds.append([best_of(1, run)[1] for run in (task, *baselines)])
    times = tuple(statistics.median(r[i] for r in rounds) for i in range(len(rounds[0])))
    ratios = tuple(statistics.median(r[0] / r[i] for r in rounds) for i in range(1, len(rounds[0])))
    return times, ratios


def baseline(path: Path, fmt: str) -> None:
    fig = Figure(figsize=page_inches("a4", "landscape", None, DPI))
    fig.add_subplot().plot([0, 1, 2], [0, 1, 0])
    fig.savefig(path, format=fmt, dpi=DPI)


def polygons_baseline(path: Path, regions: Reference) -> None:
    """Issue 15's baseline: an A4 PDF of the same polygons (countries and provinces), bare."""
    fig = Figure(figsize=page_inches("a4", "landscape", None, DPI))
    axes = fig.add_subplot()
    regions.countries.plot(ax=axes, color="#eeeeee", edgecolor="#999999", linewidth=0.4)
    regions.provinces.plot(ax=axes, color="#dddddd", edgecolor="#666666", linewidth=0.3)
    axes.set_axis_off()
    fig.savefig(path, format="pdf")


def page_texts(data: ViewData, regions: Reference) -> list[list[dict]]:
    """Return, per page of the view's PDF, each string drawn: its place, font and alignment."""
    page = Page(dpi=DPI)
    with language(data.view.lang), text_style(data.view.lang):
        first = build_figure(data, regions, page, sources_on_page=sources_fit(data, page))
        size = tuple(first.get_size_inches())
        title = default_title()
        figures = [first] if sources_fit(data, page) else [first, *sources_pages(data, title, size)]
        pages = []
        for fig in figures:
            to_figure = fig.transFigure.inverted()
            pages.append([
                {
                    "xy": tuple(to_figure.transform(t.get_transform().transform(t.get_position()))),
                    "s": t.get_text(),
                    "fontproperties": t.get_fontproperties(),
                    "ha": t.get_horizontalalignment(),
                    "va": t.get_verticalalignment(),
                    "linespacing": t.get_linespacing(),
                }
                for t in fig.findobj(Text)
                if t.get_visible() and t.get_text()
            ])  # fmt: skip
    return pages


def same_text_baseline(path: Path, regions: Reference, pages: list[list[dict]], lang: str) -> None:
    """A bare PDF of the same polygons (first page) and the same strings, page by page."""
    with text_style(lang), PdfPages(path) as pdf:
        for number, texts in enumerate(pages):
            fig = Figure(figsize=page_inches("a4", "landscape", None, DPI), dpi=DPI)
            if number == 0:
                axes = fig.add_subplot()
                regions.countries.plot(ax=axes, color="#eeeeee", edgecolor="#999999", linewidth=0.4)
                regions.provinces.plot(ax=axes, color="#dddddd", edgecolor="#666666", linewidth=0.3)
                axes.set_axis_off()
            for text in texts:
                x, y = text["xy"]
                fig.text(x, y, text["s"], fontproperties=text["fontproperties"], ha=text["ha"],
                         va=text["va"], linespacing=text["linespacing"])  # fmt: skip
            pdf.savefig(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    regions = load_reference()
    views = {
        "all dates": ViewParams(),
        "2023, all types": ViewParams(
            start=dt.date(2023, 1, 1),
            end=dt.date(2023, 12, 31),
            types=("forced_return", "detention", "policy", "diplomatic", "report"),
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = build_view(SHIPPED, views["all dates"])
        export_static(first, regions, folder / "warm.png")  # fonts, caches, imports
        print(f"{'view':<16} {'format':<6} {'wall s':>7} {'cpu s':>7} {'base s':>7} {'ratio':>6}")
        for name, view in views.items():
            data = build_view(SHIPPED, view)
            for fmt in FORMATS:
                out = folder / f"map.{fmt}"
                base_wall, base_cpu = best_of(
                    args.repeat, lambda fmt=fmt: baseline(folder / f"base.{fmt}", fmt)
                )
                wall, cpu = best_of(
                    args.repeat,
                    lambda data=data, out=out, fmt=fmt: export_static(
                        data, regions, out, fmt=fmt, dpi=DPI
                    ),
                )
                print(
                    f"{name:<16} {fmt:<6} {wall:7.2f} {cpu:7.2f} {base_cpu:7.2f} "
                    f"{cpu / base_cpu:6.1f}"
                )
                if fmt == "png":
                    verdict = "meets" if cpu < 2.0 else "MISSES"
                    print(f"  A4 300-dpi PNG: {cpu:.2f} s CPU ({verdict} the 2 s target)")
                if fmt == "pdf":
                    texts = page_texts(data, regions)
                    glyphs = sum(len(t["s"]) for page in texts for t in page)
                    medians = paired(
                        max(args.repeat, 5),
                        lambda data=data, out=out: export_static(
                            data, regions, out, fmt="pdf", dpi=DPI
                        ),
                        lambda: polygons_baseline(folder / "bare.pdf", regions),
                        lambda texts=texts, lang=data.view.lang: same_text_baseline(
                            folder / "same.pdf", regions, texts, lang
                        ),
                    )
                    (export, bare, same), (to_bare, to_same) = medians
                    print(
                        f"  PDF, runs alternating with two baselines (medians): {export:.2f} s "
                        f"CPU; a bare A4 PDF of the same polygons {bare:.2f} s: {to_bare:.1f}x "
                        f"(issue 15: at most 2x); a bare PDF of the same polygons and the same "
                        f"text ({len(texts)} pages, {glyphs:,} characters) {same:.2f} s: "
                        f"{to_same:.2f}x"
                    )


if __name__ == "__main__":
    main()
