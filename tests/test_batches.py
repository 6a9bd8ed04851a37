"""Reading data files in batches: stacked, the batches are exactly what ``read_dataset`` reads
(frame, dtypes, cell failures, null-token counts, attribution, errors), on every format, for
every batch size, and no batch is read before it is asked for."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.errors import DataReadError, UsageError
from accord.run import batch_pieces
from accord.run.batches import Batch, BatchedDataset, open_batches
from accord.run.io import csv as csv_reader
from accord.run.io import parquet as parquet_io
from accord.run.sources import ReadResult, read_dataset

SIZES = [1, 2, 3, 7, 1000]

FIELDS = """
  id: {type: int64}
  amount: {type: float64, nullable: true}
  n: {type: number, nullable: true}
  price: {type: decimal, nullable: true}
  day: {type: date, nullable: true}
  flag: {type: bool, nullable: true}
  note: {type: string, nullable: true}
"""


def contract(fields: str = FIELDS, source: str = "") -> ContractModel:
    text = f"accord: 1\nname: t\nversion: 1.0.0\n{source}fields:{fields}"
    return load_text(text, source=None)


MODEL = contract()
NULL_TOKENS = contract(source='source: {csv: {null_values: ["", "NA", "-"]}}\n')


def write(directory: Path, files: dict[str, bytes | str]) -> list[Path]:
    paths = []
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        paths.append(path)
    return paths


def read_batches(dataset: BatchedDataset, columns: Sequence[str] | None = None) -> list[Batch]:
    """Every batch, checked for what each promises on its own."""
    batches = list(dataset.batches(columns))
    assert batches, "a dataset always yields a batch"
    schema = batches[0].frame.schema
    start = 0
    for batch in batches:
        assert batch.start == start
        assert batch.frame.height <= dataset.batch_rows
        assert batch.frame.schema == schema
        assert set(batch.failure_reasons) == set(batch.cell_failures)
        for failures in batch.cell_failures.values():
            assert failures.schema == pl.Schema({"row": pl.UInt64, "value": pl.String})
            assert failures.get_column("row").max() < batch.frame.height
        start += batch.frame.height
    return batches


def stacked_failures(batches: list[Batch]) -> dict[str, pl.DataFrame]:
    parts: dict[str, list[pl.DataFrame]] = {}
    for batch in batches:
        for name, failures in batch.cell_failures.items():
            shifted = failures.with_columns(pl.col("row") + batch.start)
            parts.setdefault(name, []).append(shifted)
    return {name: pl.concat(frames) for name, frames in parts.items()}


def summed_tokens(batches: list[Batch]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for batch in batches:
        for name, counts in batch.null_token_counts.items():
            for token, count in counts.items():
                column = totals.setdefault(name, {})
                column[token] = column.get(token, 0) + count
    return totals


def assert_same_frame(got: pl.DataFrame, expected: pl.DataFrame) -> None:
    assert got.schema == expected.schema
    assert_frame_equal(got, expected, categorical_as_str=True)


def assert_reads_alike(
    paths: list[Path],
    model: ContractModel = MODEL,
    *,
    sizes: Sequence[int] = SIZES,
    data_format: str | None = None,
) -> ReadResult:
    """For every batch size, the batches stacked are ``read_dataset``'s read, in every part."""
    expected = read_dataset(paths, model, format=data_format)
    for size in sizes:
        dataset = open_batches(paths, model, format=data_format, batch_rows=size)
        assert dataset.columns == expected.frame.columns
        assert dataset.duplicate_columns == expected.duplicate_columns
        assert dataset.missing_in_files == expected.missing_in_files
        assert dataset.files == [Path(span.path) for span in expected.files]
        assert dataset.total_rows in (None, expected.frame.height)
        batches = read_batches(dataset)
        assert_same_frame(pl.concat([b.frame for b in batches]), expected.frame)
        failures = stacked_failures(batches)
        assert failures.keys() == expected.cell_failures.keys()
        for name, frame in failures.items():
            assert_frame_equal(frame, expected.cell_failures[name])
        assert dataset.failure_reasons == expected.failure_reasons
        assert summed_tokens(batches) == expected.null_token_counts
        assert dataset.files_read == expected.files
        for row in range(expected.frame.height):
            assert dataset.locate(row) == expected.locate(row)
        # A batch holds rows of one file, and only a file's last batch holds fewer than asked.
        files = [
            {dataset.locate(row)[0] for row in (b.start, b.start + b.frame.height - 1)}
            for b in batches
            if b.frame.height
        ]
        assert all(len(names) == 1 for names in files)
        full = [b.frame.height == size for b in batches if b.frame.height]
        assert all(full[i] for i in range(len(files) - 1) if files[i] == files[i + 1])
        with pytest.raises(IndexError):
            dataset.locate(expected.frame.height)
        # A second pass, as the runner makes, reads the same.
        again = pl.concat([b.frame for b in dataset.batches()])
        assert_same_frame(again, expected.frame)
    return expected


