"""The CJK web font: subset glyphs, size, cache, the app's served file and the export's embed."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest
from fontTools.ttLib import TTFont
from test_map_builder import view_data

from cli.main import main as cli_main
from geo.reference import load_reference
from render.cjkfont import cjk_font_path
from render.exports.html import render_page
from render.webmap import fonts
from render.webmap.build import build_map
from webapp.static_assets import publish_font

pytestmark = pytest.mark.skipif(cjk_font_path() is None, reason="no CJK font installed")

#: Korean and Chinese labels of the sample view's places (Dandong, Sinuiju, provinces).
NEEDED = {"ko": "단둥신의주", "zh": "丹东新义州"}
#: Most a subset of a map page's few dozen characters may weigh.
MAX_BYTES = 60_000


@pytest.fixture(scope="module")
def regions():
    return load_reference()


def font_of(data: bytes) -> TTFont:
    return TTFont(io.BytesIO(data))


class TestSubset:
    def test_characters_come_from_text_json_escapes_and_entities(self):
        text = 'Dandong 단둥 "\\uc2e0\\uc758" &#51452; 丹东 — ʻ'
        assert fonts.cjk_characters(text) == "".join(sorted("단둥신의주丹东"))

    @pytest.mark.parametrize("lang", ["ko", "zh"])
    def test_subset_has_the_page_glyphs_is_small_and_cached(self, lang, regions):
        page = build_map(view_data(lang=lang), regions).get_root().render()
        characters = fonts.cjk_characters(page)
        assert set(NEEDED[lang]) <= set(characters)
        data = fonts.subset_font(lang, characters)
        assert data is not None and len(data) < MAX_BYTES
        font = font_of(data)
        assert font.flavor == fonts.FLAVOR
        cmap = font.getBestCmap()
        assert {ord(ch) for ch in characters} <= set(cmap)
        assert ord("A") not in cmap and ord("평" if lang == "zh" else "壤") not in cmap
        family = "Noto Sans CJK KR" if lang == "ko" else "Noto Sans CJK SC"
        assert font["name"].getDebugName(1) == family
        assert "SIL Open Font License" in font["name"].getDebugName(13)  # the OFL travels along
        assert fonts.subset_font(lang, characters) is data  # cached, not cut again

    def test_english_view_falls_back_to_the_korean_face_for_hangul(self):
        data = fonts.subset_font("en", "단둥")
        assert font_of(data)["name"].getDebugName(1) == "Noto Sans CJK KR"
        assert fonts.font_stack("en").startswith("system-ui, ")
        assert fonts.font_stack("ko").startswith('"BEM Noto Sans CJK KR"')

    def test_no_characters_no_font(self):
        assert fonts.subset_font("ko", "") is None


class TestPages:
    def test_app_map_links_the_published_file(self, regions, tmp_path):
        m = build_map(view_data(lang="ko"), regions)
        fonts.add_cjk_font(m, "ko", publish=lambda name, data: publish_font(name, data, tmp_path))
        page = m.get_root().render()
        url = re.search(r'url\("(/app/static/vendor/fonts/cjk-ko-[0-9a-f]{12}\.\w+)"\)', page)
        assert url, "no @font-face linking the served subset"
        served = tmp_path / url.group(1).removeprefix("/app/static/vendor/")
        assert set(NEEDED["ko"]) <= {chr(c) for c in font_of(served.read_bytes()).getBestCmap()}
        # The map's text, and its control bar outside Leaflet's container, take the face.
        rule = re.search(r"\n([^\n{}]*) \{ font-family: \"BEM Noto Sans CJK KR\", system-ui", page)
        assert rule, "no rule using the web font"
        assert {".leaflet-container.leaflet-container *", ".bem-bar.bem-bar *"} <= set(
            rule.group(1).split(", ")
        )

    def test_html_export_embeds_the_subset(self, regions):
        page = render_page(view_data(lang="zh"), regions)
        face = re.search(
            r'@font-face \{ font-family: "BEM Noto Sans CJK SC"; '
            r'src: url\("data:font/\w+;base64,([A-Za-z0-9+/=]+)"\)',
            page,
        )
        assert face, "no embedded @font-face"
        cmap = font_of(base64.b64decode(face.group(1))).getBestCmap()
        assert {ord(ch) for ch in NEEDED["zh"]} <= set(cmap)
        assert "font-src data:;" in page  # the CSP lets the embedded font load


@pytest.mark.parametrize("lang", ["ko", "zh"])
@pytest.mark.parametrize("fmt", ["pdf", "png", "svg"])
def test_exports_print_nothing_about_fonts(tmp_path, capfd, lang, fmt):
    out = tmp_path / f"map.{fmt}"
    assert cli_main(["export", "--format", fmt, "--lang", lang, "--dpi", "100", "--out",
                     str(out)]) == 0  # fmt: skip
    assert out.stat().st_size > 10_000
    assert capfd.readouterr().err == ""


def test_published_subsets_are_pruned_to_the_most_recently_used(tmp_path, monkeypatch):
    from webapp import static_assets

    monkeypatch.setattr(static_assets, "MAX_PUBLISHED_FILES", 3)
    fonts = tmp_path / "fonts"
    for i in range(3):
        publish_font(f"cjk-ko-{i}.woff", b"font %d" % i, tmp_path)
        os.utime(fonts / f"cjk-ko-{i}.woff", (1000 + i, 1000 + i))
    publish_font("cjk-ko-0.woff", b"font 0", tmp_path)  # used again: now the most recent
    url = publish_font("cjk-ko-3.woff", b"font 3", tmp_path)
    assert url.endswith("/fonts/cjk-ko-3.woff")
    assert sorted(f.name for f in fonts.iterdir()) == [
        "cjk-ko-0.woff", "cjk-ko-2.woff", "cjk-ko-3.woff",
    ]  # fmt: skip
