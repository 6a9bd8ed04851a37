"""Issue 17: clear counting in every rendering, one run written in many formats, and
``accord render`` of a saved report."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from accord.report.model import Report
from fault_support import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
DATA = ROOT / "examples" / "transactions.csv"

SMALL = """\
accord: 1
name: small
version: 1.0.0
fields:
  id: {type: int64, checks: [{min: 0}]}
  zip: {type: string, checks: [{pattern: "[0-9]{5}"}, {length: {min: 5, max: 5}}]}
"""


def _write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_skipped_checks_and_notes_are_not_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = _write(tmp_path, SMALL)
    data = _write(tmp_path, "id\n1\n", "d.csv")  # zip missing: 1 violation, 3 skipped
    run = cli(capsys, "validate", contract, data)
    assert run.code == 1
    assert "field zip: 1 violation, 3 skipped checks" in run.out
    assert "data        1 row, 1 column from" in run.out  # "1 row", not "1 rows"
    assert "violations  1 error, 0 warnings" in run.out
    assert "notes       3 skipped-check notes" in run.out

    passing = cli(capsys, "validate", CONTRACT, DATA, "--schema-only")
    assert passing.code == 0
    assert "violations  none" in passing.out
    assert "1 violation" not in passing.out
    assert "dataset: 1 skipped check" in passing.out


def test_markdown_and_html_separate_violations_from_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = cli(capsys, "validate", CONTRACT, DATA, "--schema-only", "--format", "markdown").out
    assert "No violations." in md
    assert "| violations | none |" in md
    assert "### Skipped checks and notes" in md
    assert "### Violations" not in md


def test_a_check_is_named_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = _write(tmp_path, SMALL)
    data = _write(tmp_path, "id,zip\n-1,12345\n", "d.csv")
    run = cli(capsys, "validate", contract, data, "--format", "json")
    (violation,) = run.report["violations"]
    assert (violation["check"], violation["params"]) == ("min", {"min": 0})
    assert violation["message"] == "1 value less than 0"
    checks = {c["check_id"]: c["check"] for c in run.report["checks"]}
    assert checks["fields.id.checks[0]"] == "min"
    text = cli(capsys, "validate", contract, data).out
    assert "check.failed  min  1 failing" in text
    assert "greater_than_or_equal_to" not in text


def test_counts_in_messages_have_thousands_separators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = _write(tmp_path, SMALL)
    data = tmp_path / "d.parquet"
    pl.DataFrame({"id": [-1] * 2500, "zip": ["12345"] * 2500}).write_parquet(data)
    run = cli(capsys, "validate", contract, data, "--format", "json")
    (violation,) = run.report["violations"]
    assert violation["message"] == "2,500 values less than 0"
    assert violation["failure_count"] == 2500  # the number itself stays a number


def test_duration_is_the_whole_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.run import sources

    real = sources.read_dataset

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "read_dataset", slow_read)
    run = cli(capsys, "validate", CONTRACT, DATA, "--format", "json", "--batch-rows", "0")
    # reading the data is part of what the user waited for; the checks alone take far less
    assert run.report["duration_s"] >= 0.5


def test_one_run_many_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = {suffix: tmp_path / f"report.{suffix}" for suffix in ("json", "html", "md", "xml", "txt")}
    run = cli(capsys, "validate", CONTRACT, DATA, *[f"--output={p}" for p in out.values()])
    assert run.code == 1
    assert run.out == ""  # every rendering went to its file
    report = Report.from_json(out["json"].read_text(encoding="utf-8"))
    assert not report.passed
    assert out["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "| severity |" in out["md"].read_text(encoding="utf-8")
    assert "<testsuites" in out["xml"].read_text(encoding="utf-8")
    assert "result      FAILED" in out["txt"].read_text(encoding="utf-8")
    # every file is the same report: rendering the saved JSON again gives the same bytes
    for suffix, fmt in (("html", "html"), ("md", "markdown"), ("xml", "junit"), ("txt", "text")):
        again = cli(capsys, "render", out["json"], "--format", fmt)
        assert again.code == 1
        assert again.out == out[suffix].read_text(encoding="utf-8")


def test_format_prefix_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "results.log"
    run = cli(
        capsys, "validate", CONTRACT, DATA, "--output", f"junit:{junit}", "--output", "json:-"
    )
    assert run.code == 1
    assert run.report["passed"] is False  # stdout holds the JSON
    assert "<testsuites" in junit.read_text(encoding="utf-8")


def test_single_output_keeps_its_explicit_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.txt"
    run = cli(capsys, "validate", CONTRACT, DATA, "--format", "json", "--output", out)
    assert run.code == 1 and json.loads(out.read_text())["passed"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "report.log"], "cannot tell the format from the name"),
        (["--output", "a.json", "--output", "a.json"], "names a.json twice"),
        (["--output", "yaml:a.json"], "unknown format 'yaml' in --output yaml:a.json"),
        (["--format", "yaml"], "unknown --format 'yaml'"),
    ],
)
def test_bad_outputs_fail_before_reading(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(capsys, "validate", CONTRACT, tmp_path / "no-such.csv", *args)
    assert run.code == 2 and message in run.err  # before the missing data is even noticed
    assert list(tmp_path.iterdir()) == []


def test_render_refuses_what_is_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "r.json"
    cli(capsys, "validate", CONTRACT, DATA, "--output", saved)
    good = json.loads(saved.read_text())

    def render(text: str) -> tuple[int, str]:
        path = _write(tmp_path, text, "bad.json")
        run = cli(capsys, "render", path, "--format", "html")
        assert run.out == ""
        return run.code, run.err

    code, err = render('{"report_version": 1,\n  "passed": tru}')
    assert code == 2 and "bad.json:2:13: not valid JSON" in err
    code, err = render('{"name": "a contract?"}')
    assert code == 2 and "is not an accord report" in err
    code, err = render(json.dumps({**good, "report_version": 7}))
    assert code == 2 and "report_version 7" in err
    broken = {**good, "summary": {**good["summary"], "checks": "many"}}
    code, err = render(json.dumps(broken))
    assert code == 2 and "does not match the report JSON Schema" in err
    assert "summary.checks" in err
    contradicting = {**good, "passed": True}  # hand-edited to pass
    code, err = render(json.dumps(contradicting))
    assert code == 2 and "contradict" in err
    missing = cli(capsys, "render", tmp_path / "nope.json")
    assert missing.code == 2 and "cannot read report" in missing.err


def test_render_exit_code_follows_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "r.json"
    assert cli(capsys, "validate", CONTRACT, DATA, "--schema-only", "--output", saved).code == 0
    run = cli(capsys, "render", saved)
    assert run.code == 0 and "result      PASSED" in run.out


def test_nightly_example_validates_once_and_writes_every_report(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    extract = tmp_path / "extract"
    extract.mkdir()
    shutil.copy(DATA, extract / "transactions.csv")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.log"
    wrapper = bin_dir / "accord"
    wrapper.write_text(
        f'#!/bin/sh\necho "$*" >> {calls}\nexec {sys.executable} -m accord.cli.app "$@"\n'
    )
    wrapper.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    done = subprocess.run(
        ["bash", str(ROOT / "examples" / "nightly_extract.sh"), str(extract)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "violates contracts/transactions.yaml" in done.stderr
    # the schema check, then one full validation for every format
    assert [line.split()[1] for line in calls.read_text().splitlines()] == [
        "contracts/transactions.yaml",
        "contracts/transactions.yaml",
    ]
    assert sum("--schema-only" not in line for line in calls.read_text().splitlines()) == 1
    report = Report.from_json((extract / "accord-report.json").read_text())
    assert not report.passed
    assert (extract / "accord-report.html").read_text().startswith("<!DOCTYPE html>")
    assert "<testsuites" in (extract / "accord-report.xml").read_text()
    assert "## ❌ FAILED" in (tmp_path / "summary.md").read_text()


def test_github_notices_only_when_asked_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quiet = cli(capsys, "validate", CONTRACT, DATA, "--schema-only", "--format", "github")
    assert quiet.code == 0 and quiet.out == ""  # a passing run posts nothing
    asked = cli(
        capsys,
        "validate",
        CONTRACT,
        DATA,
        "--schema-only",
        "--format",
        "github",
        "--github-notices",
    )
    assert asked.code == 0
    (line,) = asked.out.splitlines()
    assert line.startswith("::notice file=") and "title=check.skipped::schema-only run: 16" in line


def test_a_report_saved_before_check_details_still_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "r.json"
    cli(capsys, "validate", CONTRACT, DATA, "--output", saved)
    data = json.loads(saved.read_text())
    for check in data["checks"]:
        del check["details"]  # the key this version added to report_version 1
    saved.write_text(json.dumps(data))
    run = cli(capsys, "render", saved, "--format", "markdown")
    assert run.code == 1 and run.out.startswith("## ❌ FAILED")
