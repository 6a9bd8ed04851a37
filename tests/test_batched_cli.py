"""``accord validate --batch-rows``: files read and validated batch by batch give the report a
whole read gives (timings aside), on every format, across files, and with a progress bar only on
a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from accord.cli.app import main
from accord.run import sizing

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
EXAMPLE = ROOT / "examples" / "transactions.csv"  # 500 rows with planted faults of every kind


def report_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["validate", *args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    data.pop("started_at")
    data.pop("duration_s")
    return code, data


def _parquet_copy(tmp_path: Path) -> Path:
    """The example as Parquet, typed as the contract reads it (row groups of 64 rows)."""
    from accord.contract.loader import load_contract
    from accord.run.sources import read_dataset

    frame = read_dataset([EXAMPLE], load_contract(CONTRACT)).frame
    path = tmp_path / "transactions.parquet"
    frame.write_parquet(path, row_group_size=64)
    return path


@pytest.mark.parametrize("batch_rows", ["1", "7", "64", "100", "499", "500", "10000"])
def test_csv_batched_reports_like_a_whole_read(
    batch_rows: str, capsys: pytest.CaptureFixture[str]
) -> None:
    whole_code, whole = report_of([str(CONTRACT), str(EXAMPLE), "--batch-rows", "0"], capsys)
    code, batched = report_of([str(CONTRACT), str(EXAMPLE), "--batch-rows", batch_rows], capsys)
    assert (code, batched) == (whole_code, whole)
    assert whole_code == 1
    assert whole["summary"]["failing_rows"] > 0


@pytest.mark.parametrize("batch_rows", ["1", "50", "64", "65", "1000"])
def test_parquet_batched_reports_like_a_whole_read(
    batch_rows: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(_parquet_copy(tmp_path))
    parquet = ["--data-format", "parquet"]  # the contract's source says csv
    whole = report_of([str(CONTRACT), data, *parquet, "--batch-rows", "0"], capsys)
    assert whole[1]["dataset"]["rows"] == 500
    assert report_of([str(CONTRACT), data, *parquet, "--batch-rows", batch_rows], capsys) == whole


def test_several_files_locate_examples_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = EXAMPLE.read_text().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    folder = tmp_path / "parts"
    folder.mkdir()
    for index, start in enumerate(range(0, len(body), 170)):
        (folder / f"part-{index}.csv").write_text(header + "".join(body[start : start + 170]))
    whole = report_of([str(CONTRACT), str(folder), "--batch-rows", "0"], capsys)
    batched = report_of([str(CONTRACT), str(folder), "--batch-rows", "60"], capsys)
    assert batched == whole
    files = {e.get("file") for v in whole[1]["violations"] for e in v["examples"]}
    assert len(files - {None}) > 1  # examples really point into different files


def test_unreadable_cells_of_several_kinds_are_worded_for_the_whole_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: c\nversion: 1.0.0\nfields:\n  n: {type: int8, nullable: true}\n"
    )
    data = tmp_path / "d.csv"
    data.write_text("n\n1\nabc\n2\n300\n3\n")  # one not an integer, one out of int8's range
    whole = report_of([str(contract), str(data), "--batch-rows", "0"], capsys)
    assert report_of([str(contract), str(data), "--batch-rows", "2"], capsys) == whole
    (violation,) = whole[1]["violations"]
    assert violation["failure_count"] == 2


def test_drift_is_measured_over_every_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = EXAMPLE.read_text().splitlines(keepends=True)
    half = tmp_path / "half.csv"
    half.write_text("".join(lines[:200]))  # the reference: the first 199 rows only
    stats = tmp_path / "stats.json"
    assert main(["profile", str(CONTRACT), str(half), "-o", str(stats)]) == 0
    capsys.readouterr()
    args = [str(CONTRACT), str(EXAMPLE), "--reference", str(stats)]
    whole = report_of([*args, "--batch-rows", "0"], capsys)
    assert report_of([*args, "--batch-rows", "33"], capsys) == whole
    drift = [c for c in whole[1]["checks"] if c["check_id"].startswith("drift.")]
    assert drift
    assert all(c["status"] != "skipped" for c in drift)


def test_batches_need_the_polars_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["validate", str(CONTRACT), str(EXAMPLE), "--engine", "pandas", "--batch-rows", "10"]
    )
    assert code == 2
    assert "--batch-rows validates on the polars engine" in capsys.readouterr().err


def test_negative_batch_rows_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CONTRACT), str(EXAMPLE), "--batch-rows", "-1"]) == 2
    assert "--batch-rows" in capsys.readouterr().err


def batches_run(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batch size of every batched run from now on (the runs still happen)."""
    from accord.run import runner

    calls: list[int] = []
    real = runner.run_batched

    def spy(contract: Any, dataset: Any, options: Any, **kwargs: Any) -> Any:
        calls.append(dataset.batch_rows)
        return real(contract, dataset, options, **kwargs)

    monkeypatch.setattr(runner, "run_batched", spy)
    return calls


