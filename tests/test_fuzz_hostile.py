"""The process-level hostile-input fuzzer: random Parquet, Arrow IPC, JSON Lines and CSV files,
a random contract and random arguments, run through ``accord validate`` on both engines, in
process (``accord.cli.app.main``) and as a real subprocess. Whatever the input, every run keeps
the promises of SPEC section 5 and FAULTS.md:

- the exit code is 0, 1 or 2, and no output holds a Python traceback;
- exit 0 and 1 come with a JSON report that validates against the shipped JSON Schema and says
  passed exactly when the exit is 0; exit 2 comes with an ``error:`` message, never an
  ``internal error``, and writes no report;
- the pandas and the polars engine give the same verdict and the same counts per check id
  (``--batch-rows`` with ``--engine pandas`` is refused, as documented, and the batched polars
  run is compared with the pandas run on the whole data instead);
- nothing is written but the named ``--output``, and every input file is left as it was;
- a run that reads the data counts every row written, and every null in a non-nullable field.

Strategies live in ``hostile_strategies.py`` and ``hostile_columns.py``. The normal suite runs a
fixed, derandomized set of examples (reproducible in CI, well under three minutes on two
cores); ``HYPOTHESIS_PROFILE=deep`` runs thousands, at random, for long local sessions.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from jsonschema import Draft202012Validator

from accord.cli.app import main
from hostile_strategies import Case, any_case, columnar_cases, csv_cases, jsonl_cases
from test_report_model import strict_json

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Draft202012Validator(
    json.loads((ROOT / "src" / "accord" / "report" / "report.schema.json").read_text("utf-8"))
)
TRACEBACK = "Traceback (most recent call last)"
RUST_PANIC = "panicked at"
DEEP = settings.get_current_profile_name() == "deep"
SETTINGS = settings(
    max_examples=settings.default.max_examples if DEEP else 50,
    derandomize=not DEEP,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SUBPROCESS_SETTINGS = settings(SETTINGS, max_examples=200 if DEEP else 4)
RUN_SECONDS = 60  # one run of a few rows that takes this long hangs
Runner = Callable[[list[str], Path], tuple[int, str, str]]
"""Runs ``accord ARGS`` in a folder: exit code, stdout, stderr."""


@dataclass
class Run:
    code: int
    out: str
    err: str
    report: dict[str, Any] | None


class Hang(BaseException):
    """Not an Exception, so the CLI's last-resort handler cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"accord validate ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def in_process(args: list[str], folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(folder)
    try:
        with (
            time_limit(RUN_SECONDS),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(args)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def as_subprocess(args: list[str], folder: Path) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli.app", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def validate(case: Case, folder: Path, engine: str, runner: Runner) -> Run:
    """One ``accord validate`` run, checked against every promise that holds for it alone."""
    args = ["validate", "contract.yaml", *case.data, *case.options, "--engine", engine]
    args += ["--format", "json"]
    output = case.output
    before = snapshot(folder)
    code, out, err = runner(args, folder)
    note(f"{engine}: exit {code}\nstdout: {out[:2000]}\nstderr: {err[:2000]}")
    assert code in (0, 1, 2), code
    assert TRACEBACK not in out and TRACEBACK not in err
    # A Rust panic prints its own backtrace on stderr (seen only from a real process).
    assert RUST_PANIC not in err, err
    after = snapshot(folder)
    written = {output} if output and code != 2 else set()
    assert set(after) == set(before) | written, "only the named --output may be written"
    assert {k: after[k] for k in before} == before, "an input file changed"
    if code == 2:
        assert "error:" in err, err
        assert "internal error" not in err, err
        assert not out.strip(), "exit 2 writes no report"
        return Run(code, out, err, None)
    text = (folder / output).read_text("utf-8") if output else out
    if output:
        assert not out.strip(), "with --output, stdout holds no report"
        (folder / output).unlink()
    report = strict_json(text)
    errors = sorted(SCHEMA.iter_errors(report), key=str)
    assert not errors, [e.message for e in errors]
    assert report["passed"] is (code == 0)
    promised(case, report)
    return Run(code, out, err, report)


def promised(case: Case, report: dict[str, Any]) -> None:
    """What the case itself knows: every row written is counted, every null reported."""
    if case.schema_only:
        return
    if case.rows is not None:
        assert report["dataset"]["rows"] == case.rows
    if "--profile" in case.options:
        return
    for name, nulls in case.nulls.items():
        counts = [
            v["failure_count"]
            for v in report["violations"]
            if v["code"] == "field.null" and v["field"] == name
        ]
        assert counts == ([nulls] if nulls else []), (name, counts)


def fingerprint(report: dict[str, Any]) -> Any:
    """Verdict and counts per check id, and which rows the examples came from."""
    violations = sorted(
        (
            str(v["check_id"]),
            v["code"],
            str(v["field"]),
            v["severity"],
            v["failure_count"] or 0,
            [e["row"] for e in v["examples"]],
        )
        for v in report["violations"]
    )
    statuses = sorted((c["check_id"], c["status"]) for c in report["checks"])
    return report["passed"], report["dataset"], report["summary"], violations, statuses


def same_message(one: str, other: str) -> bool:
    """Equal but for the thread id a caught native panic names (``JoinError::Panic(Id(8)``)."""
    return re.sub(r"Id\(\d+\)", "Id(_)", one) == re.sub(r"Id\(\d+\)", "Id(_)", other)


def run_case(case: Case, runner: Runner) -> None:
    note(case.describe())
    with tempfile.TemporaryDirectory(prefix="accord-hostile-") as name:
        folder = Path(name)
        (folder / "contract.yaml").write_text(case.contract, encoding="utf-8")
        for file_name, content in case.files.items():
            (folder / file_name).write_bytes(content)
        polars = validate(case, folder, "polars", runner)
        batched = case.batch_rows and not case.schema_only
        if batched:
            refused = validate(case, folder, "pandas", runner)
            refusal = "--batch-rows validates on the polars engine"
            assert refused.code == 2
            assert refusal in refused.err or same_message(refused.err, polars.err), refused.err
            case = case.without("--batch-rows")
        pandas = validate(case, folder, "pandas", runner)
        event(f"exit {polars.code}")
        assert pandas.code == polars.code, "the engines disagree on the verdict"
        if polars.report is None or pandas.report is None:
            # A batched read may meet another of several problems first; the whole reads of
            # both engines name the same one.
            assert batched or same_message(pandas.err, polars.err)
            return
        assert fingerprint(pandas.report) == fingerprint(polars.report)


@SETTINGS
@given(columnar_cases("parquet"))
def test_hostile_parquet(case: Case) -> None:
    run_case(case, in_process)


@SETTINGS
@given(columnar_cases("arrow"))
def test_hostile_arrow_files_and_streams(case: Case) -> None:
    run_case(case, in_process)


@SETTINGS
@given(jsonl_cases())
def test_hostile_json_lines(case: Case) -> None:
    run_case(case, in_process)


@SETTINGS
@given(csv_cases())
def test_hostile_csv(case: Case) -> None:
    run_case(case, in_process)


@SUBPROCESS_SETTINGS
@given(any_case())
def test_hostile_input_as_a_real_process(case: Case) -> None:
    run_case(case, as_subprocess)


def test_the_time_limit_ends_a_run_that_never_finishes() -> None:
    """The limit the fuzzer puts on an in-process run gets through the CLI's own handlers."""
    with pytest.raises(Hang), time_limit(1):
        signal.pause()
