"""Fonts for static exports: a CJK font so Korean and Chinese place names get real glyphs.

The font file is found by ``render.cjkfont`` (the ``noto-cjk-sans-otc`` package, else a system
Noto Sans CJK / Source Han Sans); this module registers it with matplotlib.
"""

from __future__ import annotations

from functools import cache

from matplotlib import font_manager

from render.cjkfont import cjk_family, cjk_font_path

FALLBACK_FAMILY = "DejaVu Sans"


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
    wanted = cjk_family(lang)
    names = {f.name for f in font_manager.fontManager.ttflist if f.fname == str(path)}
    family = wanted if wanted in names else font_manager.FontProperties(fname=path).get_name()
    return (family, FALLBACK_FAMILY)
