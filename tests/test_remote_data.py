"""Data on object storage: ``accord validate CONTRACT s3://...`` against moto's S3 server on
127.0.0.1, with credentials and endpoint from the environment as a user's CI would set them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from fault_support import cli
from local_servers import free_port, wait_until_listening

boto3 = pytest.importorskip("boto3", reason="moto[server] (dev extra) brings boto3")
pytest.importorskip("moto.server", reason="moto[server] is in the dev extra")

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
DATA = ROOT / "examples" / "transactions.csv"
BUCKET = "extracts"
PARQUET = ("--data-format", "parquet")  # the example contract's source.format is csv


def _server(**env: str) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    try:
        wait_until_listening(port, "moto's S3 server", within_s=60, server=server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    yield from _server()


@pytest.fixture(scope="module")
def strict_endpoint() -> Iterator[str]:
    """A server that checks every request's credentials against its (empty) IAM."""
    yield from _server(INITIAL_NO_AUTH_ACTION_COUNT="0")


@pytest.fixture
def s3(endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if BUCKET not in existing:
        client.create_bucket(Bucket=BUCKET)
    frame = pl.read_csv(DATA, infer_schema=False)
    for index, part in enumerate((frame.head(250), frame.tail(250))):
        local = tmp_path / f"part-{index}.parquet"
        part.write_parquet(local)
        client.upload_file(str(local), BUCKET, f"extract/part-{index}.parquet")
    client.put_object(Bucket=BUCKET, Key="extract/README.txt", Body=b"not data")
    return client


def _local_parts(tmp_path: Path) -> list[Path]:
    return [tmp_path / "part-0.parquet", tmp_path / "part-1.parquet"]


def _shape(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (v["code"], v["field"], v["failure_count"], [(e["row"], e["value"]) for e in v["examples"]])
        for v in report["violations"]
    ]


@pytest.mark.parametrize(
    "uri",
    [
        f"s3://{BUCKET}/extract/*.parquet",  # a glob
        f"s3://{BUCKET}/extract/",  # a prefix: its data files, as a local folder
        f"s3://{BUCKET}/extract",
    ],
)
def test_validates_parquet_on_s3_like_local_files(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str
) -> None:
    remote = cli(capsys, "validate", CONTRACT, uri, *PARQUET, "--format", "json")
    local = cli(capsys, "validate", CONTRACT, *_local_parts(tmp_path), *PARQUET, "--format", "json")
    assert remote.code == local.code == 1, remote.err
    assert remote.report["dataset"]["sources"] == [
        f"s3://{BUCKET}/extract/part-0.parquet",
        f"s3://{BUCKET}/extract/part-1.parquet",
    ]
    assert remote.report["dataset"]["rows"] == 500
    assert _shape(remote.report) == _shape(local.report)
    assert remote.report["summary"] == local.report["summary"]
    files = {e["file"] for v in remote.report["violations"] for e in v["examples"]}
    assert files and all(f.startswith(f"s3://{BUCKET}/extract/part-") for f in files)
    assert "accord-remote-" not in remote.out


def test_one_object_batched_and_schema_only(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = f"s3://{BUCKET}/extract/part-1.parquet"
    whole = cli(
        capsys, "validate", CONTRACT, uri, *PARQUET, "--format", "json", "--batch-rows", "0"
    )
    batched = cli(
        capsys, "validate", CONTRACT, uri, *PARQUET, "--format", "json", "--batch-rows", "40"
    )
    assert whole.code == batched.code == 1
    assert _shape(whole.report) == _shape(batched.report)
    assert whole.report["dataset"]["sources"] == [uri]
    schema = cli(capsys, "validate", CONTRACT, uri, *PARQUET, "--schema-only")
    # the parts hold text columns: a schema-only run sees the retyped fields from the footer
    assert schema.code == 1 and "s3://extracts/extract/part-1.parquet" in schema.out
    assert "field.type" in schema.out


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("s3://no-such-bucket/extract/*.parquet", "the bucket does not exist"),
        ("s3://no-such-bucket/x.parquet", "the bucket does not exist"),
        (f"s3://{BUCKET}/extract/missing.parquet", "not found"),
        (f"s3://{BUCKET}/nothing/*.parquet", "no data files match"),
        ("ftp://host/x.csv", "remote storage ftp:// is not supported"),
    ],
)
def test_what_cannot_be_read_is_exit_2(
    s3: Any, capsys: pytest.CaptureFixture[str], uri: str, message: str
) -> None:
    run = cli(capsys, "validate", CONTRACT, uri, *PARQUET)
    assert run.code == 2
    assert message in run.err and uri in run.err
    assert run.out == ""


