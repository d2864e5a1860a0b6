"""Held-out broken files: random damage to a good file never gives a traceback or a silent loss.

Each example takes a good CSV and applies a few mutations drawn by Hypothesis (a cell replaced
by a broken or hostile value, bytes inserted, the file cut short, a row doubled, a delimiter
dropped, another encoding). Whatever comes out, ``load_events`` returns, and every record is
either an event or named by an error (a row error, or a whole-file error), no row is both,
and every problem names a row of the file (or 0, the whole file).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.validate import load_events
from tests.adversarial.corpus import HOSTILE, csv_text, row

BROKEN = [
    "03/04/2024", "45000", "n.d.", "2024-02-30", "2024-05-01/2024-01-01", "1.200", "-5",
    "many", "60 to 50", "Atlantis", "CN-XX", "126.9", "", '"', "a,b", "line\nbreak", "\r",
    "N/A", "null", "007", "=1+1", "javascript:alert(1)", *HOSTILE,
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp949", "gb18030", "cp1252"]


def good_rows():
    return [row(event_id=f"e{i}", notes=f"note {i}", date=f"2024-04-{i + 1:02d}")
            for i in range(8)]  # fmt: skip


@st.composite
def damaged(draw):
    rows = [list(r) for r in good_rows()]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cell", "double", "drop"]))
        i = draw(st.integers(0, len(rows) - 1))
        if kind == "cell" and rows[i]:
            rows[i][draw(st.integers(0, len(rows[i]) - 1))] = draw(st.sampled_from(BROKEN))
        elif kind == "double":
            rows.insert(i, list(rows[i]))
        else:
            rows[i] = rows[i][:-1]
    text = csv_text(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["bytes", "cut"]))
        at = draw(st.integers(0, len(data)))
        if kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
        else:
            data = data[:at]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_files_give_events_or_named_problems(case):
    data = case
    result = load_events(data, "heldout.csv")
    file_error = any(p.row == 0 and p.severity == "error" for p in result.problems)
    kept = set(result.events["row"].tolist())
    error_rows = {p.row for p in result.problems if p.severity == "error" and p.row > 0}
    assert not kept & error_rows
    if not file_error:
        # every record (rows 2 .. rows + 1) is an event or has an error
        assert kept | error_rows >= set(range(2, result.rows + 2))
    last = result.rows + 1 + 1  # a cut file may name the line after the last record
    assert all(0 <= p.row <= max(last, 1) for p in result.problems)
    assert all(p.message and p.severity in ("error", "warning") for p in result.problems)
