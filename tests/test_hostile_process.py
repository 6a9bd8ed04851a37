"""Issue 11, class "tracebacks and wrong exit codes from the process": a closed or broken
standard output, and whatever a native library raises (a polars panic is a BaseException), end
in a message on stderr and exit 2. Exit 1 promises a report; nothing else may produce it.

The stream cases run the real console process (``python -m accord.cli.app``), since what
matters is what a shell sees: the exit status and every byte on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from polars.exceptions import PanicException

from accord.cli.app import main
from accord.run import setup
from fault_support import contract_text, validate, write

ACCORD = [sys.executable, "-m", "accord.cli.app"]
# How the process treats its streams does not depend on the engine: those subprocess cases run
# once, on polars, to keep the suite quick; the cases where an engine is running run on both.
ONE_ENGINE = "polars"
CONTRACT = "fields:\n  a: {type: int64, checks: [{between: {min: 0, max: 5}}]}\n"


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    contract = write(tmp_path / "c.yaml", contract_text(CONTRACT))
    rows = "".join(f"{i % 9}\n" for i in range(2000))  # a few violations, a long report
    return contract, write(tmp_path / "d.csv", "a\n" + rows)


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err, err


def shell(command: str, *args: object) -> subprocess.CompletedProcess[str]:
    """``sh -c COMMAND`` with ``$@`` = accord ARGS, for redirections only a shell expresses."""
    argv = ["sh", "-c", command, "sh", *ACCORD, *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def test_process_broken_pipe_is_exit_2_with_a_message(
    small: tuple[Path, Path], engine: str
) -> None:
    contract, data = small
    # the reader is gone before accord writes a byte, as with `accord validate ... | head -0`
    for args in (["validate", contract, data, "--engine", engine, "--format", "json"], ["--help"]):
        with subprocess.Popen(
            [*ACCORD, *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            err = process.stderr.read()
            assert process.wait(timeout=300) == 2, (args, err)
        assert "standard output was closed before all output was written (broken pipe)" in err
        no_traceback(err)


def test_process_closed_stdout_is_exit_2_with_a_message(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    contract, data = small
    done = shell('"$@" >&-', "validate", contract, data, "--engine", ONE_ENGINE)
    assert done.returncode == 2
    assert "standard output is closed, so the result has nowhere to go" in done.stderr
    assert "--output FILE" in done.stderr
    no_traceback(done.stderr)
    # with the report going to a file, a closed stdout does not matter: the verdict stands
    report = tmp_path / "r.json"
    args = (
        "validate",
        contract,
        data,
        "--engine",
        ONE_ENGINE,
        "--format",
        "json",
        "--output",
        report,
    )
    done = shell('"$@" >&-', *args)
    assert done.returncode == 1, done.stderr
    assert json.loads(report.read_text())["passed"] is False
    no_traceback(done.stderr)


def test_process_full_stdout_is_exit_2_with_a_message(small: tuple[Path, Path]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    contract, data = small
    done = shell('"$@" > /dev/full', "validate", contract, data, "--engine", ONE_ENGINE)
    assert done.returncode == 2
    assert "cannot write to standard output: No space left on device" in done.stderr
    no_traceback(done.stderr)


def test_process_closed_stderr_keeps_the_exit_code_and_the_report(small: tuple[Path, Path]) -> None:
    contract, data = small
    done = shell(
        '"$@" 2>&-', "validate", contract, data, "--engine", ONE_ENGINE, "--format", "json"
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["passed"] is False
    done = shell('"$@" 2>&-', "validate", contract, Path("missing.csv"), "--engine", ONE_ENGINE)
    assert (done.returncode, done.stdout) == (2, "")


PANIC_SCRIPT = """
import sys
from polars.exceptions import PanicException
from accord.cli import app
from accord.run import setup

def panic(*args, **kwargs):
    raise PanicException("called `Option::unwrap()` on a `None` value")

setup.build_plan = panic
app.run()
"""


def test_process_native_panic_is_an_internal_error_exit_2(small: tuple[Path, Path]) -> None:
    contract, data = small
    args = ["validate", str(contract), str(data), "--engine", ONE_ENGINE]
    done = subprocess.run(
        [sys.executable, "-c", PANIC_SCRIPT, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "internal error: PanicException: called `Option::unwrap()`" in done.stderr
    assert "this is a bug in accord: run again with --debug" in done.stderr
    no_traceback(done.stderr)


class _Escaped(BaseException):
    """Neither an Exception nor anything accord knows: what a native extension may raise."""


@pytest.mark.parametrize(
    "raised",
    [
        PanicException("index out of bounds"),
        _Escaped("from outside"),
        SystemExit(1),  # a library calling sys.exit(1) must not pass for "violated"
        SystemExit(0),  # nor sys.exit(0) for "passed"
    ],
    ids=["panic", "base-exception", "sys-exit-1", "sys-exit-0"],
)
def test_process_any_base_exception_is_an_internal_error_exit_2(
    raised: BaseException,
    small: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    contract, data = small

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise raised

    monkeypatch.setattr(setup, "build_plan", broken)
    run = validate(capsys, contract, data, engine)
    assert (run.code, run.out) == (2, "")
    assert f"internal error: {type(raised).__name__}" in run.err
    # --debug shows the traceback to whoever asks for it
    code = main(["--debug", "validate", str(contract), str(data), "--engine", engine])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback (most recent call last)" in err


def test_process_closed_stdout_in_process_is_exit_2(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    contract, data = small
    monkeypatch.setattr(sys, "stdout", None)  # what Python gives a program started with >&-
    for args in (["validate", contract, data, "--engine", engine], ["schema"], ["lint", contract]):
        assert main([str(a) for a in args]) == 2, args
