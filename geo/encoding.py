"""Which text encoding a user's file is in: strict decoding, never a guess that garbles text.

Candidates are tried in this order, each by decoding the whole file strictly:

1. a byte-order mark: UTF-32, UTF-8 with BOM, UTF-16 (LE or BE);
2. UTF-8;
3. CP949 (Korean, a superset of EUC-KR) and GB18030 (Chinese, a superset of GBK and GB2312).
   Many byte strings decode in both, so when both succeed the choice is made on the text
   itself (see ``geo.cjk``-style scoring in ``_korean_or_chinese``): Korean read as Chinese
   gives common-looking Han characters, but Chinese read as Korean gives Hanja, syllables
   outside KS X 1001 and syllables with rare letters, which real Korean rarely has;
4. Windows-1252 / Latin-1 (Western European), when no other candidate fits.

A file with NUL bytes (binary, or UTF-16 without a byte-order mark) or control characters
after decoding is refused.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field

from charset_normalizer.constant import FREQUENCIES

from geo.errors import Problem
from geo.read_common import file_error

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ACCEPTED = (
    "Save the file as UTF-8 (in Excel: Save As > CSV UTF-8). Accepted encodings: UTF-8 (with or "
    "without BOM), UTF-16 with BOM, CP949/EUC-KR (Korean), GB18030/GBK (Chinese), Windows-1252/"
    "Latin-1."
)
#: Few characters to decide on: below this many Korean/Chinese characters, say it was a guess.
FEW_CJK = 6
_CHUNK = 1 << 20
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_COMMON_HANZI = frozenset(FREQUENCIES["Chinese"])
# Hangul jamo indexes (see Unicode ch. 3.12) rare in Korean text: tense initials, rare vowels,
# and clustered or rare final consonants.
_RARE_INITIALS = frozenset({1, 4, 8, 13})
_RARE_MEDIALS = frozenset({3, 10, 15})
_RARE_FINALS = frozenset({2, 3, 5, 6, 9, 10, 11, 12, 13, 14, 15, 18, 22, 23, 24, 25, 26, 27})


@dataclass
class Detected:
    """An encoding found for a file, with any warning about how sure the choice is."""

    encoding: str
    problems: list[Problem] = field(default_factory=list)


def detect_encoding(data: bytes) -> Detected:
    """Return the encoding ``data`` decodes in, choosing between candidates as described above.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    Detected
        ``.encoding`` is a Python codec name (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``,
        ``"utf-32"``, ``"cp949"``, ``"gb18030"``, ``"cp1252"``, ``"latin-1"``); ``.problems``
        holds a warning when Korean vs Chinese was decided on very little text.

    Raises
    ------
    geo.errors.InputFileError
        When no accepted encoding decodes the file.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            if not _decodes(data, encoding):
                raise file_error(
                    f"The file starts with a {encoding.upper()} byte-order mark "
                    f"but is not valid {encoding.upper()}. {ACCEPTED}"
                )
            return Detected(encoding)
    if _decodes(data, "utf-8"):
        return _checked(data, Detected("utf-8"))
    if b"\x00" in data:
        raise file_error(
            "The file contains NUL bytes: it is not a text file (or it is UTF-16 "
            f"without a byte-order mark). {ACCEPTED}"
        )
    east_asian = [enc for enc in ("cp949", "gb18030") if _decodes(data, enc)]
    if len(east_asian) == 2:
        return _checked(data, _korean_or_chinese(data))
    if east_asian and _plausible_cjk(data.decode(east_asian[0]), east_asian[0]):
        return _checked(data, Detected(east_asian[0]))
    if _decodes(data, "cp1252"):
        western = "latin-1" if not any(0x80 <= b <= 0x9F for b in data) else "cp1252"
        return _checked(data, Detected(western))
    raise file_error(f"The file is not text in any accepted encoding. {ACCEPTED}")


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _checked(data: bytes, found: Detected) -> Detected:
    sample = data[:_CHUNK].decode(found.encoding, errors="ignore")
    for char in sample:
        if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS:
            raise file_error(
                f"The file contains the control character U+{ord(char):04X}: it does not look "
                f"like text. {ACCEPTED}"
            )
    return found


def _plausible_cjk(text: str, encoding: str) -> bool:
    """Tell whether a CP949 or GB18030 reading is text rather than bytes of another encoding."""
    wide = [c for c in text if ord(c) > 0x7F]
    odd = sum(unicodedata.category(c) in ("Co", "Cn") for c in wide)
    if encoding == "cp949":
        odd += sum(_rare_for_korean(c) for c in wide)
    else:
        odd += sum(not _in_charset(c, "gb2312") for c in wide)
    return odd <= len(wide) // 4


def _korean_or_chinese(data: bytes) -> Detected:
    sample = data[: 4 * _CHUNK]
    korean = [c for c in sample.decode("cp949", errors="ignore") if ord(c) > 0x7F]
    chinese = [c for c in sample.decode("gb18030", errors="ignore") if ord(c) > 0x7F]
    korean_rare = sum(_rare_for_korean(c) for c in korean) / max(len(korean), 1)
    chinese_rare = sum(not _in_charset(c, "gb2312") for c in chinese) / max(len(chinese), 1)
    chinese_common = sum(c in _COMMON_HANZI for c in chinese) / max(len(chinese), 1)
    korean_score = 1 - korean_rare
    chinese_score = 1 - chinese_rare + chinese_common - 0.35
    encoding = "cp949" if korean_score >= chinese_score else "gb18030"
    found = Detected(encoding)
    if len(korean) < FEW_CJK or abs(korean_score - chinese_score) < 0.2:
        language = "Korean (CP949)" if encoding == "cp949" else "Chinese (GB18030)"
        found.problems.append(
            Problem(
                0,
                "",
                "",
                "warning",
                f"The file is not UTF-8; from its little Korean/Chinese text it was read as "
                f"{language}. If names look garbled, save the file as UTF-8 and upload it "
                "again.",
            )
        )
    return found


def _in_charset(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _rare_for_korean(char: str) -> bool:
    """Tell whether ``char`` is unusual in Korean text (Hanja, rare or unusual syllables)."""
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return unicodedata.category(char).startswith("L")
    if not _in_charset(char, "euc-kr"):
        return True
    initial, medial, final = code // 588, code % 588 // 28, code % 28
    return initial in _RARE_INITIALS or medial in _RARE_MEDIALS or final in _RARE_FINALS
