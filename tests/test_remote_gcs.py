"""``gs://`` data against a Cloud Storage emulator (gcp-storage-emulator) on 127.0.0.1, found
through ``STORAGE_EMULATOR_HOST`` as Google's client libraries find it. Parquet and CSV stream
from it with no local copy, as from S3."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from fault_support import cli
from local_servers import free_port, wait_until_listening

pytest.importorskip("gcp_storage_emulator", reason="gcp-storage-emulator is in the dev extra")

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
DATA = ROOT / "examples" / "transactions.csv"
BUCKET = "extracts"


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--in-memory", "--default-bucket", BUCKET],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, "the Cloud Storage emulator", within_s=60, server=server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def gcs(emulator: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The example data on the emulator as two Parquet parts and a CSV; the parts' local copies
    are returned (their folder) to compare against."""
    import pyarrow.fs as pafs

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", emulator)
    filesystem = pafs.GcsFileSystem(
        anonymous=True, endpoint_override=emulator.split("://")[1], scheme="http"
    )
    frame = pl.read_csv(DATA, infer_schema=False)
    for index, part in enumerate((frame.head(250), frame.tail(250))):
        local = tmp_path / f"part-{index}.parquet"
        part.write_parquet(local)
        with filesystem.open_output_stream(f"{BUCKET}/extract/part-{index}.parquet") as out:
            out.write(local.read_bytes())
    with filesystem.open_output_stream(f"{BUCKET}/csv/transactions.csv") as out:
        out.write(DATA.read_bytes())
    return tmp_path


def _shape(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (v["code"], v["field"], v["failure_count"], [(e["row"], e["value"]) for e in v["examples"]])
        for v in report["violations"]
    ]


@pytest.mark.parametrize("batch_rows", ["0", "60"])
def test_gs_parquet_and_csv_validate_as_local_files_without_copies(
    gcs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], batch_rows: str
) -> None:
    folder = gcs / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    args = ("--format", "json", "--batch-rows", batch_rows)
    parquet = ("--data-format", "parquet")
    remote = cli(capsys, "validate", CONTRACT, f"gs://{BUCKET}/extract/*.parquet", *parquet, *args)
    parts = [gcs / "part-0.parquet", gcs / "part-1.parquet"]
    local = cli(capsys, "validate", CONTRACT, *parts, *parquet, *args)
    assert remote.code == local.code == 1, remote.err
    assert _shape(remote.report) == _shape(local.report)
    assert remote.report["dataset"]["sources"] == [
        f"gs://{BUCKET}/extract/part-0.parquet",
        f"gs://{BUCKET}/extract/part-1.parquet",
    ]
    csv = cli(capsys, "validate", CONTRACT, f"gs://{BUCKET}/csv/transactions.csv", *args)
    local_csv = cli(capsys, "validate", CONTRACT, DATA, *args)
    assert csv.code == local_csv.code == 1, csv.err
    assert _shape(csv.report) == _shape(local_csv.report)
    assert list(folder.iterdir()) == []  # nothing was staged


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("gs://no-such-bucket/x.parquet", "the bucket does not exist"),
        ("gs://no-such-bucket/extract/*.parquet", "the bucket does not exist"),
        (f"gs://{BUCKET}/extract/missing.parquet", "not found"),
        (f"gs://{BUCKET}/nothing/*.parquet", "no data files match"),
    ],
)
def test_gs_what_cannot_be_read_is_exit_2(
    gcs: Path, capsys: pytest.CaptureFixture[str], uri: str, message: str
) -> None:
    run = cli(capsys, "validate", CONTRACT, uri, "--data-format", "parquet")
    assert run.code == 2 and run.out == ""
    assert f"cannot read data {uri}: {message}" in run.err