def test_data_too_large_for_memory_is_batched_automatically(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = report_of([str(CONTRACT), str(EXAMPLE)], capsys)
    calls = batches_run(monkeypatch)
    monkeypatch.setattr(sizing, "available_bytes", lambda: 1000)  # 1 kB free: nothing fits
    assert report_of([str(CONTRACT), str(EXAMPLE)], capsys) == whole
    assert calls == [sizing.AUTO_BATCH_ROWS]


@pytest.mark.parametrize("with_reference", [False, True])
def test_parquet_past_the_projection_threshold_is_batched_unless_drift_needs_whole_columns(
    with_reference: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``validate`` reads Parquet in batches from ``PROJECT_ABOVE_BYTES`` on; with
    ``--reference`` (drift statistics of whole columns) only from ``BATCH_ABOVE_BYTES``."""
    data = _parquet_copy(tmp_path)
    extra: list[str] = []
    if with_reference:
        stats = tmp_path / "stats.json"
        assert main(["profile", str(CONTRACT), str(data), "-o", str(stats)]) == 0
        capsys.readouterr()
        extra = ["--reference", str(stats)]
    whole = report_of([str(CONTRACT), str(data), *extra, "--batch-rows", "0"], capsys)
    calls = batches_run(monkeypatch)
    monkeypatch.setattr(sizing, "PROJECT_ABOVE_BYTES", 1)  # this small file is "past" it
    assert report_of([str(CONTRACT), str(data), *extra], capsys) == whole
    assert calls == ([] if with_reference else [sizing.AUTO_BATCH_ROWS])


def test_automatic_choice() -> None:
    small, big = 1_000, sizing.BATCH_ABOVE_BYTES + 1
    assert sizing.auto_batch_rows(small, None) is None  # small data is read whole
    assert sizing.auto_batch_rows(small, 3 * small) is None
    assert sizing.auto_batch_rows(small, 3 * small - 1) == sizing.AUTO_BATCH_ROWS  # cannot fit
    assert sizing.auto_batch_rows(big, None) == sizing.AUTO_BATCH_ROWS  # big data: batches
    assert sizing.auto_batch_rows(big, 100 * big) == sizing.AUTO_BATCH_ROWS
    available = sizing.available_bytes()
    assert available is None or available > 0


def test_parquet_size_is_read_from_its_footer(tmp_path: Path) -> None:
    path = tmp_path / "wide.parquet"
    pl.DataFrame({"x": ["a" * 100] * 10_000}).write_parquet(path)  # compresses to almost nothing
    # dictionary encoding stores one value; memory holds 10,000
    assert sizing.in_memory_bytes([path], "parquet") >= 10_000 * 8 > 10 * path.stat().st_size
    assert sizing.in_memory_bytes([EXAMPLE], "csv") == EXAMPLE.stat().st_size


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout a pipe); return its exit code, its
    stdout and what the terminal showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("accord")), *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    return process.returncode, out.decode(), shown.decode(errors="replace")


@pytest.mark.parametrize("ci", [False, True])
def test_progress_bar_on_a_terminal_only(ci: bool, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "ACCORD_NO_PROGRESS")}
    env["TERM"] = "xterm"
    if ci:
        env["CI"] = "true"
    args = ["validate", str(CONTRACT), str(EXAMPLE), "--batch-rows", "50", "--format", "json"]
    code, out, shown = _on_a_terminal(args, env)
    assert code == 1
    assert json.loads(out)["dataset"]["rows"] == 500  # the report on stdout is untouched
    if ci:
        assert "batches" not in shown
    else:
        assert "500 rows" in shown
        assert "10 batches" in shown


def test_no_progress_bar_in_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CONTRACT), str(EXAMPLE), "--batch-rows", "50"]) == 1
    assert "batches" not in capsys.readouterr().err


def test_example_values_are_read_only_while_a_check_wants_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every batch of 10 rows holds failures of the same check; the report keeps the first 5
    examples, so values are read from the first batch only (2 examples asked, 2 batches)."""
    from accord.engines.polars import PolarsEngine

    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  x:\n    type: int64\n"
        "    checks:\n      - min: 0\n"
    )
    data = tmp_path / "d.parquet"
    pl.DataFrame({"x": [-1 if i % 2 else 1 for i in range(100)]}).write_parquet(data)
    values_at = PolarsEngine.values_at
    asked: list[int] = []

    def counted(self: PolarsEngine, frame: Any, column: str, rows: Any) -> list[Any]:
        asked.append(len(rows))
        return values_at(self, frame, column, rows)

    monkeypatch.setattr(PolarsEngine, "values_at", counted)
    args = [str(contract), str(data), "--engine", "polars", "--max-examples", "7"]
    code, report = report_of([*args, "--batch-rows", "10"], capsys)
    assert code == 1
    assert asked == [5, 2]  # 5 failing rows in the first batch, 2 more wanted from the second
    (violation,) = report["violations"]
    assert [e["row"] for e in violation["examples"]] == [1, 3, 5, 7, 9, 11, 13]
    assert violation["failure_count"] == 50
