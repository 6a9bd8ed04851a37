"""Parquet decoded by polars' own reader when every page header is sane, by pyarrow otherwise:
the same frames either way, and corruption still a clean error, never an abort."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.contract.loader import load_text
from accord.run.batches import open_batches
from accord.run.io import parquet as parquet_io
from accord.run.io.parquet_pages import native_read_is_safe
from accord.run.sources import read_dataset

MODEL = load_text(
    "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  id: {type: int64}\n", source="test"
)


def mixed(rows: int = 5000) -> pl.DataFrame:
    ids = np.arange(rows)
    return pl.DataFrame(
        {
            "id": ids,
            "text": [None if i % 7 == 0 else f"t{i}" for i in ids],
            "x": np.where(ids % 11 == 0, np.nan, ids / 3),
            "when": pl.datetime_range(
                pl.datetime(2024, 1, 1, time_zone="UTC"),
                pl.datetime(2024, 1, 1, time_zone="UTC") + pl.duration(seconds=rows - 1),
                "1s",
                eager=True,
            ),
            "kind": pl.Series([["a", "b", "c"][i % 3] for i in ids], dtype=pl.Categorical),
            "flag": [None if i % 5 == 0 else bool(i % 2) for i in ids],
        }
    )


def safe(path: Path) -> bool:
    with path.open("rb") as handle:
        return native_read_is_safe(handle, pq.ParquetFile(path).metadata)


@pytest.fixture(params=["polars", "pyarrow-v1", "pyarrow-v2", "uncompressed"])
def written(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.parquet"
    frame = mixed()
    if request.param == "polars":
        frame.write_parquet(path, row_group_size=1200)
    elif request.param == "uncompressed":
        frame.write_parquet(path, row_group_size=1200, compression="uncompressed")
    else:
        version = "2.0" if request.param.endswith("v2") else "1.0"
        pq.write_table(frame.to_arrow(), path, row_group_size=1200, data_page_version=version)
    return path


def test_sane_files_are_read_natively_and_give_pyarrows_frames(
    written: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert safe(written)
    native = read_dataset([written], MODEL).frame
    native_batches = [b.frame for b in open_batches([written], MODEL, batch_rows=700).batches()]
    monkeypatch.setattr(parquet_io, "native_read_is_safe", lambda *args: False)
    arrow = read_dataset([written], MODEL).frame
    arrow_batches = [b.frame for b in open_batches([written], MODEL, batch_rows=700).batches()]
    assert native.equals(arrow) and native.schema == arrow.schema
    assert [f.height for f in native_batches] == [f.height for f in arrow_batches]
    assert pl.concat(native_batches).equals(pl.concat(arrow_batches))
    assert pl.concat(native_batches).equals(arrow)


def test_the_native_reader_is_used_when_safe(
    written: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pyarrow decoded a page")

    for name in ("read", "read_row_group", "iter_batches"):
        monkeypatch.setattr(pq.ParquetFile, name, refuse)
    assert read_dataset([written], MODEL).frame.height == 5000
    assert sum(b.frame.height for b in open_batches([written], MODEL, batch_rows=700).batches())


def test_checksummed_nested_and_corrupt_files_are_left_to_pyarrow(tmp_path: Path) -> None:
    frame = mixed(300)
    pq.write_table(frame.to_arrow(), tmp_path / "crc.parquet", write_page_checksum=True)
    pq.write_table(pa.table({"l": [[1, 2], None, [3]]}), tmp_path / "nested.parquet")
    good = tmp_path / "good.parquet"
    frame.write_parquet(good, compression="uncompressed")
    assert safe(good)
    assert not safe(tmp_path / "crc.parquet")  # polars would not verify the checksums
    assert not safe(tmp_path / "nested.parquet")
    data = bytearray(good.read_bytes())
    chunk = pq.ParquetFile(good).metadata.row_group(0).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    for offset, byte in [(0, 0xFF), (1, 0xFF), (3, 0x7F), (5, 0xFF)]:
        broken = bytearray(data)
        broken[start + offset] = byte
        (tmp_path / "broken.parquet").write_bytes(bytes(broken))
        assert not safe(tmp_path / "broken.parquet"), offset


def test_a_failure_of_the_native_reader_hands_over_to_pyarrow_mid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.parquet"
    mixed().write_parquet(path, row_group_size=1000)
    native_frames = parquet_io.ParquetFile._native_frames

    def failing(self: parquet_io.ParquetFile, columns: Any) -> Iterator[pl.DataFrame]:
        frames = native_frames(self, columns)
        yield next(frames)
        raise pl.exceptions.ComputeError("a page polars could not decode")

    monkeypatch.setattr(parquet_io.ParquetFile, "_native_frames", failing)
    batches = [b.frame for b in open_batches([path], MODEL, batch_rows=700).batches()]
    assert [f.height for f in batches] == [700] * 7 + [100]
    assert pl.concat(batches).equals(pl.read_parquet(path))


def test_a_corrupt_page_header_never_reaches_polars(tmp_path: Path) -> None:
    """The file of FAULTS row 10 (polars' reader aborts the process on it), batched: a clean
    exit 2 from pyarrow's message, in a subprocess so an abort fails the test."""
    from test_faults_data import corrupt_page_header, good_parquet

    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  a: {type: int64}\n"
        "  b: {type: string}\n  c: {type: float64}\n"
    )
    broken = corrupt_page_header(good_parquet(tmp_path), tmp_path / "broken.parquet")
    command = [sys.executable, "-m", "accord.cli.app", "validate", str(contract), str(broken)]
    done = subprocess.run(
        [*command, "--batch-rows", "100"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"cannot read data {broken}: not a valid Parquet file" in done.stderr


def test_a_file_name_is_never_a_pattern_nor_a_hive_partition(tmp_path: Path) -> None:
    """``part[12].parquet`` is that file, not a glob matching part1 and part2; a directory
    named ``year=2024`` adds no column."""
    folder = tmp_path / "year=2024"
    folder.mkdir()
    pl.DataFrame({"id": [1, 2, 3]}).write_parquet(folder / "part[12].parquet")
    for other in ("part1.parquet", "part2.parquet"):
        pl.DataFrame({"id": [7]}).write_parquet(folder / other)
    path = folder / "part[12].parquet"
    assert safe(path)
    assert read_dataset([path], MODEL).frame.to_dict(as_series=False) == {"id": [1, 2, 3]}
    batches = open_batches([path], MODEL, batch_rows=2).batches()
    assert [b.frame.to_dict(as_series=False) for b in batches] == [{"id": [1, 2]}, {"id": [3]}]
