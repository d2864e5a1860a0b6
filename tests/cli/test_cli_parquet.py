"""``border-map summary`` of a Parquet file: streamed in batches, the same as its CSV."""

from __future__ import annotations

import pandas as pd
import pytest

import geo.stream
from cli.main import main
from geo.reference import paths


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    frame = pd.read_csv(paths.EVENTS_CSV, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, frame.iloc[[2]].assign(date_start="2020-02-30")], ignore_index=True)
    csv, parquet = tmp_path / "events.csv", tmp_path / "events.parquet"
    frame.to_csv(csv, index=False)
    frame.to_parquet(parquet, index=False)
    return csv, parquet


@pytest.mark.parametrize(
    "options",
    [
        ["--json", "--by", "year"],
        ["--start", "2010-01-01", "--end", "2019-12-31", "--match", "overlap", "--lang", "ko"],
    ],
    ids=["json", "text"],
)
def test_summary_of_parquet_is_streamed_and_equals_the_csvs(capsys, files, monkeypatch, options):
    csv, parquet = files
    calls = []
    streamed = geo.stream.summarise_parquet

    def counted(*args, **kwargs):
        calls.append(args[0])
        return streamed(*args, **kwargs, batch_rows=16)

    monkeypatch.setattr(geo.stream, "summarise_parquet", counted)
    from_csv = run(capsys, "summary", "--events", str(csv), *options)
    from_parquet = run(capsys, "summary", "--events", str(parquet), *options)
    assert calls == [parquet]
    assert from_parquet[:2] == from_csv[:2]
    assert from_parquet[0] == 1  # a row was excluded
    assert from_parquet[2] == from_csv[2].replace(str(csv), str(parquet))


def test_a_refused_parquet_file_prints_its_problem_and_no_summary(capsys, tmp_path):
    path = tmp_path / "events.parquet"
    path.write_bytes(b"PAR1 but not really")
    code, out, err = run(capsys, "summary", "--events", str(path), "--json")
    assert (code, out) == (1, "")
    assert "not a Parquet file that can be read" in err


@pytest.mark.parametrize("options", [[], ["--start", "2015-01-01", "--type", "detention"]])
def test_geoparquet_export_of_parquet_is_streamed_and_equals_the_csvs(
    capsys, files, monkeypatch, tmp_path, options
):
    import pyarrow.parquet as pq

    csv, parquet = files
    streamed = geo.stream.view_events
    batches = []

    def counted(*args, **kwargs):
        for batch in streamed(*args, **kwargs, batch_rows=16):
            batches.append(len(batch))
            yield batch

    monkeypatch.setattr(geo.stream, "view_events", counted)
    outs = tmp_path / "from_csv.parquet", tmp_path / "from_parquet.parquet"
    for events, out in zip((csv, parquet), outs, strict=True):
        code, _out, _err = run(capsys, "export", "--format", "parquet", "--out", str(out),
                               "--events", str(events), *options)  # fmt: skip
        assert code == 1
    assert len(batches) == -(-len(pd.read_parquet(parquet)) // 16)
    from_csv, from_parquet = (pq.read_table(out) for out in outs)
    assert from_parquet.num_rows > 0
    assert from_parquet.equals(from_csv)
    assert from_parquet.schema.metadata == from_csv.schema.metadata
    assert not list(tmp_path.glob(".*.part"))
