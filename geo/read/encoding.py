"""Which text encoding a user's file is in: strict decoding, never a guess that garbles text.

Candidates are tried in this order, each by decoding the whole file strictly:

1. a byte-order mark: UTF-32, UTF-8 with BOM, UTF-16 (LE or BE);
2. UTF-8;
3. CP949 (Korean, a superset of EUC-KR) and GB18030 (Chinese, a superset of GBK and GB2312).
   Many byte strings decode in both, so when both succeed the choice is made on the text
   itself (``_korean_or_chinese``): Chinese read as Korean gives Hanja, syllables outside
   KS X 1001 and syllables with rare letters, which real Korean rarely has; Chinese read as
   Chinese stays within GB2312 and has common characters. Two-character files stay ambiguous:
   with few such characters the choice comes with a warning. When only one of them decodes,
   it is used unless its reading is mostly uncommon characters and the Windows-1252 reading
   looks like Western text (accented letters inside words);
4. Windows-1252 / Latin-1 (Western European).

A reading that keeps many uncommon characters (a Big5 file read as GB18030, say) comes with a
warning to save the file as UTF-8.

A file with NUL bytes (binary, or UTF-16 without a byte-order mark) or many control characters
after decoding is refused.
"""

from __future__ import annotations

import codecs
import re
import struct
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from geo.errors import InputFileError, Problem
from geo.read.common import file_error

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
_UNCOMMON = (
    "The file is not UTF-8; it was read as {}, but many of its characters are uncommon ones. "
    "If the text looks garbled (e.g. a Big5 Traditional Chinese file), save the file as UTF-8 "
    "and upload it again."
)
#: Few characters to decide on: below this many Korean/Chinese characters, say it was a guess.
FEW_CJK = 6
_CHUNK = 1 << 20
#: Bytes of the file's start on which Korean vs Chinese vs Western is decided.
_SAMPLE = 256 * 1024
_C1_BYTES = re.compile(b"[\x80-\x9f]")
#: Multi-byte UTF-8 sequences: in a file that is not UTF-8 as a whole but holds some of these,
#: UTF-8 text was pasted into a Western file; reading it as Windows-1252 would garble it.
_UTF8_SEQUENCES = re.compile(b"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_ACCENTED_IN_WORD = re.compile("(?<=[A-Za-z])[À-ÖØ-öø-ÿ]|[À-ÖØ-öø-ÿ](?=[A-Za-z])")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
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
            return _checked(data, Detected(encoding))
    if b"\x00" in data:
        raise file_error(
            "The file contains NUL bytes: it is not a text file (or it is UTF-16 "
            f"without a byte-order mark). {ACCEPTED}"
        )
    if _decodes(data, "utf-8"):
        return _checked(data, Detected("utf-8"))
    east_asian = [enc for enc in ("cp949", "gb18030") if _decodes(data, enc)]
    if len(east_asian) == 2:
        return _checked(data, _korean_or_chinese(data))
    western = _decodes(data, "cp1252")
    if east_asian:
        typical = _typical_cjk(data, east_asian[0])
        if typical or not western or not _looks_western(data):
            found = Detected(east_asian[0])
            if not typical:
                found.problems.append(_warning(_UNCOMMON.format(east_asian[0].upper())))
            return _checked(data, found)
    if western and len(_UTF8_SEQUENCES.findall(data, 0, _SAMPLE)) < 2:
        return _checked(data, Detected("cp1252" if _C1_BYTES.search(data) else "latin-1"))
    raise _undecodable(data)


def _undecodable(data: bytes) -> InputFileError:
    """Return the refusal of a file no candidate decodes, naming where UTF-8 stops."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        start = data.rfind(b"\n", 0, err.start) + 1
        before = data[max(start, err.start - 30) : err.start].decode("utf-8", errors="replace")
        bad = " ".join(f"0x{b:02X}" for b in data[err.start : err.end])
        return file_error(
            f"The file is not text in any accepted encoding: on line {line}, after "
            f"{before!r}, the byte {bad} is not UTF-8, and the file as a whole is not Korean, "
            "Chinese or Western text either (text pasted together from files in different "
            f"encodings?). {ACCEPTED}",
            bad,
        )
    return file_error(f"The file is not text in any accepted encoding. {ACCEPTED}")


def _decodes(data: bytes, encoding: str) -> bool:
    if encoding == "utf-8":
        return data.isascii() or _valid_utf8(data)  # one quick pass: ASCII is UTF-8
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is strict UTF-8, as ``data.decode("utf-8")`` would find it.

    Arrow's UTF-8 check (the one it makes of every text it reads) runs over the bytes in place,
    a tenth of the time of decoding them into a Python string; it refuses what Python's codec
    does (overlong forms, surrogates, code points past U+10FFFF, a sequence cut short).
    """
    import pyarrow as pa

    offsets = pa.py_buffer(struct.pack("<2q", 0, len(data)))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _checked(data: bytes, found: Detected) -> Detected:
    """Refuse text with many control characters (>1% of the start): a binary file."""
    sample = data[:_CHUNK].decode(found.encoding, errors="ignore")
    controls = _CONTROLS.findall(sample)
    if len(controls) * 100 > len(sample):
        raise file_error(
            f"The file contains {len(controls):,} control characters (e.g. "
            f"U+{ord(controls[0]):04X}) in its first {len(sample):,}: it does not look like "
            f"text. {ACCEPTED}"
        )
    return found


def _typical_cjk(data: bytes, encoding: str) -> bool:
    """Tell whether a CP949 or GB18030 reading has mostly common characters.

    Other bytes read as CP949/GB18030 (Western text, Big5) give many characters outside
    KS X 1001 / GB2312, or rare Korean syllables.
    """
    wide = _wide_chars(data[:_SAMPLE], encoding)
    return _share(wide, _rare_for_korean if encoding == "cp949" else _outside_gb2312) <= 0.25


def _looks_western(data: bytes) -> bool:
    """Tell whether the Windows-1252 reading has its accented letters mostly inside words."""
    western = data[:_SAMPLE].decode("cp1252", errors="ignore")
    return len(_ACCENTED_IN_WORD.findall(western)) * 2 >= len(_NON_ASCII.findall(western))


def _warning(message: str) -> Problem:
    return Problem(0, "", "", "warning", message)


def _korean_or_chinese(data: bytes) -> Detected:
    sample = data[:_SAMPLE]
    korean = _wide_chars(sample, "cp949")
    chinese = _wide_chars(sample, "gb18030")
    korean_rare = _share(korean, _rare_for_korean)
    chinese_rare = _share(chinese, _outside_gb2312)
    korean_score = 1 - korean_rare
    chinese_score = 1 - chinese_rare + _share(chinese, _common_hanzi().__contains__) - 0.35
    encoding = "cp949" if korean_score >= chinese_score else "gb18030"
    found = Detected(encoding)
    if korean.total() < FEW_CJK or abs(korean_score - chinese_score) < 0.2:
        language = "Korean (CP949)" if encoding == "cp949" else "Chinese (GB18030)"
        found.problems.append(
            _warning(
                "The file is not UTF-8 and its Korean/Chinese text fits both languages; it was "
                f"read as {language}. If names look garbled, save the file as UTF-8 and upload "
                "it again."
            )
        )
    elif (korean_rare if encoding == "cp949" else chinese_rare) > 0.25:
        found.problems.append(_warning(_UNCOMMON.format(encoding.upper())))
    return found


@cache
def _common_hanzi() -> frozenset[str]:
    """Return the commonest Chinese characters (charset_normalizer's list, imported on use)."""
    from charset_normalizer.constant import FREQUENCIES

    return frozenset(FREQUENCIES["Chinese"])


def _wide_chars(sample: bytes, encoding: str) -> Counter[str]:
    return Counter(_NON_ASCII.findall(sample.decode(encoding, errors="ignore")))


def _share(chars: Counter[str], test: Callable[[str], bool]) -> float:
    """Return the share of ``chars`` (counted with repeats) for which ``test`` holds."""
    total = chars.total()
    return sum(n for char, n in chars.items() if test(char)) / total if total else 0.0


def _outside_gb2312(char: str) -> bool:
    return not _in_charset(char, "gb2312")


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
