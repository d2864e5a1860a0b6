"""One view, one wording: the CLI, the app, the PDF and the report pack say the same range.

Also checks that each wording rule (``render.wording``) and each guard (``render.markup``) is
defined in one place only: no other module of the app, the renderers or the CLI spells it out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from cli.main import main
from geo.pipeline import build_view, load_dataset, load_shipped_dataset
from geo.reference import load_reference
from geo.view import ViewParams
from render.exports.pack import readme_text
from render.exports.static import export_static
from render.wording import assumed_type_text, overlap_note, people_text
from webapp.figures import headline_figures

ROOT = Path(__file__).resolve().parent.parent
RANGED_CSV = (
    "event_id,event_type,date,count,place,source_url\n"
    "a,forced_return,2022-03-01,50 to 60,Dandong,https://example.org/a\n"
    "b,forced_return,2022-05-02,1200,Sinuiju,https://example.org/b\n"
    "c,forced_return,2022-06-02,up to 300,Hyesan,https://example.org/c\n"
)
VIEWS = {
    # The shipped data in 2023: "more than 500" on 9 October leaves the total open-ended.
    "shipped-2023": (None, dt.date(2023, 1, 1), dt.date(2023, 12, 31), "at least 640"),
    # An upload with a range, an exact count and an "up to": bounded, with a best estimate.
    "ranged-2022": (RANGED_CSV, dt.date(2022, 1, 1), dt.date(2022, 12, 31),
                    "1,250 to 1,560, best estimate 1,550"),
}  # fmt: skip


@pytest.fixture(scope="module", params=list(VIEWS))
def case(request, tmp_path_factory):
    """Return the view's name, CLI arguments, ViewData and the expected wording's core."""
    content, start, end, expected = VIEWS[request.param]
    args = ["--start", start.isoformat(), "--end", end.isoformat()]
    if content is None:
        dataset = load_shipped_dataset()
    else:
        path = tmp_path_factory.mktemp("events") / "events.csv"
        path.write_text(content, encoding="utf-8")
        args += ["--events", str(path)]
        dataset = load_dataset(path)
    data = build_view(dataset.events, ViewParams(start=start, end=end))
    return request.param, args, data, expected


def _cli_people(capsys, args: list[str]) -> str:
    assert main(["summary", *args]) == 0
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if line.startswith("People: ")]
    return line.removeprefix("People: ")


def _pdf_people(data, tmp_path) -> str:
    (path,) = export_static(data, load_reference(), tmp_path / "map.pdf", fmt="pdf", dpi=72)
    text = re.sub(r"\s+", " ", PdfReader(path).pages[0].extract_text())
    found = re.search(r"People: (.+?)\.(?: |$)", text)
    assert found, text
    return found.group(1)


def _readme_people(data) -> str:
    readme = readme_text(data, "t", "http://localhost/", dt.datetime(2025, 1, 1))
    (line,) = [line for line in readme.splitlines() if line.startswith("People: ")]
    return line.removeprefix("People: ").removesuffix(".")


def test_cli_app_pdf_and_pack_word_the_range_identically(case, capsys, tmp_path):
    name, args, data, expected = case
    words = {
        "cli": _cli_people(capsys, args),
        "app": headline_figures(data.summary)["People returned"],
        "pdf": _pdf_people(data, tmp_path),
        "pack": _readme_people(data),
    }
    assert len(set(words.values())) == 1, words
    assert words["app"] == people_text(data.summary.people)
    assert expected in words["app"], (name, words["app"])


# --- One home for every rule -------------------------------------------------------------

#: What only the home module may spell out: (rule, home, pattern).
RULES = [
    ("people-range wording", "render/wording.py",
     r"best estimate \{|[\"']at least \{|\"at least \" \+|no bounds stated"),
    ("match-rule wording", "render/wording.py",
     r"Overlaps the range|By start date|events overlapping|events starting in"),
    ("returns by province wording", "render/wording.py",
     r"[\"']province not known|[\"']Returned from \{|neighbouring ranges"),
    ("count wording", "render/wording.py", r"[\"']more than [\"']|[\"']up to [\"']"),
    ("date wording", "i18n/formats.py",
     r"%[bB]|[\"'](January|Jan|Feb|Sep|Sept)[\"']|toLocaleDateString"),
    ("URL check", "render/markup.py", r"urlsplit|startswith\(\(?[\"']https?:"),
    ("formula guard", "render/markup.py", r"FORMULA_STARTS\s*=|\[=\+\\?-@"),
    ("event-type labels", "render/wording.py",
     r"[\"'](Forced return|forced returns|Detention|detentions|diplomatic events)[\"']"),
    ("attribution", "render/wording.py", r"Natural Earth|© ?GeoNames|geonames\.org"),
]  # fmt: skip
SOURCES = ["app.py", "cli", "i18n", "render", "storage", "webapp"]


def _source_files() -> list[Path]:
    files: list[Path] = []
    for entry in SOURCES:
        path = ROOT / entry
        files += (
            [path] if path.is_file() else sorted(path.rglob("*.py")) + sorted(path.rglob("*.js"))
        )
    return files


def _code(path: Path) -> str:
    """Return the file's text without comments and docstrings' prose lines (roughly)."""
    text = path.read_text(encoding="utf-8")
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith(("#", "//"))
    )


@pytest.mark.parametrize(("rule", "home", "pattern"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_is_defined_in_one_place(rule, home, pattern):
    homes = [
        p.relative_to(ROOT).as_posix() for p in _source_files() if re.search(pattern, _code(p))
    ]
    assert homes == [home], f"{rule} is spelled out in {homes}; use {home}"


# --- An assumed event type is said everywhere the totals are -----------------------------

UNTYPED_CSV = RANGED_CSV.replace("event_type,", "").replace("forced_return,", "")


def test_a_file_without_event_types_says_so_in_the_cli_pdf_and_pack(tmp_path, capsys):
    path = tmp_path / "untyped.csv"
    path.write_text(UNTYPED_CSV, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "the file has no event_type column: each of its 3 rows is read as forced_return" in shown
    note = assumed_type_text(3)
    assert note == ("3 events have no event type in their file and are counted as forced returns "
                    "(see the validation report)")  # fmt: skip
    assert main(["summary", "--events", str(path)]) == 0
    assert f"Event type assumed: {note}" in capsys.readouterr().out.splitlines()
    data = build_view(load_dataset(path).events, ViewParams())
    assert data.summary.assumed_event_type == 3
    (pdf,) = export_static(data, load_reference(), tmp_path / "map.pdf", fmt="pdf", dpi=72)
    text = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())
    assert f"Event type assumed: {note}." in text
    readme = readme_text(data, "t", "http://localhost/", dt.datetime(2025, 1, 1))
    assert f"Event type assumed: {note}." in readme.splitlines()


def test_typed_files_assume_nothing(capsys):
    data = build_view(load_shipped_dataset().events, ViewParams())
    assert data.summary.assumed_event_type == 0
    assert main(["summary"]) == 0
    assert "Event type assumed" not in capsys.readouterr().out


def test_cli_and_pack_word_the_cross_checks_identically(capsys):
    """`border-map summary` and the report pack's README print the same cross-check lines."""
    from render.wording import cross_check_lines

    data = build_view(load_shipped_dataset().events, ViewParams())
    readme = readme_text(data, "t", "http://localhost/", dt.datetime(2025, 1, 1))
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert data.summary.cross_checks
    for check in data.summary.cross_checks:
        lines = cross_check_lines(check)
        assert "\n".join(lines) in readme
        assert "\n".join(f"  {line}" for line in lines) in out
    assert "Verdict: events exceed the report by 168: these events were reported" in readme


