"""Issue 11, data never read: every byte of the input is read, or the run says why it stopped.

An Arrow IPC stream ends at its end-of-stream marker; bytes after it (a second stream appended,
trailing data) used to be ignored. A pipe, a FIFO or a device used to read as zero rows and pass.
Both are exit 2 now, with a message naming the file, on the whole-file and the batched reader.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.ipc
import pytest

from accord.contract.loader import load_contract
from accord.errors import DataReadError
from accord.run.batches import open_batches
from accord.run.sources import read_dataset
from fault_support import contract_text, validate, write, write_contract

BODY = "fields:\n  id: {type: int64, checks: [{between: {min: 0, max: 5}}]}\n"
# engine, extra CLI options: the whole-file reader on both engines, and the batched reader.
RUNS = [("pandas", ()), ("polars", ()), ("polars", ("--batch-rows", "2"))]
RUN_IDS = ["pandas", "polars", "polars-batched"]


def _stream(ids: list[int]) -> bytes:
    table = pa.table({"id": pa.array(ids, pa.int64())})
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=2)
    return sink.getvalue()


STREAM_CASES = {
    "two streams joined": _stream([1, 2, 3]) + _stream([4, 99]),
    "garbage after the end marker": _stream([1, 2, 3]) + b"garbage",
    "one zero byte after the end marker": _stream([1, 2, 3]) + b"\0",
}


@pytest.mark.parametrize(("engine", "extra"), RUNS, ids=RUN_IDS)
@pytest.mark.parametrize("case", list(STREAM_CASES))
def test_every_byte_is_read_or_the_run_says_why(
    case: str,
    engine: str,
    extra: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = write_contract(tmp_path, BODY)
    data = write(tmp_path / "data.arrows", STREAM_CASES[case])
    run = validate(capsys, contract, data, engine, "--data-format", "arrow", *extra)
    assert run.code == 2, run.out
    assert "data.arrows" in run.err
    assert "follow the end of the Arrow IPC stream" in run.err


@pytest.mark.parametrize(("engine", "extra"), RUNS, ids=RUN_IDS)
def test_a_whole_stream_is_read_to_its_end(
    engine: str, extra: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check refuses only what follows the end: a stream with or without its end marker
    reads every row, and the bad one in its last record batch is found."""
    contract = write_contract(tmp_path, BODY)
    whole = _stream([1, 2, 3, 4, 99])
    for name, content in {"eos.arrows": whole, "no-eos.arrows": whole[:-8]}.items():
        data = write(tmp_path / name, content)
        run = validate(capsys, contract, data, engine, "--data-format", "arrow", *extra)
        assert run.code == 1, run.err
        assert run.report["dataset"]["rows"] == 5
        assert run.violations() == [("check.failed", "id", 1)]


def test_the_reader_functions_refuse_a_joined_stream(tmp_path: Path) -> None:
    model = load_contract(write_contract(tmp_path, BODY))
    data = write(tmp_path / "d.arrows", STREAM_CASES["two streams joined"])
    with pytest.raises(DataReadError, match=r"bytes follow the end .* at byte \d+"):
        read_dataset([data], model, format="arrow")
    with pytest.raises(DataReadError, match="follow the end"):
        list(open_batches([data], model, format="arrow", batch_rows=1).batches())


