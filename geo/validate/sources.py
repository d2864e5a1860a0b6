"""Source columns of :mod:`geo.validate`.

``source_url`` (http/https only) or ``source_org`` is required; ``source_published`` is one
date within the accepted dates (:mod:`geo.parse.dates`), written back as ISO text of its
precision.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as arrow_compute
from numpy.typing import NDArray

from geo.parse import PYTHON_SPACE, quoted
from geo.validate.core import Findings, SchemaCells
from geo.validate.dates import parse_date_cells

__all__ = ["check_sources"]

#: A link with an http or https scheme and a host; nothing else is accepted as source_url.
#: (RE2 syntax, matched by Arrow: ``PYTHON_SPACE`` is what Python's ``\s`` matches.)
_WEB_LINK = rf"^[hH][tT][tT][pP][sS]?://[^/?#{PYTHON_SPACE}]"
#: A link written without its scheme: ``hrw.org/news/…``, ``www.example.org``.
_HOST_LINK = r"(?i)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]\S*)?"
NOT_A_LINK = "source_url must be an http:// or https:// link"


def check_sources(t: SchemaCells) -> Findings:
    """Return ``source_published`` (ISO text), missing sources and non-web links."""
    found = Findings(t)
    urls, orgs = t.cell("source_url"), t.cell("source_org")
    column = "source_url" if "source_url" in t.found else "source_org"
    found.add(
        (urls == "") & (orgs == ""),
        column,
        t.cell(column),
        "no source: give source_url (http/https) or source_org",
    )
    web = arrow_compute.match_substring_regex(pa.array(urls), _WEB_LINK).to_numpy(
        zero_copy_only=False
    )

    def hint(at: NDArray[np.intp]) -> list[str]:
        written = urls.iloc[at]
        return [
            f"{NOT_A_LINK}; write {quoted('https://' + url)} if that is the page"
            if re.fullmatch(_HOST_LINK, url)
            else f"{NOT_A_LINK} (or name the organisation in source_org)"
            for url in written
        ]

    found.add((urls != "") & ~web, "source_url", urls, hint)
    published = t.cell("source_published")
    # Each distinct cell is read, checked and written once, then taken for every row.
    codes, distinct = t.distinct("source_published")
    written = pd.Series(distinct, dtype=str)
    start, _, precision, errors = parse_date_cells(written)
    # The date reader's reason follows (a day outside the accepted dates names them).
    reason = ("; " + errors).where(errors != "", "").to_numpy(dtype=object)
    wrong = ((written != "") & ((errors != "") | (precision == "period"))).to_numpy(dtype=bool)
    found.add(
        wrong[codes],
        "source_published",
        published,
        lambda at: "source_published must be one date, e.g. 2024-04-26 (or 2024-04, 2024)"
        + reason[codes[at]],
    )
    iso = start.dt.strftime("%Y-%m-%d").fillna("")
    text = np.select(
        [precision == "day", precision == "month", precision == "year"],
        [iso, iso.str[:7], iso.str[:4]],
        "",
    )
    distinct_text = pa.array(np.asarray(text, dtype=object).tolist(), pa.large_string())
    found.columns["source_published"] = pd.Series(distinct_text.take(codes), dtype=str)
    return found
