"""Property tests: hostile bytes never escape as anything but DataReadError, and the fast CSV path
(polars) reads exactly what the reference path (Python's csv module) reads."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accord.contract.loader import load_text
from accord.errors import DataReadError
from accord.run.io import csv as csv_reader
from accord.run.sources import read_dataset

CONTRACT = load_text(
    """accord: 1
name: fuzz
version: 1.0.0
fields:
  a: {type: int64, nullable: true}
  b: {type: string, nullable: true}
  c: {type: date, nullable: true}
""",
    source=None,
)

# Pieces that make parsers work: delimiters, quotes, line breaks, a BOM, multi-byte text, numbers.
CSV_PIECES = [
    "a",
    "b",
    "c",
    "1",
    "-2",
    "2020-01-01",
    ",",
    ";",
    '"',
    '""',
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\ufeff",
    "é",
    "\x00",
    "NA",
]
csv_text = st.lists(st.sampled_from(CSV_PIECES), max_size=40).map("".join)
csv_bytes = st.one_of(
    st.binary(max_size=300),
    csv_text.map(lambda t: t.encode("utf-8")),
    csv_text.map(lambda t: b"a,b,c\n" + t.encode("utf-8")),
)

# Well-formed-ish CSV: rows of three cells, quoted or not, to reach the polars path often.
_plain = st.lists(
    st.sampled_from(["a", "1", "é", " ", "\x00", "\ufeff", "NA", "-2", "2020-01-01", '"']),
    max_size=4,
).map("".join)
_quoted = st.lists(
    st.sampled_from(["a", "é", " ", ",", ";", "\n", "\r\n", "\r", '"', "\t"]), max_size=4
).map(lambda pieces: '"' + "".join(pieces).replace('"', '""') + '"')
_row = st.lists(st.one_of(_plain, _quoted), min_size=3, max_size=3).map(",".join)


@st.composite
def csv_rows(draw: st.DrawFn) -> str:
    rows = draw(st.lists(_row, max_size=6))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(rows) + (eol if draw(st.booleans()) else "")


SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=csv_bytes)
def test_random_bytes_as_csv_raise_only_data_read_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        result = read_dataset([path], CONTRACT)
    except DataReadError:
        event("read error")
        return
    event("frame read")
    for name, failures in result.cell_failures.items():
        assert failures.height <= result.frame.height
        assert result.frame.get_column(name).gather(failures.get_column("row")).null_count() == (
            failures.height
        )


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_random_bytes_as_other_formats_raise_only_data_read_error(
    tmp_path: Path, data: bytes
) -> None:
    for name in ("fuzz.jsonl", "fuzz.parquet", "fuzz.arrow"):
        path = tmp_path / name
        path.write_bytes(data)
        with contextlib.suppress(DataReadError):
            read_dataset([path], CONTRACT)


def read_text(path: Path) -> pl.DataFrame | str:
    try:
        return csv_reader.read_csv_text(path, CONTRACT.source.csv, CONTRACT.fields).frame
    except DataReadError as error:
        return str(error)


@SETTINGS
@given(text=st.one_of(csv_rows(), csv_text))
def test_polars_path_reads_what_the_python_path_reads(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "same.csv"
    path.write_bytes(("a,b,c\r\n" + text).encode("utf-8"))
    polars_frame = csv_reader._polars_frame
    used: list[bool] = []

    def spy(*args: Any) -> pl.DataFrame | None:
        frame = polars_frame(*args)
        used.append(frame is not None)
        return frame

    with monkeypatch.context() as patched:
        patched.setattr(csv_reader, "_polars_frame", spy)
        fast = read_text(path)
    with monkeypatch.context() as patched:
        patched.setattr(csv_reader, "_polars_frame", lambda *args: None)
        reference = read_text(path)
    event("read error" if isinstance(fast, str) else "read by polars" if any(used) else "by Python")
    if isinstance(fast, str) or isinstance(reference, str):
        assert fast == reference
    else:
        assert fast.equals(reference), (fast.rows(), reference.rows())
