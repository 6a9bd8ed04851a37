"""Remote files as the readers see them, without a server: ``RemotePath`` over pyarrow's
in-memory file system, the URIs reports name, and which data is staged rather than streamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.fs as pafs
import pytest

from accord.errors import DataReadError
from accord.run.io.paths import discover, is_remote
from accord.run.io.remote_file import RemotePath, arrow_input, is_local
from accord.run.remote import _uri_of, unstreamable

TEXT = "id,name\n1,é\n2,b\n"


@pytest.fixture
def remote() -> RemotePath:
    filesystem: Any = pafs._MockFileSystem()
    filesystem.create_dir("bkt/x")
    with filesystem.open_output_stream("bkt/x/data.csv") as out:
        out.write(TEXT.encode())
    return RemotePath.of("s3://bkt/x/data.csv", filesystem, "bkt/x/data.csv", len(TEXT.encode()))


def test_a_remote_path_reads_and_names_itself_as_its_uri(remote: RemotePath) -> None:
    assert str(remote) == "s3://bkt/x/data.csv" and remote.suffix == ".csv"
    assert remote.stat().st_size == len(TEXT.encode())
    assert remote.exists() and remote.is_file() and not remote.is_dir()
    assert not is_local(remote) and is_local(Path("data.csv"))
    with remote.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
        where = handle.tell()
        assert handle.read() == TEXT[len(first) :]
        handle.seek(where)  # the CSV reader goes back to where a chunk starts
        assert handle.readline() == "1,é\n"
    with remote.open("rb", buffering=0) as raw:
        raw.seek(len(TEXT.encode()) - 4)
        assert raw.read(4) == b"2,b\n"
    with arrow_input(remote) as native:
        assert native.read_at(2, 0) == b"id"
    with pytest.raises(PermissionError):
        remote.open("w")


def test_discover_keeps_a_remote_path_and_does_not_look_on_local_disk(
    remote: RemotePath,
) -> None:
    again = RemotePath.of(str(remote), None, "bkt/x/data.csv", 0)
    found = discover([remote, again])  # named twice (a glob and a file), read once
    assert len(found) == 1 and found[0] is remote
    with pytest.raises(DataReadError, match="not supported"):
        discover(["ftp://host/x.csv"])


def test_what_is_remote() -> None:
    assert is_remote("s3://b/k") and is_remote("hf://datasets/x") and is_remote("GS://b/k")
    assert not is_remote("file:///tmp/x.csv") and not is_remote("data/x.csv")
    assert not is_remote("C:\\data\\x.csv")


def test_reports_name_the_uri_as_the_user_wrote_its_location() -> None:
    assert _uri_of("s3://bkt/extract/*.parquet", "s3", "bkt/extract/a.parquet") == (
        "s3://bkt/extract/a.parquet"
    )
    given = "abfs://lake@acct.dfs.core.windows.net/extract/"
    assert _uri_of(given, "abfs", "lake/extract/a.csv") == (
        "abfs://lake@acct.dfs.core.windows.net/extract/a.csv"
    )


@pytest.mark.parametrize(
    ("data_format", "default", "spark", "names", "staged"),
    [
        (None, "csv", False, ["a.parquet", "b.csv", "c.jsonl"], False),
        (None, "csv", False, ["a.parquet", "b.arrow"], True),
        (None, "arrow", False, ["extract.dat"], True),  # no telling suffix: the contract's
        (None, "csv", False, ["extract.dat"], False),
        ("csv", "arrow", False, ["a.arrow"], False),  # --data-format wins
        (None, "csv", True, ["a.parquet"], True),  # Spark opens the paths itself
    ],
)
def test_which_remote_data_is_staged(
    data_format: str | None,
    default: str,
    spark: bool,
    names: list[str],
    staged: bool,
) -> None:
    files = [RemotePath.of(f"s3://bkt/{n}", None, f"bkt/{n}", 0) for n in names]
    stage = unstreamable(data_format, default, engine_reads_paths=spark)
    assert stage(files) is staged


def test_a_line_number_lookup_never_fails_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli import lines
    from accord.run import remote

    def gone(uri: str) -> list[RemotePath]:
        raise DataReadError("not found", path=uri)

    monkeypatch.setattr(remote, "remote_files", gone)
    assert lines._data_path("s3://bkt/gone.csv") == Path("s3://bkt/gone.csv")
    assert not isinstance(lines._data_path("s3://bkt/gone.csv"), RemotePath)
