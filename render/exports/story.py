"""A story's exports: an offline HTML slideshow, a PDF (a page per slide), a PowerPoint file.

Each slide's view is built through ``geo.pipeline.build_view`` from the events its
``events_for`` callable gives (the app: the slide's dataset; the CLI: ``--events`` or the
shipped data), so every slide shows what the app and ``border-map summary`` show for it. The
slides are written in one language (``lang``), whatever language they were made in.

Text from the presenter (story name, titles, captions) and from the data (sources) is escaped
where it lands: HTML through ``render.markup.escape_html``; PDF pages print control
characters as visible escapes (``render.printmap.layout.wrap``); PowerPoint text is stripped of
characters XML cannot hold.
"""

from __future__ import annotations

import base64
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geopandas as gpd
from markupsafe import Markup
from matplotlib.backends.backend_pdf import PdfPages

from geo.pipeline import ViewData, build_view
from geo.reference import Reference
from geo.withhold import withhold_view
from i18n import _, language
from i18n.formats import number
from render.exports import STORY_FORMATS
from render.exports.html import content_security_policy, render_page
from render.exports.static import (
    Page,
    build_figure,
    export_static,
    sources_fit,
    sources_pages,
    text_style,
)
from render.markup import escape_html
from render.printmap import layout
from render.sources import source_lines, sources_of, sources_text
from render.story import Slide, Story, StoryError
from render.webmap.fonts import FLAVOR, cjk_characters, font_face_css, font_stack, subset_font
from render.webmap.layers.tiles import tile_hosts

#: The map image of a PowerPoint slide (pixels): the print page's own shape (A4 landscape),
#: whose legend and notes fit it.
PPTX_IMAGE_PX = (2000, 1414)
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

#: The events of a slide's view (the dataset the slide was made on).
EventsFor = Callable[[Slide], gpd.GeoDataFrame]


@dataclass(frozen=True)
class SlideData:
    """One slide and its built view."""

    slide: Slide
    data: ViewData


def slide_data(
    story: Story, events_for: EventsFor, lang: str = "en", withheld: Sequence[str] = ()
) -> list[SlideData]:
    """Build the view of every slide of ``story`` in ``lang``.

    ``withheld``: columns left out for publication (``geo.withhold.withhold_view``).

    Raises
    ------
    StoryError
        The story has no slide.
    """
    if not story.slides:
        raise StoryError(_("The story has no slides yet: add the current view as a slide."))
    built = []
    for slide in story.slides:
        view, _notices = slide.view(lang)
        data = withhold_view(build_view(events_for(slide), view), withheld)
        built.append(SlideData(slide, data))
    return built


def slide_counter(k: int, n: int) -> str:
    """Return "Slide k of n" in the current language."""
    return _("Slide {k} of {n}").format(k=number(k), n=number(n))


def export_story(
    story: Story,
    regions: Reference,
    out: Path,
    fmt: str,
    *,
    events_for: EventsFor,
    lang: str = "en",
    withheld: Sequence[str] = (),
) -> Path:
    """Write ``story`` as ``fmt`` (``html``, ``pdf`` or ``pptx``) to ``out``; return ``out``.

    Parameters
    ----------
    story
        The story (at least one slide).
    regions
        ``geo.reference.Reference``.
    out
        The file to write.
    fmt
        One of ``STORY_FORMATS``.
    events_for
        Returns the events (joined, ``geo.pipeline``) a slide's view is built from.
    lang
        The language of every word written.
    withheld
        Columns marked sensitive to leave out, for publication (``geo.withhold``): their
        text is in no slide, and each slide's data note says so.

    Raises
    ------
    StoryError
        The story has no slide.
    ValueError
        ``fmt`` is not one of ``STORY_FORMATS``.
    """
    writers = {"html": _write_html, "pdf": _write_pdf, "pptx": _write_pptx}
    if fmt not in writers:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(STORY_FORMATS)}")
    with language(lang):
        slides = slide_data(story, events_for, lang, withheld)
        out = Path(out)
        writers[fmt](story, slides, regions, out)
    return out


# --- HTML -----------------------------------------------------------------------------------