def assert_projects_alike(
    paths: list[Path], columns: list[str], model: ContractModel = MODEL, size: int = 2
) -> None:
    expected = read_dataset(paths, model, columns=columns)
    dataset = open_batches(paths, model, batch_rows=size)
    batches = read_batches(dataset, columns)
    assert_same_frame(pl.concat([b.frame for b in batches]), expected.frame)
    failures = stacked_failures(batches)
    assert failures.keys() == expected.cell_failures.keys()
    for name, frame in failures.items():
        assert_frame_equal(frame, expected.cell_failures[name])


# -- CSV ------------------------------------------------------------------------------------------

PLAIN = (
    "id,amount,n,price,day,flag,note,extra\n"
    "1,2.5,3,1.5,2020-01-01,true,a,x\n"
    "x,NA,4,2.25,2020-13-01,maybe,b,\n"
    "3,,5,-,2020-01-03,0,NA,y\n"
    "4,1e400,6,0.125,,1,,z\n"
    "5,-,7,1.10,2020-01-05,FALSE,e,\n"
    "six,3,8,9,2020-01-06,true,f,w\n"
    "7,4,9,10.5,bad,,g,\n"
    "8,5,10,11,2020-01-08,1,h,v\n"
)

CSV_CASES: dict[str, dict[str, bytes | str]] = {
    "plain": {"data.csv": PLAIN},
    "quoted cells (Python's parser)": {
        "data.csv": 'id,note,amount\n1,"a\nb",1\n2,"say ""hi""",2\n3,plain,3\n4,"x,y",4\n'
        '5,"\r\n",5\n6,q"uote,6\n7,z,7\n'
    },
    "a quote only in a late batch": {
        "data.csv": "id,note\n" + "".join(f"{i},n{i}\n" for i in range(9)) + '9,"a""b"\n10,c\n'
    },
    "lone carriage returns": {"data.csv": "id,note,amount\r1,a,1\r2,b,\r3,c,3\r4,d,4\r"},
    "lone CR in one record only": {"data.csv": "id,note\n1,a\n2,b\r3,c\n4,d\n5,e\n"},
    "header only": {"data.csv": "id,amount,note\n"},
    "a BOM starting a later batch is text": {
        "data.csv": "id,note\n1,a\n2,b\n\ufeff3,c\n\ufeff,d\n"
    },
    "BOM and CRLF": {"data.csv": b"\xef\xbb\xbfid,note\r\n1,a\r\n2,b\r\n3,c\r\n4,d\r\n"},
    "tsv": {"data.tsv": "id\tnote\tamount\n1\ta\t1.5\n2\tb\tx\n3\tc\t\n4\td\t4\n"},
    "duplicate header names": {"data.csv": "id,note,id,note\n1,a,9,b\n2,c,8,d\n3,e,7,f\n"},
    "no final line break": {"data.csv": "id,note\n1,a\n2,b\n3,c"},
    "blank cells as one column": {"data.csv": "note\na\n\n\nb\n\nc\n"},
    "number integral until a late float": {
        "data.csv": "id,n\n" + "".join(f"{i},{i}\n" for i in range(8)) + "8,8.5\n9,\n"
    },
    "number integral throughout": {"data.csv": "id,n\n1,1\n2,2\n3,x\n4,4\n"},
    "decimal scale from a late row": {
        "data.csv": "id,price\n1,1\n2,2.5\n3,3\n4,4.125\n5,5.10\n6,bad\n"
    },
    "failures of different kinds in different batches": {
        "data.csv": "id,n\nx,1\n2,2\n3,3\n99999999999999999999,4\n5,5.5.5\n6,1e999\n"
    },
    "several files": {
        "part-1.csv": "id,note,amount\n1,a,1\n2,b,x\n3,c,3\n",
        "part-2.csv": "id,amount\n",
        "part-3.csv": "amount,id,extra\n4,4,e\ny,5,f\n6,6,g\n7,7,h\n8,8,i\n",
        "part-4.csv": "note,id,id\nz,9,0\n",
    },
    "several files, one all-null column": {
        "a.csv": "id,n\n1,\n2,\n",
        "b.csv": "id,n,day\n3,,\n4,,2020-01-01\n",
    },
}


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_csv_batches_stack_to_the_whole_read(tmp_path: Path, case: str) -> None:
    paths = write(tmp_path, CSV_CASES[case])
    assert_reads_alike(paths, NULL_TOKENS)
    assert_reads_alike(paths, MODEL, sizes=[2, 5])


def test_csv_batches_keep_failures_and_null_tokens(tmp_path: Path) -> None:
    paths = write(tmp_path, {"data.csv": PLAIN})
    expected = assert_reads_alike(paths, NULL_TOKENS)
    assert set(expected.cell_failures) == {"id", "amount", "day", "flag"}
    assert expected.null_token_counts == {
        "amount": {"NA": 1, "-": 1},
        "price": {"-": 1},
        "note": {"NA": 1},
    }
    assert expected.frame.schema["n"] == pl.Int64
    assert expected.frame.schema["price"] == pl.Decimal(38, 3)


