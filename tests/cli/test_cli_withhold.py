"""``border-map export --withhold COLUMN``: exports for publication from the command line.

The same withholding as the app's "For publication" box (``geo.withhold.withhold_view``): the
column's text is in no file written, the figures are those of the whole view, and the data
note names the column.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pandas as pd
import pytest
from pypdf import PdfReader

from cli.main import main
from render.wording import withheld_note

LATIN = "SECRET-NAME"
MARKER = f"{LATIN}-김철수"
EVENTS = (
    "event_id,event_type,date,count,place,source_url,source_org,source_title,notes\n"
    f"a,forced_return,2023-10-09,more than 500,Dandong,https://example.org/a,NGO,Report,"
    f"Interview with {MARKER}\n"
    f"b,forced_return,2021-07-14,about 50,Sinuiju,https://example.org/b,Witness {MARKER},"
    f"Testimony of {MARKER},\n"
)
WITHHELD = ("source_org", "source_title", "notes")


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def texts(path) -> str:
    """Return the text a written file holds (a PDF's extracted text, a zip's members)."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as pack:
            return " ".join(
                pack.read(name).decode("utf-8", "replace")
                for name in pack.namelist()
                if name.endswith((".txt", ".csv", ".html"))
            )
    return html.unescape(data.decode("utf-8-sig"))  # the page's text as a browser shows it


def withheld_options() -> list[str]:
    return [option for column in WITHHELD for option in ("--withhold", column)]


def export(events, out, *options: str) -> int:
    return main(["export", "--events", str(events), "--format", out.suffix[1:],
                 "--out", str(out), "--start", "2021-01-01", *options])  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "html", "pdf", "zip"])
def test_the_withheld_columns_are_in_no_file_and_the_note_names_them(events, tmp_path, fmt):
    public, full = tmp_path / f"public.{fmt}", tmp_path / f"full.{fmt}"
    assert export(events, public, *withheld_options()) == 0
    assert export(events, full) == 0
    # A PDF's extracted text may lose the Korean letters: its Latin part is looked for.
    marker = LATIN if fmt == "pdf" else MARKER
    assert LATIN not in texts(public)
    assert marker in texts(full)  # so that the test can fail
    if fmt != "csv":  # a CSV holds rows only; its pack's README says it (zip)
        assert withheld_note(WITHHELD) in re.sub(r"\s+", " ", texts(public))
        assert "Withheld for publication" not in texts(full)


def test_the_columns_are_blank_and_the_figures_those_of_the_whole_view(events, tmp_path):
    public, full = tmp_path / "public.csv", tmp_path / "full.csv"
    export(events, public, *withheld_options())
    export(events, full)
    shown = pd.read_csv(public, dtype=str, keep_default_na=False)
    whole = pd.read_csv(full, dtype=str, keep_default_na=False)
    assert all(set(shown[column]) == {""} for column in WITHHELD)
    assert shown.drop(columns=list(WITHHELD)).equals(whole.drop(columns=list(WITHHELD)))


def test_a_column_that_cannot_be_withheld_is_named(events, tmp_path, capsys):
    assert export(events, tmp_path / "x.csv", "--withhold", "place_names") == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'place_names'" in err and "notes" in err
    assert not (tmp_path / "x.csv").exists()


def test_a_parquet_file_streamed_to_parquet_is_refused_rather_than_published_in_full(
    events, tmp_path, capsys
):
    source = tmp_path / "events.parquet"
    pd.read_csv(events, dtype=str, keep_default_na=False).to_parquet(source)
    out = tmp_path / "out.parquet"
    code = main(["export", "--events", str(source), "--format", "parquet", "--out", str(out),
                 "--withhold", "notes"])  # fmt: skip
    assert code == 2
    assert "--withhold" in capsys.readouterr().err
    assert not out.exists()