def _fifo(path: Path) -> Path:
    os.mkfifo(path)  # never opened: a stat says what it is without blocking
    return path


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
@pytest.mark.parametrize(("engine", "extra"), RUNS, ids=RUN_IDS)
@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet", "arrow"])
def test_a_pipe_or_fifo_is_refused_not_read_as_empty(
    kind: str,
    engine: str,
    extra: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = write_contract(tmp_path, BODY)
    fifo = _fifo(tmp_path / f"data.{kind}")
    run = validate(capsys, contract, fifo, engine, *extra)
    assert run.code == 2, run.out
    assert f"data.{kind}" in run.err and "is a pipe (FIFO), not a regular file" in run.err


@needs_fifo
def test_a_fifo_in_a_folder_or_glob_is_refused_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, BODY)
    folder = tmp_path / "parts"
    folder.mkdir()
    write(folder / "a.csv", "id\n1\n")
    _fifo(folder / "b.csv")
    for given in (folder, folder / "*.csv", tmp_path / "**" / "*.csv"):
        run = validate(capsys, contract, given, "polars")
        assert run.code == 2, (given, run.out)
        assert "b.csv" in run.err and "pipe (FIFO)" in run.err


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_a_device_is_refused(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, BODY)
    run = validate(capsys, contract, Path("/dev/null"), engine, "--data-format", "jsonl")
    assert run.code == 2 and "is a character device, not a regular file" in run.err


def test_stdin_redirected_from_a_file_is_a_regular_file(tmp_path: Path) -> None:
    """``< data.jsonl`` gives a regular file behind /dev/stdin: it is read, every row."""
    data = write(tmp_path / "d.jsonl", '{"id": 1}\n{"id": 2}\n')
    model = load_contract(write(tmp_path / "c.yaml", contract_text(BODY)))
    fd = os.open(data, os.O_RDONLY)
    try:
        result = read_dataset([f"/proc/self/fd/{fd}"], model, format="jsonl")
    finally:
        os.close(fd)
    assert result.frame.get_column("id").to_list() == [1, 2]


def _ipc_file(ids: list[int], writer: str) -> bytes:
    sink = io.BytesIO()
    if writer == "polars":
        pl.DataFrame({"id": ids}, schema={"id": pl.Int64}).write_ipc(sink)
    else:
        table = pa.table({"id": pa.array(ids, pa.int64())})
        with pa.ipc.new_file(sink, table.schema) as file_writer:
            file_writer.write_table(table, max_chunksize=2)
    return sink.getvalue()


@pytest.mark.parametrize(("engine", "extra"), RUNS, ids=RUN_IDS)
@pytest.mark.parametrize("writer", ["polars", "pyarrow"])
def test_joined_ipc_files_are_refused_and_a_single_one_is_read_whole(
    writer: str,
    engine: str,
    extra: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two IPC files joined read as the second footer says, which points into the first file:
    refused. One file reads every row, the bad one included."""
    contract = write_contract(tmp_path, BODY)
    joined = write(
        tmp_path / "joined.arrow", _ipc_file([1, 2, 3], writer) + _ipc_file([99], writer)
    )
    run = validate(capsys, contract, joined, engine, *extra)
    assert run.code == 2, run.out
    assert "joined.arrow" in run.err and "not part of any record batch" in run.err
    single = write(tmp_path / "single.arrow", _ipc_file([1, 2, 3, 99], writer))
    run = validate(capsys, contract, single, engine, *extra)
    assert run.code == 1, run.err
    assert run.report["dataset"]["rows"] == 4
    assert run.violations() == [("check.failed", "id", 1)]


def _parquet(ids: list[int]) -> bytes:
    sink = io.BytesIO()
    pl.DataFrame({"id": ids}, schema={"id": pl.Int64}).write_parquet(sink)
    return sink.getvalue()


@pytest.mark.parametrize(("engine", "extra"), RUNS, ids=RUN_IDS)
def test_joined_parquet_files_are_refused_not_read_as_the_first(
    engine: str, extra: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files of the same layout joined: the second footer reads the first file's rows (1, 2,
    3) and never the 99 of the second. Refused, naming the file."""
    contract = write_contract(tmp_path, BODY)
    data = write(tmp_path / "joined.parquet", _parquet([1, 2, 3]) + _parquet([4, 5, 99]))
    run = validate(capsys, contract, data, engine, *extra)
    assert run.code == 2, run.out
    assert "joined.parquet" in run.err and "several Parquet files joined" in run.err