def test_failure_reasons_of_a_batch_are_its_own_and_the_dataset_has_them_all(
    tmp_path: Path,
) -> None:
    paths = write(tmp_path, CSV_CASES["failures of different kinds in different batches"])
    dataset = open_batches(paths, MODEL, batch_rows=3)
    reasons = [batch.failure_reasons.get("id") for batch in dataset.batches()]
    assert reasons == [
        "not an int64",
        "out of range for int64 (-9223372036854775808 to 9223372036854775807)",
    ]
    assert dataset.failure_reasons["id"] == read_dataset(paths, MODEL).failure_reasons["id"]
    assert dataset.failure_reasons["id"].startswith("not an int64; out of range")


def test_polars_reads_every_batch_python_only_those_it_would_misread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write(tmp_path, CSV_CASES["a quote only in a late batch"])  # 11 rows
    monkeypatch.setattr(batch_pieces, "READ_ROWS", 1)  # read as asked, not in larger parts
    chunks: list[tuple[str, int]] = []
    polars_frame, python_frame = csv_reader._polars_frame, csv_reader._python_frame

    def by_polars(*args: Any) -> pl.DataFrame | None:
        frame = polars_frame(*args)
        chunks.append(("polars" if frame is not None else "refused", args[3]))
        return frame

    def by_python(*args: Any) -> pl.DataFrame:
        frame = python_frame(*args)
        chunks.append(("python", frame.height))
        return frame

    monkeypatch.setattr(csv_reader, "_polars_frame", by_polars)
    monkeypatch.setattr(csv_reader, "_python_frame", by_python)
    heights = [b.frame.height for b in open_batches(paths, MODEL, batch_rows=4).batches()]
    assert heights == [4, 4, 3]
    # The header travels with the first chunk; the quote in row 10 sends its chunk to Python.
    assert chunks == [("polars", 5), ("polars", 4), ("python", 3)]


def test_chunks_of_a_large_crlf_file_start_on_record_boundaries(tmp_path: Path) -> None:
    rows = "".join(f"{i},{'é' * (i % 7)}{'x' * (i % 5000)}\r\n" for i in range(3000))
    paths = write(tmp_path, {"data.csv": "\ufeffid,note\r\n" + rows})
    assert_reads_alike(paths, sizes=[1000, 1499])


def test_a_conversion_settled_by_the_whole_column_is_the_same_in_every_batch(
    tmp_path: Path,
) -> None:
    paths = write(tmp_path, CSV_CASES["number integral until a late float"])
    for batch in open_batches(paths, MODEL, batch_rows=1).batches():
        assert batch.frame.schema["n"] == pl.Float64  # one row of 8.5 makes every batch float


def test_csv_in_other_encodings(tmp_path: Path) -> None:
    for encoding in ("latin-1", "utf-16"):
        model = contract(source=f"source: {{csv: {{encoding: {encoding}}}}}\n")
        text = 'id,note\n1,café\n2,"a\nb"\n3,naïve\n4,x\n5,ü\n'
        paths = write(tmp_path, {"data.csv": text.encode(encoding)})
        assert_reads_alike(paths, model)


def test_headerless_csv(tmp_path: Path) -> None:
    model = contract(
        "\n  id: {type: int64}\n  note: {type: string}\n", "source: {csv: {header: false}}\n"
    )
    paths = write(tmp_path, {"data.csv": "1,a\n2,b\nx,c\n4,d\n"})
    assert assert_reads_alike(paths, model).frame.height == 4


def test_csv_projection(tmp_path: Path) -> None:
    paths = write(tmp_path, CSV_CASES["several files"])
    assert_projects_alike(paths, ["amount", "id"])
    assert_projects_alike(paths, ["id"], size=1)
    paths = write(tmp_path, {"data.csv": PLAIN})
    assert_projects_alike(paths, ["n", "price", "day"], NULL_TOKENS, size=3)


def test_projection_keeps_the_rows_of_a_file_without_those_columns(tmp_path: Path) -> None:
    paths = write(tmp_path, {"a.csv": "id,note\n1,a\n2,b\n", "b.csv": "id\n3\n"})
    dataset = open_batches(paths, MODEL, batch_rows=10)
    frame = pl.concat([b.frame for b in dataset.batches(["note"])])
    assert frame.get_column("note").to_list() == ["a", "b", None]
    assert [b.frame.shape for b in dataset.batches([])] == [(2, 0), (1, 0)]


CSV_ERRORS: dict[str, str] = {
    "a ragged row beyond the first batch": "id,note\n"
    + "".join(f"{i},n\n" for i in range(20))
    + "20\n21,n\n",
    "a long row": "id,note\n1,a\n2,b\n3,c\n4,d,e\n",
    "a truncated last line": "id,note\n1,a\n2,b\n3,c\n4",
    "an unterminated quote": 'id,note\n1,a\n2,b\n3,"c\n4,d\n',
    "text after a closing quote": 'id,note\n1,a\n2,b\n3,"c"d\n',
    "a blank line": "id,note\n1,a\n2,b\n\n3,c\n",
}