_STYLE = """
html, body { margin: 0; height: 100%; background: #fff; color: #1a1a1a; }
body { display: flex; flex-direction: column; font-family: FONT; }
main { flex: 1; display: flex; min-height: 0; }
section.slide { flex: 1; display: flex; flex-direction: column; min-height: 0; }
section.slide[hidden] { display: none; }
header { padding: 0.6rem 1.2rem 0.4rem; }
h1 { font-size: 1.6rem; margin: 0.1rem 0 0.3rem; }
.count, .view { color: #555; font-size: 0.9rem; margin: 0; }
.caption { font-size: 1.05rem; margin: 0.2rem 0 0.3rem; max-width: 70rem; }
iframe.map { flex: 1; width: 100%; border: 0; min-height: 20rem; }
details { padding: 0.2rem 1.2rem; font-size: 0.85rem; max-height: 30vh; overflow: auto; }
nav { display: flex; gap: 0.6rem; align-items: center; padding: 0.4rem 1.2rem;
      border-top: 1px solid #ddd; }
nav .story { margin-left: auto; color: #555; }
button { font: inherit; padding: 0.3rem 0.9rem; }
"""


def _lines_html(text: str) -> Markup:
    return Markup("<br>").join(escape_html(line) for line in text.split("\n"))


def _slide_html(item: SlideData, k: int, n: int, regions: Reference) -> tuple[Markup, str]:
    """Return a slide's section and its map page (to be allowed by the CSP)."""
    page = render_page(item.data, regions)
    sources = source_lines(sources_of(item.data.events))
    listed = Markup("").join(Markup("<li>{}</li>").format(line) for line in sources)
    section = Markup(
        '<section class="slide" hidden aria-roledescription="{slide}">\n<header>'
        '<p class="count">{count}</p><h1>{title}</h1><p class="caption">{caption}</p>'
        '<p class="view">{view}</p></header>\n'
        '<iframe class="map" title="{map_title}" data-page="{page}"></iframe>\n'
        "<details><summary>{sources_heading}</summary><ol>{sources}</ol></details>\n"
        "</section>\n"
    ).format(
        slide=_("slide"),
        count=slide_counter(k, n),
        title=item.slide.title,
        caption=_lines_html(item.slide.caption),
        view=layout.subtitle(item.data.view),
        map_title=_("Map: {title}").format(title=item.slide.title),
        page=page,
        sources_heading=_("Sources of the events shown ({n})").format(n=number(len(sources))),
        sources=listed,
    )
    return section, page


def story_html(story: Story, slides: Sequence[SlideData], regions: Reference) -> str:
    """Return the slideshow page of ``story``: one section per slide, each with a live map.

    Each slide's map is the offline HTML export's page (``render.exports.html.render_page``)
    in an iframe loaded when the slide is first shown. The page's Content-Security-Policy
    allows its own script and the maps' scripts (by hash), data: images and fonts, and the
    tile hosts of the basemaps the slides chose: no other request is made.
    """
    n = len(slides)
    sections, pages = zip(
        *(_slide_html(item, k, n, regions) for k, item in enumerate(slides, 1)), strict=True
    )
    script = resources.files("render.exports").joinpath("templates/story.js").read_text("utf-8")
    nav = Markup(
        '<nav><button type="button" data-step="-1">{previous}</button>'
        '<button type="button" data-step="1">{next}</button>'
        '<span class="keys">{keys}</span><span class="story">{name}</span></nav>'
    ).format(
        previous=_("← Previous"),
        next=_("Next →"),
        keys=_("Page Down / Page Up or the arrow keys step through the slides."),
        name=story.name,
    )
    body = Markup("<main>\n{}</main>\n{}\n").format(Markup("").join(sections), nav)
    lang = slides[0].data.view.lang
    style = _STYLE.replace("FONT", font_stack(lang))
    font = subset_font(lang, cjk_characters(str(body)))
    if font is not None:
        src = f"data:font/{FLAVOR};base64,{base64.b64encode(font).decode('ascii')}"
        style = font_face_css(lang, src) + "\n" + style
    head = Markup(
        '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n"
    ).format(lang=lang, title=story.name or _("Story"), style=Markup(style))
    document = f"{head}{body}<script>{script}</script>\n</body>\n</html>\n"
    hosts = sorted({h for item in slides for h in tile_hosts(item.data.view.basemap)})
    csp = _union_policy(document, pages, hosts)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape_html(csp)}">'
    return document.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n{meta}', 1)


