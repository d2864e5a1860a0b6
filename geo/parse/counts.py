"""Read the number of people a source gives, keeping its uncertainty.

The count rule (``data/README.md``): ``exact`` -> low = best = high; ``about``, ``more_than``,
``at_least`` -> low = best, high empty; ``up_to`` -> best = high, low empty; a range
("50 to 60", "50-60", "between 600 and 2,000") -> best empty, low and high the ends,
qualifier ``unknown``; no number at all -> everything empty, ``unknown``.

Accepted wordings (any case):

- ``about``: about, around, approximately, approx., some, nearly, almost, roughly, circa,
  c., ca., ~, 약 (Korean), 约, 大约, 近 (Chinese); ``500명가량``, ``500명 정도``, ``500人左右``
- ``more_than``: more than, over, above, in excess of, 超过, ``60+``, Korean ``60여명`` /
  ``60여 명``, Chinese ``60余人`` / ``60多人``
- ``at_least``: at least, no fewer than, no less than, a minimum of, 최소, 至少, 最少,
  ``60명 이상``, ``60人以上``
- ``up_to``: up to, as many as, no more than, at most, 최대, 最多, ``60명 이하``, ``60人以下``;
  and "fewer than N" (fewer than, less than, under, below, 不到, 不足, ``60명 미만``), read as
  up to N - 1: ``up_to`` is "at most", so the number below N is its honest bound
- ``exact``: a bare number, "exactly", "a total of"

A note in brackets after the count is a source's attribution ("60 (per HRW)", kept in
``count_text``) unless it qualifies the number: a qualifier alone ("500 (at least)", "500명
(이상)") reads as if written outside the brackets, an estimate ("500 (est.)", "500 (HRW
estimate)", "500명(추산)", "500人（估计）") as ``about``, and a doubt ("500 (?)", "500
(unconfirmed)", "500명(미확인)") is refused: an estimate is never read as an exact count.

Numbers are digits, optionally grouped by commas or spaces (``1,200``, ``1 200``), or the
words zero to twenty, the tens, "a/one hundred" and "a/one thousand"; a trailing "people",
"persons", "North Koreans", "defectors", 명 or 人 is allowed. A dot is never read as a
thousands separator: ``1.200`` (1.2 or 1200?) is an error, like a fraction (``2.5``), a
negative number or words without a number ("many"); ``1.200.000`` and ``1'200`` are errors
that say which digits to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.parse import quoted

__all__ = [
    "MAX_COUNT",
    "CountParseError",
    "CountValue",
    "digits_value",
    "parse_count",
    "parse_count_number",
]

#: Largest count accepted: anything above is a typo or a unit mistake, never a number of people.
MAX_COUNT = 1_000_000_000


def digits_value(digits: str) -> int | None:
    """Return the number a string of decimal digits writes, or None when above ``MAX_COUNT``.

    The length is checked before ``int`` reads it, so thousands of digits (beyond Python's
    limit on reading integers) are simply too large, never a ``ValueError``.
    """
    significant = digits.lstrip("0")
    if len(significant) > len(str(MAX_COUNT)):
        return None
    value = int(significant or "0")
    return value if value <= MAX_COUNT else None


class CountParseError(ValueError):
    """A count text that cannot be read unambiguously; the message says why."""


@dataclass(frozen=True)
class CountValue:
    """A count following the count rule; ``None`` where the rule leaves a column empty."""

    best: int | None
    low: int | None
    high: int | None
    qualifier: str


_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {
    w: 10 * i for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)
}
_TENS["twenty"] = 20
_SCALES = {"hundred": 100, "thousand": 1000}

_PREFIXES = [
    (
        "about",
        r"about|around|approximately|approx\.?|some|nearly|almost|roughly|circa|ca\.|c\.|~|약|约"
        r"|近|大约",
    ),
    ("more_than", r"more than|over|above|in excess of|超过"),
    ("at_least", r"at least|no fewer than|no less than|a minimum of|최소|至少|最少"),
    ("up_to", r"up to|as many as|no more than|at most|최대|最多"),
    ("fewer_than", r"fewer than|less than|under|below|不到|不足"),
    ("exact", r"exactly|a total of|total of"),
]
_PREFIX = re.compile("|".join(f"(?P<{name}>(?:{alts}))(?=\\s|\\d|$)" for name, alts in _PREFIXES))
_NOUN = re.compile(r"\s*(?:people|persons?|individuals|north koreans|defectors|refugees|명|人|名)$")
_SUFFIXES = [
    ("more_than", re.compile(r"\s*(?:\+|여\s*명?|余[人名]?|多[人名]?|plus)$")),
    ("at_least", re.compile(r"\s*(?:[명人名]\s*)?(?:이상|以上)$")),
    ("up_to", re.compile(r"\s*(?:[명人名]\s*)?(?:이하|以下)$")),
    ("fewer_than", re.compile(r"\s*(?:명\s*)?미만$")),
    ("about", re.compile(r"\s*(?:[명人名]\s*)?(?:가량|정도|내외|안팎|左右)$")),
]
#: A note in brackets after the count: a source's attribution, e.g. "60 (per HRW)" (the words
#: stay in count_text), or what it says of the number (``_note_qualifier``).
_ATTRIBUTION = re.compile(r"(?<=\S)\s*[(（]([^()（）]*)[)）]$")
#: A note saying the number is an estimate: read as ``about``.
_ESTIMATE = re.compile(
    r"(?<![a-z])(?:est|estimated?|estimation|approximate(?:ly)?)(?![a-z])|추산|추정|估计|估算|约计|推算"
)
#: A note doubting the number: refused, as no qualifier says how far off it may be.
_DOUBT = re.compile(
    r"(?<![a-z])(?:unconfirmed|unverified|uncertain|unclear|disputed)(?![a-z])|[?？]"
    r"|미확인|불확실|未证实|未经证实|未核实|不确定|待核实"
)
#: Digits times a Korean or Chinese unit: 5백 / 5百 = 500, 3천 / 3千 = 3,000, 2만 / 2万 = 20,000.
_UNITS = {"백": 100, "百": 100, "천": 1_000, "千": 1_000, "만": 10_000, "万": 10_000}
_UNIT_NUMBER = re.compile(r"(\d+)\s*([백百천千만万])")
#: Words for "several tens / hundreds / thousands": at least the second such number.
_SEVERAL = {
    "수십": 20, "数十": 20, "dozens": 24, "dozens of": 24, "tens": 20,
    "수백": 200, "数百": 200, "hundreds": 200, "hundreds of": 200,
    "수천": 2_000, "数千": 2_000, "thousands": 2_000, "thousands of": 2_000,
}  # fmt: skip
_RANGE = re.compile(r"(?:between\s+)?(?P<low>.+?)\s*(?:\s(?:to|and)\s|–|—|-|~)\s*(?P<high>.+)")
_DIGITS = re.compile(r"\d{1,3}(?:(?:,|\s)\d{3})+|\d+")


def parse_count_number(text: str) -> int:
    """Read one non-negative whole number written in digits or English words.

    Parameters
    ----------
    text : str
        ``"1,200"``, ``"1 200"``, ``"60"``, ``"twenty-nine"``, ``"a thousand"``.

    Returns
    -------
    int

    Raises
    ------
    CountParseError
        Negative, fractional, dotted (``1.200``), above ``MAX_COUNT``, or not a number.
    """
    raw = " ".join(str(text).split())
    low = raw.lower()
    if _DIGITS.fullmatch(low):
        value = digits_value(re.sub(r"[,\s]", "", low))
        if value is None:
            raise CountParseError(
                f"{quoted(raw)} is larger than any count of people ({MAX_COUNT:,})"
            )
        return value
    if re.fullmatch(r"-\s*\d[\d,.]*", low):
        raise CountParseError(f"{quoted(raw)}: a count cannot be negative")
    if re.fullmatch(r"\d+\.\d{3}", low):
        raise CountParseError(
            f"{quoted(raw)} is ambiguous: {low.replace('.', '')} or a decimal? write digits only"
        )
    if re.fullmatch(r"\d{1,3}(?:[.'’]\d{3})+", low):
        digits = re.sub(r"\D", "", low)
        raise CountParseError(
            f"{quoted(raw)}: only commas or spaces are read as thousands separators; write {digits}"
        )
    if re.fullmatch(r"\d*[.,]\d+", low):
        raise CountParseError(f"{quoted(raw)}: a count must be a whole number of people")
    words = _words(low)
    if words is None:
        raise CountParseError(
            f"{quoted(raw)} is not a count this tool reads: write a number, a qualified number "
            "('about 60', 'more than 500', 'up to 600') or a range ('50 to 60')"
        )
    return words


def _words(low: str) -> int | None:
    """Read "twenty-nine", "a hundred", "one thousand"; None if not such words."""
    tokens = low.replace("-", " ").split()
    if len(tokens) == 2 and tokens[0] in ("a", "one") and tokens[1] in _SCALES:
        return _SCALES[tokens[1]]
    if len(tokens) == 1:
        return _WORDS.get(tokens[0], _TENS.get(tokens[0]))
    if len(tokens) == 2 and tokens[0] in _TENS and tokens[1] in _WORDS:
        if 1 <= _WORDS[tokens[1]] <= 9:
            return _TENS[tokens[0]] + _WORDS[tokens[1]]
    return None


def _note_qualifier(note: str) -> str | None:
    """Return what a note in brackets after a count says of it, None for an attribution.

    A note that is a qualifier alone reads as if written outside the brackets ("500 (at
    least)" is "at least 500", "500명(이상)" is "500명 이상"); one calling the number an
    estimate ("est.", "HRW estimate", 추산, 估计) reads as ``about``; one doubting it ("?",
    "unconfirmed", 미확인, 未证实) is ``"doubt"``.
    """
    words = note.strip().rstrip(".").strip()
    if (m := _PREFIX.fullmatch(words)) or (m := _PREFIX.fullmatch(words + ".")):
        return m.lastgroup
    for name, pattern in _SUFFIXES:
        if pattern.fullmatch(words):
            return name
    if _DOUBT.search(words):
        return "doubt"
    if _ESTIMATE.search(words):
        return "about"
    return None


def _qualified(qualifier: str, number: int, raw: str) -> CountValue:
    if qualifier == "fewer_than":  # "fewer than 500": at most 499
        if number == 0:
            raise CountParseError(f"{quoted(raw)}: there is no count fewer than 0")
        return CountValue(number - 1, None, number - 1, "up_to")
    if qualifier == "exact":
        return CountValue(number, number, number, "exact")
    if qualifier == "up_to":
        return CountValue(number, None, number, "up_to")
    return CountValue(number, number, None, qualifier)


def parse_count(text: str) -> CountValue:
    """Read a count of people with its qualifier, following the count rule.

    Parameters
    ----------
    text : str
        The source's words: ``"about 60"``, ``"more than 500"``, ``"60+"``, ``"1,200"``,
        ``"50 to 60"``, ``"between 600 and 2,000"``, ``"108명"``; ``""`` for no count.

    Returns
    -------
    CountValue

    Raises
    ------
    CountParseError
        Text that does not hold exactly one readable count or range.

    Examples
    --------
    >>> parse_count("over 200")
    CountValue(best=200, low=200, high=None, qualifier='more_than')
    >>> parse_count("50 to 60")
    CountValue(best=None, low=50, high=60, qualifier='unknown')
    """
    raw = " ".join(str(text).split())
    low = raw.lower()
    note = _ATTRIBUTION.search(low)
    noted = _note_qualifier(note[1]) if note else None
    low = low[: note.start()] if note else low
    if not low:
        return CountValue(None, None, None, "unknown")
    low = _UNIT_NUMBER.sub(lambda m: str(int(m[1]) * _UNITS[m[2]]), low)
    several = _NOUN.sub("", low).strip()
    if several in _SEVERAL:  # "hundreds": at least 200, and no best guess is made up
        return CountValue(None, _SEVERAL[several], None, "unknown")
    qualifier = "exact"
    if m := _PREFIX.match(low):
        qualifier = m.lastgroup or "exact"
        low = low[m.end() :].strip()
    low = _NOUN.sub("", low)
    for name, pattern in _SUFFIXES:
        if pattern.search(low) and qualifier == "exact":
            qualifier, low = name, pattern.sub("", low)
            break
    try:
        number = parse_count_number(low)
    except CountParseError:
        m = _RANGE.fullmatch(low) if qualifier == "exact" else None
        if m is None:
            raise
    else:
        if noted == "doubt":
            raise CountParseError(
                f"{quoted(raw)}: the note in brackets doubts the number; write how uncertain it "
                "is ('about 500', a range such as '400 to 600') and keep the doubt in notes"
            )
        return _qualified(noted if noted and qualifier == "exact" else qualifier, number, raw)
    try:
        lo, hi = parse_count_number(m["low"]), parse_count_number(m["high"])
    except CountParseError as err:
        raise CountParseError(f"{quoted(raw)}: not a range of two counts ({err})") from None
    if lo >= hi:
        raise CountParseError(f"{quoted(raw)}: a range must go from a smaller to a larger number")
    return CountValue(None, lo, hi, "unknown")