@pytest.mark.parametrize("case", list(CSV_ERRORS))
def test_csv_errors_in_the_values_come_from_batches(tmp_path: Path, case: str) -> None:
    paths = write(tmp_path, {"data.csv": CSV_ERRORS[case]})
    with pytest.raises(DataReadError) as whole:
        read_dataset(paths, MODEL)
    dataset = open_batches(paths, MODEL, batch_rows=2)  # the header is fine
    with pytest.raises(DataReadError) as batched:
        list(dataset.batches())
    assert str(batched.value) == str(whole.value)
    assert "line " in str(batched.value)


def test_a_bad_byte_beyond_the_first_batch_has_the_whole_file_offset(tmp_path: Path) -> None:
    data = b"id,note\n" + b"".join(b"%d,abcdefgh\n" % i for i in range(2000)) + b"9,\xe9\n"
    paths = write(tmp_path, {"data.csv": data})
    with pytest.raises(DataReadError) as whole:
        read_dataset(paths, MODEL)
    with pytest.raises(DataReadError) as batched:
        list(open_batches(paths, MODEL, batch_rows=100).batches())
    assert str(batched.value) == str(whole.value)
    offset = data.index(b"\xe9")
    assert f"byte offset {offset}" in str(batched.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\nid\n1\n", b"id;note;amount\n1;a;2\n", b'"id,note\n1,a\n'],
)
def test_header_errors_are_raised_when_opening(tmp_path: Path, data: bytes) -> None:
    paths = write(tmp_path, {"data.csv": data})
    model = contract("\n  id: {type: int64}\n  note: {type: string}\n  amount: {type: int64}\n")
    with pytest.raises(DataReadError) as whole:
        read_dataset(paths, model)
    with pytest.raises(DataReadError) as opened:
        open_batches(paths, model, batch_rows=1)
    assert str(opened.value) == str(whole.value)


def test_a_csv_field_csv_cannot_hold_is_refused_when_opening(tmp_path: Path) -> None:
    paths = write(tmp_path, {"data.csv": "id,tags\n1,a\n"})
    model = contract("\n  id: {type: int64}\n  tags: {type: list, items: {type: string}}\n")
    with pytest.raises(DataReadError) as whole:
        read_dataset(paths, model)
    with pytest.raises(DataReadError) as opened:
        open_batches(paths, model, batch_rows=1)
    assert str(opened.value) == str(whole.value)


_CELLS = st.sampled_from(["a", "1", "2.5", "NA", "", "é", '"', "x y", "2020-01-01", "-3"])
_QUOTED = st.lists(st.sampled_from(["a", ",", "\n", "\r\n", "\r", '"', "1"]), max_size=3).map(
    lambda pieces: '"' + "".join(pieces).replace('"', '""') + '"'
)


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    rows = draw(
        st.lists(
            st.lists(st.one_of(_CELLS, _QUOTED), min_size=3, max_size=3).map(",".join),
            max_size=12,
        )
    )
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return "id,note,amount" + eol + eol.join(rows) + (eol if draw(st.booleans()) else "")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=csv_files(), size=st.integers(min_value=1, max_value=5))
def test_any_csv_reads_alike_in_batches(tmp_path: Path, text: str, size: int) -> None:
    paths = write(tmp_path, {"fuzz.csv": text})
    try:
        expected = read_dataset(paths, NULL_TOKENS)
    except DataReadError as error:
        with pytest.raises(DataReadError) as batched:
            list(open_batches(paths, NULL_TOKENS, batch_rows=size).batches())
        assert str(batched.value) == str(error)
        return
    batches = read_batches(open_batches(paths, NULL_TOKENS, batch_rows=size))
    assert_same_frame(pl.concat([b.frame for b in batches]), expected.frame)
    failures = stacked_failures(batches)
    assert failures.keys() == expected.cell_failures.keys()
    for name, frame in failures.items():
        assert_frame_equal(frame, expected.cell_failures[name])


# -- Parquet --------------------------------------------------------------------------------------