def _union_policy(document: str, pages: Sequence[str], hosts: Sequence[str]) -> str:
    """Return the CSP of the slideshow: its script and every map page's scripts, by hash.

    A ``srcdoc`` frame inherits its parent's policy, so the parent must allow the maps' own
    scripts as well (each map page also carries its own, narrower policy).
    """
    combined = document + "".join(pages)
    policy = content_security_policy(combined, "none")
    if hosts:
        policy = policy.replace("img-src data:", "img-src data: " + " ".join(hosts), 1)
    return policy.replace("default-src 'none';", "default-src 'none'; frame-src 'self';", 1)


def _write_html(story: Story, slides: Sequence[SlideData], regions: Reference, out: Path) -> None:
    out.write_text(story_html(story, slides, regions), encoding="utf-8")


# --- PDF ------------------------------------------------------------------------------------


def _write_pdf(story: Story, slides: Sequence[SlideData], regions: Reference, out: Path) -> None:
    """One page per slide (title, caption, map, legend, data note); long sources lists last."""
    lang = slides[0].data.view.lang
    later = []
    with text_style(lang), PdfPages(out, metadata=_pdf_metadata(story)) as pdf:
        for item in slides:
            page = Page(title=item.slide.title, caption=item.slide.caption)
            on_page = sources_fit(item.data, page)
            fig = build_figure(item.data, regions, page, sources_on_page=on_page)
            pdf.savefig(fig)
            if not on_page:
                later.append((item, tuple(fig.get_size_inches())))
        for item, size in later:
            for sheet in sources_pages(item.data, item.slide.title, size):
                pdf.savefig(sheet)


def _pdf_metadata(story: Story) -> dict[str, str]:
    return {"Title": story.name or _("Story"), "Creator": "border-events-map"}


# --- PowerPoint -----------------------------------------------------------------------------


def xml_text(text: str) -> str:
    r"""Return ``text`` without characters an Office XML file cannot hold (controls, ``\ufffe``).

    Line feeds stay; invisible format characters (bidi controls, zero-width) are dropped.
    """
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _XML_UNSAFE.sub("", kept)


def _write_pptx(story: Story, slides: Sequence[SlideData], regions: Reference, out: Path) -> None:
    """One slide per view: title, the map image, the caption; sources in the speaker notes."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = xml_text(story.name or _("Story"))
    layout_title_only = deck.slide_layouts[5]
    n = len(slides)
    with tempfile.TemporaryDirectory(prefix="border-map-story-") as tmp:
        for k, item in enumerate(slides, 1):
            image = Path(tmp) / f"slide-{k}.png"
            export_static(item.data, regions, image, fmt="png", title=item.slide.title,
                          size_px=PPTX_IMAGE_PX)  # fmt: skip
            page = deck.slides.add_slide(layout_title_only)
            title = page.shapes.title
            title.left, title.top = Inches(0.4), Inches(0.2)
            title.width, title.height = Inches(12.5), Inches(0.9)
            title.text_frame.text = xml_text(item.slide.title)
            title.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
            page.shapes.add_picture(str(image), Inches(0.4), Inches(1.2), height=Inches(5.9))
            box = page.shapes.add_textbox(Inches(9.0), Inches(1.2), Inches(4.0), Inches(5.9))
            frame = box.text_frame
            frame.word_wrap = True
            lines = [*item.slide.caption.split("\n"), "", layout.subtitle(item.data.view),
                     slide_counter(k, n)]  # fmt: skip
            frame.text = xml_text("\n".join(lines).strip("\n"))
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(16)
            heading = f"{item.slide.title}\n{layout.subtitle(item.data.view)}"
            notes = page.notes_slide.notes_text_frame
            notes.text = xml_text(sources_text(item.data.events, heading, item.data.withheld))
    deck.save(str(out))
