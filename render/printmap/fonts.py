"""Fonts for static exports: a CJK font so Korean and Chinese place names get real glyphs.

The font comes from the PyPI package ``noto-cjk-sans-otc`` (Noto Sans CJK, SIL OFL 1.1), a
dependency of this project; a system Noto Sans CJK / Source Han Sans is the fallback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager

#: Face to use per label language (all faces cover Hangul and Han; they differ in glyph style).
CJK_FAMILIES = {"ko": "Noto Sans CJK KR", "zh": "Noto Sans CJK SC", "en": "Noto Sans CJK KR"}
FALLBACK_FAMILY = "DejaVu Sans"
_PROBE = "신의주丹东"
_SYSTEM_NAMES = ("NotoSansCJK", "SourceHanSans", "NotoSerifCJK")


def packaged_cjk_font() -> Path | None:
    """Return the path of the Noto Sans CJK collection shipped by ``noto-cjk-sans-otc``."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def _system_cjk_font() -> Path | None:
    for name in sorted(font_manager.findSystemFonts()):
        path = Path(name)
        if path.stem.startswith(_SYSTEM_NAMES) and covers(path, _PROBE):
            return path
    return None


@cache
def cjk_font_path() -> Path | None:
    """Return a font file covering Hangul and Han: the packaged one, else a system one."""
    return packaged_cjk_font() or _system_cjk_font()


def covers(path: Path, text: str) -> bool:
    """Return whether the font (first face of a collection) has a glyph for every character.

    Parameters
    ----------
    path
        A .ttf, .otf, .ttc or .otc file.
    text
        Characters to check; whitespace is ignored.
    """
    collection = path.suffix.lower() in (".ttc", ".otc")
    with TTCollection(str(path), lazy=True) if collection else TTFont(str(path), lazy=True) as f:
        cmap = (f.fonts[0] if collection else f).getBestCmap()
        return all(ord(ch) in cmap for ch in text if not ch.isspace())


@cache
def font_families(lang: str = "en") -> tuple[str, ...]:
    """Register the CJK font with matplotlib; return the families to set text in.

    Parameters
    ----------
    lang
        Label language (``en``, ``ko`` or ``zh``): picks the KR or SC face of the collection.

    Returns
    -------
    tuple of str
        The CJK family first (when a CJK font exists), then matplotlib's DejaVu Sans.
    """
    path = cjk_font_path()
    if path is None:
        return (FALLBACK_FAMILY,)
    font_manager.fontManager.addfont(str(path))
    wanted = CJK_FAMILIES.get(lang, CJK_FAMILIES["en"])
    names = {f.name for f in font_manager.fontManager.ttflist if f.fname == str(path)}
    family = wanted if wanted in names else font_manager.FontProperties(fname=path).get_name()
    return (family, FALLBACK_FAMILY)