# --- Returns from Jilin and Liaoning, and the overlap note, read the same everywhere --------


def test_returns_by_province_and_overlap_note_read_the_same_everywhere(capsys, tmp_path):
    """The CLI, the app's headline, the PDF data note and the pack say the same returns."""
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    view = ViewParams(start=start, end=end, match="overlap")
    data = build_view(load_shipped_dataset().events, view)
    args = ["summary", "--start", start.isoformat(), "--end", end.isoformat()]
    assert main([*args, "--match", "overlap"]) == 0
    cli = capsys.readouterr().out
    app = headline_figures(data.summary)
    (path,) = export_static(data, load_reference(), tmp_path / "map.pdf", fmt="pdf", dpi=72)
    pdf = re.sub(r"\s+", " ", PdfReader(path).pages[0].extract_text())
    readme = readme_text(data, "t", "http://localhost/", dt.datetime(2025, 1, 1))
    for label in ("Returned from Jilin", "Returned from Liaoning", "Chinese province not known"):
        line = f"{label}: {app[label]}"
        assert f"  {line}\n" in cli and f"  {line}.\n" in readme and line in pdf, line
    assert app["Returned from Jilin"] != "none"
    note = overlap_note(data.summary.match, data.summary.spanning)
    assert note and "do not add up" in note
    assert f"\n{note}\n" in cli and f"\n{note}.\n" in readme
    assert re.sub(r"\s+", " ", note)[:60] in pdf
