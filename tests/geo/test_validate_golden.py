"""Columnar validation reads a mixed file exactly as the row-wise code before it did.

``tests/data/golden/mixed_150_problems.json`` was written by the validation of commit 6504e9b
(before issue 15 made the checks columnar) from ``mixed_csv(150)``: its rows, valid event ids
and every problem (row, column, value, severity, message). The same comparison on 3,000 rows
(10,183 problems, lists capped at 1,000 rows) also matched when the change was made.

Rewritten once since, for one rule changed on purpose: a claim naming no kept reference row
(no row of the file has its ``same_event_as``, or that row is refused) was a warning and
counted nowhere; it is now an error (``geo.validate.ids.check_claim_targets``). That changed
42 problems (21 warnings became errors, 21 errors added) and refused one row (ev107); the
other problems and events are as 6504e9b wrote them, but for one message reworded (the
swapped coordinates: 'lat is the north-south number (33–50 here), lon the east-west one').
"""

import json
import random
from pathlib import Path

from geo.validate import load_events

GOLDEN = Path(__file__).parent.parent / "data" / "golden" / "mixed_150_problems.json"

PLACES = ["Dandong", "Sinuiju", "Hyesan", "Tumen", "Yanji", "Hoeryong", "Changbai", "Ji'an",
          "Atlantis", "Dandongg", "丹东", "단둥", "Tumen (Liaoning)", "吉林省图们市", "Beijing",
          "Sinuiju, Beijing", ""]  # fmt: skip
DATES = ["2024-04-26", "2023", "April 2021", "2019-01-01/2019-03-31", "26 April 2024",
         "2024年4月", "03/04/2024", "n.d.", "", "2024-13-01", "1850"]  # fmt: skip
COUNTS = ["60", "about 60", "more than 500", "50 to 60", "1,200", "up to 600", "", "many",
          "-5", "9" * 30]  # fmt: skip
CODES = ["", "CN-LN", "CN-JL", "KP-09", "Jilin", "XX-99", "CN-LN|KP-01"]
URLS = ["https://example.org/r/{i}", "hrw.org/news/{i}", "javascript:alert(1)", "", "HTTPS://X.ORG"]
TYPES = ["forced_return", "Forced Return", "detention", "", "picnic", "report"]
PRECISIONS = ["", "point", "place", "admin1", "country", "street"]
POINTS = [("", ""), ("40.12", "124.39"), ("124.39", "40.12"), ("0", "0"), ("41,8", "129"),
          ("35.0", "125.0"), ("60", "10"), ("42.0", "")]  # fmt: skip


def mixed_csv(rows: int, seed: int = 15) -> bytes:
    """Return a CSV of ``rows`` seeded records, about half of them with a problem."""
    rng = random.Random(seed)
    lines = ["event_id,event_type,date,count_text,place_names,admin1_codes,lat,lon,"
             "geo_precision,source_url,source_org,same_event_as,notes"]  # fmt: skip
    for i in range(rows):
        lat, lon = rng.choice(POINTS)
        event_id = f"ev{i}" if rng.random() > 0.03 else rng.choice(["", "ev1"])
        same = rng.choice(["", "", "", "ev2", f"ev{i}", "nowhere"])
        cells = [event_id, rng.choice(TYPES), rng.choice(DATES), rng.choice(COUNTS),
                 rng.choice(PLACES), rng.choice(CODES), lat, lon, rng.choice(PRECISIONS),
                 rng.choice(URLS).format(i=i % 50), rng.choice(["", "HRW"]), same,
                 rng.choice(["", "note", "same note"])]  # fmt: skip
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    return ("\n".join(lines) + "\n").encode()


def test_a_mixed_file_has_the_same_events_and_problems_as_before():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    result = load_events(mixed_csv(150), "mixed.csv")
    assert (result.rows, result.valid) == (expected["rows"], expected["valid"])
    assert result.events["event_id"].tolist() == expected["event_ids"]
    got = [[p.row, p.column, p.value, p.severity, p.message] for p in result.problems]
    assert got == expected["problems"]
