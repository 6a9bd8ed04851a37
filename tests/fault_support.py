"""Helpers shared by the FAULTS.md suites (``test_faults*.py``) and the fuzzers.

Every CLI run goes through :func:`cli`, which asserts the rule of all 38 rows: no Python
traceback reaches the user, whatever the exit code.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from accord.cli.app import main

HEADER = "accord: 1\nname: t\nversion: 1.0.0\n"
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
Summary = list[tuple[str, str | None, int | None]]


def contract_text(body: str) -> str:
    """A contract with the usual header and ``body`` (dedented)."""
    return HEADER + textwrap.dedent(body)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.out)
        return parsed

    def violations(self, *, info: bool = False) -> Summary:
        """(code, field, failure_count) of the JSON report, info-level ones only if asked."""
        return summary(self.report, info=info)


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> Run:
    """Run ``accord ARGS`` in-process; no output may hold a Python traceback."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "Traceback" not in stream, stream
    return Run(code, captured.out, captured.err)


def validate(
    capsys: pytest.CaptureFixture[str],
    contract: Path,
    data: Path | list[Path],
    engine: str,
    *extra: object,
) -> Run:
    """``accord validate CONTRACT DATA --engine E --format json EXTRA``."""
    paths = data if isinstance(data, list) else [data]
    return cli(capsys, "validate", contract, *paths, "--engine", engine, "--format", "json", *extra)


def summary(report: dict[str, Any], *, info: bool = False) -> Summary:
    return [
        (v["code"], v["field"], v["failure_count"])
        for v in report["violations"]
        if info or v["severity"] != "info"
    ]


def api_summary(report: Any, *, info: bool = False) -> Summary:
    return [
        (str(v.code), v.field, v.failure_count)
        for v in report.violations
        if info or str(v.severity) != "info"
    ]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_contract(tmp_path: Path, body: str, name: str = "contract.yaml") -> Path:
    return write(tmp_path / name, contract_text(body))


def write_parquet(tmp_path: Path, columns: dict[str, Any], name: str = "data.parquet") -> Path:
    path = tmp_path / name
    pl.DataFrame(columns, strict=False).write_parquet(path)
    return path


def violation(report: dict[str, Any], code: str, field: str | None = None) -> dict[str, Any]:
    """The one violation of ``code`` (on ``field``) in a JSON report."""
    found = [v for v in report["violations"] if v["code"] == code and v["field"] == field]
    assert len(found) == 1, (code, field, report["violations"])
    return found[0]


def check_status(report: dict[str, Any]) -> dict[str, str]:
    return {c["check_id"]: c["status"] for c in report["checks"]}