def test_refused_credentials_are_exit_2(
    s3: Any,
    strict_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", strict_endpoint)
    for uri in (f"s3://{BUCKET}/extract/*.parquet", f"s3://{BUCKET}/extract/part-0.parquet"):
        run = cli(capsys, "validate", CONTRACT, uri, *PARQUET)
        assert run.code == 2
        assert f"cannot read data {uri}: access denied: check the credentials" in run.err


def test_profile_reads_s3_too(s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s3.upload_file(str(DATA), BUCKET, "csv/transactions.csv")
    remote, local = tmp_path / "remote.json", tmp_path / "local.json"
    run = cli(capsys, "profile", CONTRACT, f"s3://{BUCKET}/csv/*.csv", "-o", remote)
    assert run.code == 0, run.err
    assert cli(capsys, "profile", CONTRACT, DATA, "-o", local).code == 0
    strip = lambda text: re.sub(r'"created_at": "[^"]*"', "", text)  # noqa: E731
    assert strip(remote.read_text()) == strip(local.read_text())


@pytest.fixture
def no_local_copies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty temporary folder for the run, and no copying allowed: streamed data must be
    read where it lies."""
    import tempfile

    from accord.run import remote

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))

    def refuse(*args: object) -> None:
        raise AssertionError(f"a remote file was copied: {args}")

    monkeypatch.setattr(remote, "_copy", refuse)
    return folder


@pytest.mark.parametrize("batch_rows", ["0", "40"])
def test_parquet_streams_from_s3_without_a_local_copy(
    s3: Any,
    tmp_path: Path,
    no_local_copies: Path,
    capsys: pytest.CaptureFixture[str],
    batch_rows: str,
) -> None:
    uri = f"s3://{BUCKET}/extract/*.parquet"
    args = (*PARQUET, "--format", "json", "--batch-rows", batch_rows)
    remote = cli(capsys, "validate", CONTRACT, uri, *args)
    local = cli(capsys, "validate", CONTRACT, *_local_parts(tmp_path), *args)
    assert remote.code == local.code == 1, remote.err
    assert _shape(remote.report) == _shape(local.report)
    assert remote.report["dataset"]["rows"] == 500
    assert list(no_local_copies.iterdir()) == []


@pytest.mark.parametrize("batch_rows", ["0", "70"])
def test_csv_streams_from_s3_with_lines_named(
    s3: Any, no_local_copies: Path, capsys: pytest.CaptureFixture[str], batch_rows: str
) -> None:
    s3.upload_file(str(DATA), BUCKET, "csv/transactions.csv")
    uri = f"s3://{BUCKET}/csv/transactions.csv"
    args = ("--format", "json", "--batch-rows", batch_rows)
    remote = cli(capsys, "validate", CONTRACT, uri, *args)
    local = cli(capsys, "validate", CONTRACT, DATA, *args)
    assert remote.code == local.code == 1, remote.err
    assert _shape(remote.report) == _shape(local.report)
    assert remote.report["dataset"]["sources"] == [uri]
    lines = [(e["row"], e.get("line")) for v in remote.report["violations"] for e in v["examples"]]
    local_lines = [
        (e["row"], e.get("line")) for v in local.report["violations"] for e in v["examples"]
    ]
    assert lines == local_lines and any(line for _, line in lines)  # read back from s3 too
    assert list(no_local_copies.iterdir()) == []


def test_a_corrupt_remote_file_is_exit_2_naming_its_uri(
    s3: Any, tmp_path: Path, no_local_copies: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = (ROOT / "examples" / "transactions.csv").read_bytes()
    s3.put_object(Bucket=BUCKET, Key="bad/cut.parquet", Body=b"PAR1" + part[:200])
    s3.put_object(Bucket=BUCKET, Key="bad/ragged.csv", Body=part + b"1,2\n")
    cut = cli(capsys, "validate", CONTRACT, f"s3://{BUCKET}/bad/cut.parquet")
    assert cut.code == 2 and cut.out == ""
    assert f"s3://{BUCKET}/bad/cut.parquet: not a valid Parquet file" in cut.err
    ragged = cli(capsys, "validate", CONTRACT, f"s3://{BUCKET}/bad/ragged.csv")
    assert ragged.code == 2 and ragged.out == ""
    assert f"s3://{BUCKET}/bad/ragged.csv" in ragged.err and "expected 12 fields" in ragged.err
    # two files joined into one: the second footer would hide the first file's rows
    joined = (tmp_path / "part-0.parquet").read_bytes() + (tmp_path / "part-1.parquet").read_bytes()
    s3.put_object(Bucket=BUCKET, Key="bad/joined.parquet", Body=joined)
    run = cli(capsys, "validate", CONTRACT, f"s3://{BUCKET}/bad/joined.parquet", *PARQUET)
    assert run.code == 2 and "another Parquet file's marker" in run.err
    assert f"s3://{BUCKET}/bad/joined.parquet" in run.err


@pytest.mark.parametrize(("kind", "staged"), [("jsonl", False), ("arrow", True)])
@pytest.mark.parametrize("batch_rows", ["0", "90"])
def test_jsonl_streams_and_arrow_is_staged_both_named_by_uri(
    s3: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    staged: bool,
    batch_rows: str,
) -> None:
    """polars reads Arrow IPC in bounded memory only from a local file: it is copied first."""
    from accord.run import remote

    copied: list[str] = []
    copy = remote._copy

    def counted(source: Any, target: Path) -> None:
        copied.append(str(source))
        copy(source, target)

    monkeypatch.setattr(remote, "_copy", counted)
    frame = pl.read_csv(DATA, infer_schema=False)
    local = tmp_path / f"transactions.{kind}"
    if kind == "jsonl":
        frame.write_ndjson(local)
    else:
        frame.write_ipc(local)
    s3.upload_file(str(local), BUCKET, f"{kind}/transactions.{kind}")
    uri = f"s3://{BUCKET}/{kind}/transactions.{kind}"
    args = ("--format", "json", "--batch-rows", batch_rows)
    remote_run = cli(capsys, "validate", CONTRACT, uri, *args)
    local_run = cli(capsys, "validate", CONTRACT, local, *args)
    assert copied == ([uri] if staged else [])
    assert remote_run.code == local_run.code == 1, remote_run.err
    assert _shape(remote_run.report) == _shape(local_run.report)
    assert remote_run.report["dataset"]["sources"] == [uri]
    assert "accord-remote-" not in remote_run.out


def test_a_bad_remote_jsonl_line_is_exit_2_naming_uri_and_line(
    s3: Any, no_local_copies: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s3.put_object(Bucket=BUCKET, Key="bad/x.jsonl", Body=b'{"a": 1}\n{"a":\n')
    run = cli(capsys, "validate", CONTRACT, f"s3://{BUCKET}/bad/x.jsonl")
    assert run.code == 2 and run.out == ""
    assert f"cannot read data s3://{BUCKET}/bad/x.jsonl: line 2: not valid JSON" in run.err


@pytest.mark.parametrize("kind", ["csv", "parquet", "jsonl", "arrow"])
def test_ref_reads_reference_data_from_s3(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    from test_validate_acceptance import CONTRACT as WEATHER
    from test_validate_acceptance import GOOD_ROWS, HEADER, STATIONS, write

    rows = [list(r) for r in GOOD_ROWS]
    rows[0][HEADER.index("station")] = "XXX"  # not in the register
    data = write(tmp_path, "csv", HEADER, rows)
    register = pl.read_csv(STATIONS.encode())
    local = tmp_path / f"stations.{kind}"
    {
        "csv": register.write_csv,
        "parquet": register.write_parquet,
        "jsonl": register.write_ndjson,
        "arrow": register.write_ipc,
    }[kind](local)
    s3.upload_file(str(local), BUCKET, f"register/stations.{kind}")
    uri = f"s3://{BUCKET}/register/stations.{kind}"
    remote = cli(capsys, "validate", WEATHER, data, "--ref", f"stations={uri}", "--format", "json")
    here = cli(capsys, "validate", WEATHER, data, "--ref", f"stations={local}", "--format", "json")
    assert remote.code == here.code == 1, remote.err
    assert _shape(remote.report) == _shape(here.report)
    assert ("reference.missing", "station", 1) in [s[:3] for s in _shape(remote.report)]
    missing = f"s3://{BUCKET}/register/missing.csv"
    run = cli(capsys, "validate", WEATHER, data, "--ref", f"stations={missing}")
    assert run.code == 2 and f"--ref stations={missing}" in run.err and "not found" in run.err


def test_reference_statistics_from_s3(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = tmp_path / "stats.json"
    half = tmp_path / "half.csv"
    half.write_text("".join(DATA.read_text().splitlines(keepends=True)[:200]))
    assert cli(capsys, "profile", CONTRACT, half, "-o", stats).code == 0
    s3.upload_file(str(stats), BUCKET, "stats/transactions.json")
    uri = f"s3://{BUCKET}/stats/transactions.json"
    remote = cli(capsys, "validate", CONTRACT, DATA, "--reference", uri, "--format", "json")
    local = cli(capsys, "validate", CONTRACT, DATA, "--reference", stats, "--format", "json")
    assert remote.code == local.code == 1, remote.err
    drift = [c for c in remote.report["checks"] if c["check_id"].startswith("drift.")]
    assert drift and all(c["status"] != "skipped" for c in drift)
    assert remote.report["checks"] == local.report["checks"]
    for wrong, reason in (
        (f"s3://{BUCKET}/stats/missing.json", "not found"),
        (f"s3://{BUCKET}/extract/", "names 2 files, not one stats file"),
    ):
        run = cli(capsys, "validate", CONTRACT, DATA, "--reference", wrong)
        assert (
            run.code == 2 and f"--reference {wrong}: cannot read" in run.err and reason in run.err
        )