def typed_table(rows: int = 10) -> pa.Table:
    """Dictionary text, zoned timestamps, decimals, lists, structs, large strings, binary and a
    column of nulls only."""
    return pa.table(
        {
            "id": pa.array(range(rows), type=pa.int64()),
            "currency": pa.array(
                ["EUR", "USD", None, "EUR", "GBP"] * (rows // 5)
            ).dictionary_encode(),
            "at": pa.array(
                [dt.datetime(2024, 1, 1, i % 24, tzinfo=dt.UTC) for i in range(rows)],
                type=pa.timestamp("us", tz="Europe/Paris"),
            ),
            "price": pa.array(
                [decimal.Decimal(f"{i}.25") for i in range(rows)], pa.decimal128(9, 2)
            ),
            "tags": pa.array([[str(i)] * (i % 3) for i in range(rows)]),
            "point": pa.array([{"x": i, "y": str(i)} for i in range(rows)]),
            "note": pa.array([f"n{i}" for i in range(rows)], type=pa.large_string()),
            "blob": pa.array([bytes([i]) for i in range(rows)], type=pa.binary()),
            "nothing": pa.nulls(rows),
        }
    )


def test_parquet_batches_stack_to_the_whole_read(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    pq.write_table(typed_table(), path, row_group_size=4)
    expected = assert_reads_alike([path])
    assert expected.frame.schema["currency"] == pl.Categorical
    dataset = open_batches([path], MODEL, batch_rows=3)
    assert dataset.total_rows == 10  # from the footer


def test_parquet_files_combine_as_in_a_whole_read(tmp_path: Path) -> None:
    paths = [tmp_path / f"part-{i}.parquet" for i in range(4)]
    pl.DataFrame(
        {"id": pl.Series([1, 2, 3], dtype=pl.Int8), "note": ["a", None, "c"]}
    ).write_parquet(paths[0], row_group_size=2)
    pl.DataFrame(
        {"id": pl.Series([], dtype=pl.UInt16), "note": pl.Series([], dtype=pl.String)}
    ).write_parquet(paths[1])
    pl.DataFrame(
        {"extra": [None, None], "id": pl.Series([40000, 5], dtype=pl.UInt16)}
    ).write_parquet(paths[2])
    pl.DataFrame({"id": pl.Series([-7], dtype=pl.Int32), "extra": ["e"]}).write_parquet(paths[3])
    expected = assert_reads_alike(paths)
    assert expected.frame.schema["id"] == pl.Int32  # int8, uint16 and int32 meet in int32
    assert expected.missing_in_files["extra"] == [str(paths[0]), str(paths[1])]
    assert open_batches(paths, MODEL, batch_rows=2).total_rows == 6
    assert_projects_alike(paths, ["id"])


def test_empty_parquet_files(tmp_path: Path) -> None:
    empty = tmp_path / "a-empty.parquet"
    pl.DataFrame(
        {"id": pl.Series([], dtype=pl.Int64), "note": pl.Series([], dtype=pl.String)}
    ).write_parquet(empty)
    assert_reads_alike([empty])
    batches = list(open_batches([empty], MODEL, batch_rows=5).batches())
    assert [b.frame.shape for b in batches] == [(0, 2)]  # the schema, if no rows
    full = tmp_path / "b-full.parquet"
    pl.DataFrame({"id": [1, 2, 3]}).write_parquet(full)
    assert_reads_alike([empty, full])


def test_corrupt_parquet_is_the_same_error(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(typed_table(), good, row_group_size=4)
    data = good.read_bytes()
    broken = {
        "truncated.parquet": data[: len(data) // 2],
        "not_parquet.parquet": b"id,name\n1,a\n",
        "bad_page.parquet": data[:4] + b"\xff" * 56 + data[60:],
    }
    for path in write(tmp_path, broken):
        with pytest.raises(DataReadError) as whole:
            read_dataset([path], MODEL)
        with pytest.raises(DataReadError) as batched:
            list(open_batches([path], MODEL, batch_rows=3).batches())
        assert str(batched.value) == str(whole.value)
        assert "not a valid Parquet file (truncated or corrupt)" in str(batched.value)


def test_a_corrupt_page_in_a_late_row_group_is_raised_from_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_pieces, "READ_ROWS", 1)  # read as asked, not in larger parts
    path = tmp_path / "late.parquet"
    frame = pl.DataFrame({"id": range(3000), "note": [f"note {i}" for i in range(3000)]})
    frame.write_parquet(path, row_group_size=1000, compression="uncompressed")
    data = bytearray(path.read_bytes())
    at = data.index(b"note 2500")
    data[at - 40 : at + 40] = b"\xfe" * 80
    path.write_bytes(bytes(data))
    with pytest.raises(DataReadError) as whole:
        read_dataset([path], MODEL)
    batches = open_batches([path], MODEL, batch_rows=500).batches()
    assert next(batches).frame.height == 500  # the first row groups read fine
    with pytest.raises(DataReadError) as batched:
        list(batches)
    assert str(batched.value) == str(whole.value)


def test_parquet_is_read_a_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the whole file up front: pyarrow hands over one record batch per batch asked for,
    from one row group of all the rows, and caches no row group."""
    rows, size = 300_000, 20_000
    path = tmp_path / "big.parquet"
    pl.DataFrame(
        {"id": pl.int_range(rows, eager=True), "x": pl.int_range(rows, eager=True) / 7}
    ).write_parquet(path, row_group_size=rows)
    iter_batches = pq.ParquetFile.iter_batches
    pulled: list[int] = []

    def counted(self: pq.ParquetFile, *args: Any, **kwargs: Any) -> Iterator[pa.RecordBatch]:
        for batch in iter_batches(self, *args, **kwargs):
            pulled.append(batch.num_rows)
            yield batch

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the whole file or row group was read")

    opened = pq.ParquetFile.__init__
    options: list[dict[str, Any]] = []

    def noted(self: pq.ParquetFile, *args: Any, **kwargs: Any) -> None:
        options.append(kwargs)
        opened(self, *args, **kwargs)

    # pyarrow's way, taken by files polars' own reader may not read (test_parquet_native.py)
    monkeypatch.setattr(parquet_io, "native_read_is_safe", lambda *args: False)
    monkeypatch.setattr(pq.ParquetFile, "__init__", noted)
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counted)
    for name in ("read", "read_row_group", "read_row_groups"):
        monkeypatch.setattr(pq.ParquetFile, name, refuse)
    monkeypatch.setattr(pq, "read_table", refuse)
    dataset = open_batches([path], MODEL, batch_rows=size)
    assert dataset.total_rows == rows
    assert pulled == []  # opening reads the footer only
    batches = dataset.batches()
    first = next(batches)
    assert first.frame.height == size
    assert pulled == [size]
    heights = [first.frame.height] + [b.frame.height for b in batches]
    assert heights == [size] * (rows // size)
    assert pulled == heights
    # Pre-buffering would keep every row group's column chunks read so far: memory would grow
    # with the file. Pages are checksummed as in a whole read.
    reading = options[-1]
    assert reading["pre_buffer"] is False
    assert reading["page_checksum_verification"] is True


# -- Arrow IPC ------------------------------------------------------------------------------------


def test_arrow_file_batches_stack_to_the_whole_read(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": pl.Series(range(10), dtype=pl.Int128),
            "kind": pl.Series(["a", "b"] * 5, dtype=pl.Enum(["a", "b"])),
            "cat": pl.Series(["x", "y", "z", "x", "y"] * 2, dtype=pl.Categorical),
            "at": pl.datetime_range(
                dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 10), "1d", time_zone="UTC", eager=True
            ),
            "tags": [[i] for i in range(10)],
        }
    )
    path = tmp_path / "typed.arrow"
    pl.concat([frame.slice(0, 4), frame.slice(4, 3), frame.slice(7)], rechunk=False).write_ipc(path)
    assert_reads_alike([path])
    assert open_batches([path], MODEL, batch_rows=3).total_rows == 10
    assert_projects_alike([path], ["cat", "id"])


def test_arrow_stream_batches_stack_to_the_whole_read(tmp_path: Path) -> None:
    """A stream whose dictionaries are replaced between record batches."""
    schema = pa.schema([("id", pa.int64()), ("kind", pa.dictionary(pa.int32(), pa.string()))])
    path = tmp_path / "data.ipc"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
        for start, kinds in [(0, ["a", "b"]), (3, ["c", "a", "d"]), (6, ["e"])]:
            ids = pa.array(range(start, start + 3), type=pa.int64())
            codes = pa.array([i % len(kinds) for i in range(3)], type=pa.int32())
            kind = pa.DictionaryArray.from_arrays(codes, pa.array(kinds))
            writer.write_batch(pa.record_batch([ids, kind], schema=schema))
    expected = assert_reads_alike([path])
    assert expected.frame.get_column("kind").to_list() == [
        "a",
        "b",
        "a",
        "c",
        "a",
        "d",
        "e",
        "e",
        "e",
    ]
    assert open_batches([path], MODEL, batch_rows=2).total_rows is None
    polars_written = tmp_path / "polars.ipc"
    pl.concat(
        [pl.DataFrame({"id": [1, 2], "c": ["x", "y"]}), pl.DataFrame({"id": [3], "c": ["z"]})],
        rechunk=False,
    ).with_columns(pl.col("c").cast(pl.Categorical)).write_ipc_stream(polars_written)
    assert_reads_alike([polars_written])


def test_record_batches_of_any_size_make_full_batches(tmp_path: Path) -> None:
    table = pa.table({"id": range(10), "note": [f"n{i}" for i in range(10)]})
    path = tmp_path / "rows.ipc"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=1):  # ten record batches of one row
            writer.write_batch(batch)
    assert_reads_alike([path])
    dataset = open_batches([path], MODEL, batch_rows=4)
    assert [b.frame.height for b in dataset.batches()] == [4, 4, 2]


def test_arrow_files_and_streams_combine(tmp_path: Path) -> None:
    first, second = tmp_path / "a.arrow", tmp_path / "b.arrow"
    pl.DataFrame({"id": pl.Series([1, 2], dtype=pl.Int16), "note": ["a", "b"]}).write_ipc(first)
    pl.DataFrame({"id": pl.Series([3], dtype=pl.Int64)}).write_ipc_stream(second)
    assert_reads_alike([first, second])


def test_delta_dictionaries_fail_as_in_a_whole_read(tmp_path: Path) -> None:
    schema = pa.schema([("kind", pa.dictionary(pa.int32(), pa.string()))])
    path = tmp_path / "delta.ipc"
    options = pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, schema, options=options) as w:
        w.write_batch(pa.record_batch([pa.array(["a", "b"]).dictionary_encode()], schema=schema))
        more = pa.DictionaryArray.from_arrays(
            pa.array([2, 0], pa.int32()), pa.array(["a", "b", "c"])
        )
        w.write_batch(pa.record_batch([more], schema=schema))
    with pytest.raises(DataReadError) as whole:
        read_dataset([path], MODEL)
    with pytest.raises(DataReadError) as batched:
        list(open_batches([path], MODEL, batch_rows=5).batches())
    assert str(batched.value) == str(whole.value)


def test_truncated_arrow_is_the_same_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.arrow"
    pl.DataFrame({"id": range(100)}).write_ipc(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(DataReadError) as whole:
        read_dataset([path], MODEL)
    with pytest.raises(DataReadError) as opened:
        list(open_batches([path], MODEL, batch_rows=5).batches())
    assert str(opened.value) == str(whole.value)
    stream = tmp_path / "cut.ipc"
    pl.DataFrame({"id": range(100)}).write_ipc_stream(stream)
    stream.write_bytes(stream.read_bytes()[:200])
    with pytest.raises(DataReadError, match="not a valid Arrow IPC file"):
        list(open_batches([stream], MODEL, batch_rows=5).batches())


# -- JSON Lines -----------------------------------------------------------------------------------

JSONL_CASES: dict[str, dict[str, bytes | str]] = {
    "typed as text": {
        "data.jsonl": '{"id": 1582218195625938945, "day": "2020-03-15", "flag": true, '
        '"tags": ["a"]}\n'
        '{"id": 1.7, "day": "03/15/2020", "flag": false, "n": 2}\n'
        "\n"
        '{"id": 3, "day": null, "tags": [], "note": "NA", "n": 2.5}\n'
        '{"id": "4", "amount": 1, "price": "1.25"}\n'
        '  \n{"id": 5, "amount": 2.5, "price": 3, "extra": {"a": 1}}\n'
    },
    "types widening late": {
        "data.jsonl": "".join(f'{{"id": {i}, "x": {i}}}\n' for i in range(6))
        + '{"id": 6, "x": 6.5}\n{"id": 7, "x": "seven", "y": [1]}\n'
    },
    "empty objects": {"data.jsonl": "{}\n{}\n{}\n"},
    "empty and blank files": {
        "a.jsonl": "",
        "b.jsonl": "\n \n",
        "c.jsonl": '{"id": 1}\n{"id": 2, "note": "b"}\n',
        "d.jsonl": '{"note": "c", "id": 3}\n',
    },
    "several files with differing number columns": {
        "a.jsonl": '{"id": 1, "n": 1}\n{"id": 2, "n": 2}\n',
        "b.jsonl": '{"id": 3, "n": 3.5, "amount": 1}\n',
    },
}


@pytest.mark.parametrize("case", list(JSONL_CASES))
def test_json_lines_batches_stack_to_the_whole_read(tmp_path: Path, case: str) -> None:
    paths = write(tmp_path, JSONL_CASES[case])
    assert_reads_alike(paths)


def test_json_lines_projection(tmp_path: Path) -> None:
    paths = write(tmp_path, JSONL_CASES["typed as text"])
    assert_projects_alike(paths, ["day", "id", "tags"])


@pytest.mark.parametrize(
    "data",
    [
        '{"id": 1}\n{"id": 2}\n{"id": 3}\n{"id": 4\n',
        '{"id": 1}\n{"id": 2}\n{"id": 3}\n[1, 2]\n',
        '{"id": 1}\n{"id": 2}\n{"id": 3}\n{"id": 1e400}\n',
        b'{"id": 1}\n{"id": 2}\n{"id": 3}\n{"note": "\xe9"}\n',
    ],
)
def test_json_lines_errors_are_the_same(tmp_path: Path, data: str | bytes) -> None:
    paths = write(tmp_path, {"data.jsonl": data})
    with pytest.raises(DataReadError) as whole:
        read_dataset(paths, MODEL)
    with pytest.raises(DataReadError) as batched:
        list(open_batches(paths, MODEL, batch_rows=2).batches())
    assert str(batched.value) == str(whole.value)


# -- every format ---------------------------------------------------------------------------------


def test_every_format_of_the_same_data_reads_alike(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": [1, 2, None, 4, 5], "note": ["a", None, "c", "d", "e"]})
    frame.write_csv(tmp_path / "data.csv")
    frame.write_csv(tmp_path / "data.tsv", separator="\t")
    frame.write_parquet(tmp_path / "data.parquet")
    frame.write_ipc(tmp_path / "data.arrow")
    frame.write_ipc_stream(tmp_path / "stream.ipc")
    frame.write_ndjson(tmp_path / "data.jsonl")
    for name in ("data.csv", "data.tsv", "data.parquet", "data.arrow", "data.jsonl"):
        assert_reads_alike([tmp_path / name], sizes=[1, 3, 10])
    assert_reads_alike([tmp_path / "stream.ipc"], data_format="arrow", sizes=[1, 3, 10])


def test_opening_fails_as_a_whole_read_does(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id\n1\n")
    pl.DataFrame({"id": [1]}).write_parquet(tmp_path / "b.parquet")
    (tmp_path / "c.txt").write_text("id\n1\n")
    cases: list[tuple[list[str | Path], dict[str, str]]] = [
        ([tmp_path], {}),  # mixed formats
        ([tmp_path / "missing.csv"], {}),
        ([str(tmp_path / "nothing-*.csv")], {}),
        ([tmp_path / "c.txt"], {}),
        ([tmp_path / "a.csv"], {"format": "xml"}),
    ]
    for paths, options in cases:
        with pytest.raises((DataReadError, UsageError)) as whole:
            read_dataset(paths, MODEL, **options)
        with pytest.raises(type(whole.value)) as opened:
            open_batches(paths, MODEL, batch_rows=10, **options)
        assert str(opened.value) == str(whole.value)


def test_files_disagreeing_on_a_type_fail_when_opening(tmp_path: Path) -> None:
    pl.DataFrame({"id": [1]}).write_parquet(tmp_path / "a.parquet")
    pl.DataFrame({"id": ["1"]}).write_parquet(tmp_path / "b.parquet")
    with pytest.raises(DataReadError) as whole:
        read_dataset([tmp_path], MODEL)
    with pytest.raises(DataReadError) as opened:
        open_batches([tmp_path], MODEL, batch_rows=10)
    assert str(opened.value) == str(whole.value)


@pytest.mark.parametrize("rows", [0, -1])
def test_batch_rows_must_be_positive(tmp_path: Path, rows: int) -> None:
    (tmp_path / "a.csv").write_text("id\n1\n")
    with pytest.raises(UsageError, match="batch_rows"):
        open_batches([tmp_path / "a.csv"], MODEL, batch_rows=rows)


def test_locate_before_reading_raises(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id\n1\n")
    dataset = open_batches([tmp_path / "a.csv"], MODEL, batch_rows=10)
    assert dataset.files_read == []
    with pytest.raises(IndexError):
        dataset.locate(0)


def test_reading_is_lazy_and_repeatable(tmp_path: Path) -> None:
    paths = write(tmp_path, {"a.csv": "id\n1\n2\n", "b.csv": "id\n3\n4\n"})
    dataset = open_batches(paths, MODEL, batch_rows=1)
    paths[1].write_text("id\n3\n4\n5,6\n")  # the values are not read when opening
    with pytest.raises(DataReadError, match="line 4: expected 1 fields, found 2"):
        list(dataset.batches())
    paths[1].write_text("id\n3\n4\n")
    first = [b.frame.height for b in dataset.batches()]
    assert first == [1, 1, 1, 1]
    assert first == [b.frame.height for b in dataset.batches()]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=300),
    cut=st.integers(min_value=0, max_value=4000),
    flip=st.integers(0, 255),
)
def test_hostile_bytes_raise_only_data_read_error(
    tmp_path: Path, data: bytes, cut: int, flip: int
) -> None:
    """Random bytes, and valid files cut short or with a byte changed."""
    frame = pl.DataFrame({"id": range(40), "note": [f"n{i}" for i in range(40)]})
    frame.write_parquet(tmp_path / "valid.parquet", row_group_size=16)
    frame.write_ipc(tmp_path / "valid.arrow")
    frame.write_ipc_stream(tmp_path / "valid.ipc")
    candidates = [("fuzz.csv", data), ("fuzz.jsonl", data), ("fuzz.parquet", data)]
    candidates += [("fuzz.arrow", data), ("fuzz.ipc", data)]
    for name in ("valid.parquet", "valid.arrow", "valid.ipc"):
        valid = bytearray((tmp_path / name).read_bytes())
        candidates.append((f"cut-{name}", bytes(valid[: cut % len(valid)])))
        valid[cut % len(valid)] ^= flip
        candidates.append((f"flipped-{name}", bytes(valid)))
    for name, content in candidates:
        path = tmp_path / name
        path.write_bytes(content)
        kind = "arrow" if name.endswith(".ipc") else None
        with contextlib.suppress(DataReadError):
            list(open_batches([path], MODEL, format=kind, batch_rows=7).batches())


@pytest.mark.parametrize(("name", "format"), [("names.arrow", None), ("names.ipc", "arrow")])
def test_a_column_name_that_is_not_utf8_is_a_read_error(
    tmp_path: Path, name: str, format: str | None
) -> None:
    """pyarrow decodes a schema's names only when they are asked for: found by the fuzzer above
    as a UnicodeDecodeError escaping from the check for duplicated names."""
    frame = pl.DataFrame({"zqzq": [1, 2]})
    path = tmp_path / name
    frame.write_ipc(path) if format is None else frame.write_ipc_stream(path)
    path.write_bytes(path.read_bytes().replace(b"zqzq", b"\xeeqzq"))
    with pytest.raises(DataReadError, match="not a valid Arrow IPC file"):
        list(open_batches([path], MODEL, format=format, batch_rows=7).batches())
