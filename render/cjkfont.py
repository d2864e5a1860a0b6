"""Where the CJK font is: the Noto Sans CJK collection, and which face suits which language.

One lookup for every output that needs Hangul and Han glyphs: the print exports
(``render.printmap.fonts``) and the browser (``render.webmap.fonts``). The font comes from the PyPI
package ``noto-cjk-sans-otc`` (Noto Sans CJK, SIL OFL 1.1), a dependency of this project; a
system Noto Sans CJK / Source Han Sans is the fallback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

#: Face to use per label language (all faces cover Hangul and Han; they differ in glyph style).
CJK_FAMILIES = {"ko": "Noto Sans CJK KR", "zh": "Noto Sans CJK SC", "en": "Noto Sans CJK KR"}
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
    from matplotlib import font_manager

    for name in sorted(font_manager.findSystemFonts()):
        path = Path(name)
        if path.stem.startswith(_SYSTEM_NAMES) and covers(path, _PROBE):
            return path
    return None


@cache
def cjk_font_path() -> Path | None:
    """Return a font file covering Hangul and Han: the packaged one, else a system one."""
    return packaged_cjk_font() or _system_cjk_font()


def is_collection(path: Path) -> bool:
    """Return whether ``path`` is a font collection (.ttc/.otc) rather than a single font."""
    return path.suffix.lower() in (".ttc", ".otc")


def covers(path: Path, text: str) -> bool:
    """Return whether the font (first face of a collection) has a glyph for every character.

    Parameters
    ----------
    path
        A .ttf, .otf, .ttc or .otc file.
    text
        Characters to check; whitespace is ignored.
    """
    collection = is_collection(path)
    with TTCollection(str(path), lazy=True) if collection else TTFont(str(path), lazy=True) as f:
        cmap = (f.fonts[0] if collection else f).getBestCmap()
        return all(ord(ch) in cmap for ch in text if not ch.isspace())


def cjk_family(lang: str) -> str:
    """Return the face to set ``lang`` in: KR for ``ko`` and ``en``, SC for ``zh``.

    All faces cover Hangul and Han; they differ in glyph style.
    """
    return CJK_FAMILIES.get(lang, CJK_FAMILIES["en"])


@cache
def face_index(path: Path, lang: str) -> int:
    """Return the index in the collection ``path`` of the face for ``lang`` (0 if none matches).

    Parameters
    ----------
    path
        A font collection or single font (always 0).
    lang
        ``en``, ``ko`` or ``zh``: the face named :func:`cjk_family`.
    """
    if not is_collection(path):
        return 0
    wanted = cjk_family(lang)
    with TTCollection(str(path), lazy=True) as collection:
        for index, face in enumerate(collection.fonts):
            if face["name"].getDebugName(1) == wanted:
                return index
    return 0
