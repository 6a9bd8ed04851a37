"""FAULTS.md row 36 (report output safety) and the rule every row shares: never a traceback, never
a silent pass, never half a report.

Data values carry terminal escapes, bidi overrides, NUL, CR and markup; column names carry ``/``,
``.``, spaces, non-ASCII and characters that dataframe libraries read as patterns. Each goes
through the CLI on CSV and Parquet and the API, on both engines, into every output format.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import accord
from accord.cli import common
from accord.cli import output as output_module
from accord.cli.app import main
from accord.report.model import Report
from accord.run import setup, verdicts
from conftest import make_frame
from fault_support import api_summary, cli, contract_text, validate, write, write_contract

FORMATS = ("text", "json", "junit", "markdown", "github", "html")
# C0 controls but newline, DEL, C1 controls, bidi and zero-width format characters
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "line\nbreak",
    "carriage\rreturn",
    "nul\x00byte",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "<script>alert(1)</script>",
    "| pipe | `tick` *star* [link](x)",
    "::error::forged %0A",
    '"quoted" & \\back',
    "emoji 🚀 and 名前",
]


def assert_safe(fmt: str, text: str) -> None:
    """Whatever the data held, ``text`` is well-formed for ``fmt`` and carries no control
    character a terminal, a log viewer or a CI annotation would act on."""
    assert _FORBIDDEN.search(text) is None, (fmt, _FORBIDDEN.search(text))
    if fmt == "json":
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text.encode("utf-8"))
    elif fmt == "html":
        HTMLParser().feed(text)
        assert "<script>" not in text
    elif fmt == "github":
        assert all(line.startswith("::") for line in text.splitlines() if line)


# -- row 36: values -----------------------------------------------------------------------------


def test_fault_36_hostile_values_in_every_output_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path, "fields:\n  v: {type: string, checks: [{in: [ok]}]}\n  n: {type: int64}\n"
    )
    values = [*HOSTILE, "ok"]
    parquet = tmp_path / "v.parquet"
    pl.DataFrame({"v": values, "n": list(range(len(values)))}).write_parquet(parquet)
    for fmt in FORMATS:
        output = tmp_path / f"report.{fmt}"
        options = ["--format", fmt, "--output", output, "--max-examples", 20]
        run = cli(capsys, "validate", contract, parquet, "--engine", engine, *options)
        assert run.code == 1 and run.out == ""
        text = output.read_text(encoding="utf-8")
        assert_safe(fmt, text)
        if fmt == "json":
            (found,) = json.loads(text)["violations"]
            assert found["failure_count"] == len(HOSTILE)
            # the JSON report keeps every value exactly, escaped
            assert [e["value"] for e in found["examples"]] == HOSTILE
        if fmt == "text":
            assert "\\u001b[31mred\\u001b[0m" in text  # shown, not executed


def test_fault_36_hostile_values_from_csv_and_the_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, "fields:\n  v: {type: int64}\n")
    cells = ["1", "\x1b[2J", "2\r", "3 \u202e", "\x00"]
    data = write(tmp_path / "v.csv", "v\n" + "\n".join(f'"{c}"' for c in cells) + "\n")
    for fmt in FORMATS:
        run = cli(capsys, "validate", contract, data, "--engine", engine, "--format", fmt)
        assert run.code == 1
        assert_safe(fmt, run.out)
    report = accord.load(contract).validate(
        make_frame(engine, {"v": [1, 2]}) if engine == "polars" else pd.DataFrame({"v": cells})
    )
    for fmt in FORMATS:
        assert_safe(fmt, report.render(fmt))
    # bytes that are not UTF-8 and lone surrogates still make valid JSON
    odd = pd.DataFrame({"v": pd.Series([b"\xff\xfe", "\ud800x", "ok"], dtype=object)})
    report = accord.load(contract_text("fields:\n  v: {type: string}\n")).validate(odd)
    parsed = json.loads(report.to_json())
    assert [e["value"] for e in parsed["violations"][0]["examples"]] == ["b'\\xff\\xfe'"]
    assert Report.from_json(report.to_json()) == report
    for fmt in FORMATS:
        assert_safe(fmt, report.render(fmt))


def test_fault_36_hostile_text_in_errors_is_made_visible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Error messages quote file names and contract keys; they are not data-free either."""
    contract = write(
        tmp_path / "c.yaml", contract_text('"bad\\e[31mkey": 1\nfields:\n  a: {type: int64}\n')
    )
    lint = cli(capsys, "lint", contract)
    assert lint.code == 2 and "\x1b" not in lint.err and "bad\\x1b[31mkey" in lint.err
    good = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    missing = tmp_path / "evil\x1b]0;pwned\x07.csv"
    run = validate(capsys, good, missing, engine)
    assert run.code == 2
    assert _FORBIDDEN.search(run.err) is None and "evil\\x1b]0;pwned\\x07.csv" in run.err


# -- row 36: column names -----------------------------------------------------------------------

ODD_NAMES = ["od280/od315", "a.b", "with space", "naïve ñ 名前", "x[0]", "$ref", "1abc"]
# Names a dataframe library may read as a pattern or a wildcard (below): polars takes "*" for
# every column and "^...$" for a regular expression.


def odd_contract(names: list[str]) -> str:
    fields = "".join(f'  "{n}": {{type: float64, checks: [{{min: 0}}]}}\n' for n in names)
    rule = " and ".join(f"`{n}` < 100" for n in names)
    keys = ", ".join(f'"{n}"' for n in names[:2])
    return contract_text(
        f'dataset:\n  primary_key: [{keys}]\n  rules:\n    - {{name: r, assert: "{rule}"}}\n'
        f"fields:\n{fields}"
    )


def odd_data(names: list[str]) -> dict[str, list[float]]:
    """Row 1 breaks every ``min``, row 2 the rule, rows 0 and 3 share a primary key."""
    return {n: [1.0, -1.0, 200.0, 1.0] for n in names}


@pytest.mark.parametrize(
    "names",
    [ODD_NAMES, ["*", "b"], ["^a.*$", "b"]],
    ids=["symbols", "wildcard", "regex"],
)
def test_fault_36_column_names_work_as_written_everywhere(
    names: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write(tmp_path / "c.yaml", odd_contract(names))
    expected = [("check.failed", n, 1) for n in names] + [
        ("dataset.primary_key", None, 2),
        ("dataset.rule", None, 1),
    ]
    frame = pl.DataFrame(odd_data(names))
    report = accord.load(contract).validate(frame if engine == "polars" else frame.to_pandas())
    assert api_summary(report) == expected
    rule = next(v for v in report.violations if v.code == "dataset.rule")
    assert rule.examples[0].value == dict.fromkeys(names, 200.0)  # never a nested path
    csv = tmp_path / "d.csv"
    frame.write_csv(csv)
    parquet = tmp_path / "d.parquet"
    frame.write_parquet(parquet)
    for data in (csv, parquet):
        run = validate(capsys, contract, data, engine)
        assert run.violations() == expected
        for fmt in FORMATS:
            shown = cli(capsys, "validate", contract, data, "--engine", engine, "--format", fmt)
            assert shown.code == 1
            assert_safe(fmt, shown.out)
            if fmt in ("text", "json"):
                for name in names:
                    assert name in shown.out


def test_fault_36_non_text_column_names_in_pandas() -> None:
    """pandas labels need not be text; the report names them as text, and checks still run."""
    contract = accord.load(contract_text('fields:\n  "0": {type: int64, checks: [{min: 0}]}\n'))
    report = contract.validate(pd.DataFrame({0: [1, -1]}))
    assert api_summary(report) == [("check.failed", "0", 1)]


def test_fault_36_passing_a_series_is_a_usage_error() -> None:
    contract = accord.load(contract_text("fields:\n  a: {type: int64}\n"))
    for wrong in (pd.Series([1, 2], name="a"), pl.Series("a", [1, 2])):
        with pytest.raises(accord.UsageError, match="DataFrame"):
            contract.validate(wrong)


# -- never a traceback, never half a report -----------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64, checks: [{min: 0}]}\n")
    return contract, write(tmp_path / "d.csv", "a\n1\n-1\n")


def test_fault_never_a_traceback_for_an_internal_error(
    small: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    contract, data = small

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(verdicts.Verdicts, "schema_pass", broken)
    run = validate(capsys, contract, data, engine)
    assert run.code == 2 and run.out == ""
    assert "internal error: RuntimeError: boom" in run.err
    assert "run again with --debug" in run.err
    # the traceback is there for whoever asks for it
    code = main(["--debug", "validate", str(contract), str(data), "--engine", engine])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback (most recent call last)" in err and "RuntimeError: boom" in err


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (KeyboardInterrupt, "interrupted"),
        (MemoryError, "out of memory"),
        (RecursionError, "internal error: RecursionError"),
        (OSError(28, "No space left on device"), "internal error: OSError"),
    ],
)
def test_fault_never_a_traceback_whatever_is_raised(
    raised: BaseException | type[BaseException],
    message: str,
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
    assert run.code == 2 and run.out == "" and message in run.err


def test_fault_report_file_is_never_half_written(
    small: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    contract, data = small
    output = contract.parent / "report.json"
    output.write_text("previous report\n")
    folder = {p.name for p in contract.parent.iterdir()}
    real_write = output_module._write_all

    def half_then_fail(descriptor: int, data: bytes) -> None:
        real_write(descriptor, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(output_module, "_write_all", half_then_fail)
        run = validate(capsys, contract, data, engine, "--output", output)
    assert run.code == 2 and "cannot write" in run.err and "No space left" in run.err
    assert output.read_text() == "previous report\n"  # untouched, not half a new one
    assert {p.name for p in contract.parent.iterdir()} == folder  # no temporary file left

    def render_fails(*args: Any, **kwargs: Any) -> str:
        raise MemoryError

    for fmt in ("json", "junit"):
        fresh = contract.parent / f"fresh.{fmt}"
        with monkeypatch.context() as patched:
            patched.setattr(Report, "render", render_fails)
            run = validate(capsys, contract, data, engine, "--format", fmt, "--output", fresh)
        assert run.code == 2 and not fresh.exists()
    # a destination that cannot be written is exit 2 before anything is half done
    for bad in (contract.parent / "no-such-dir" / "r.json", contract.parent):
        run = validate(capsys, contract, data, engine, "--output", bad)
        assert run.code == 2 and "cannot write" in run.err
    # and a good run replaces the previous report whole
    run = validate(capsys, contract, data, engine, "--output", output)
    assert run.code == 1 and json.loads(output.read_text())["passed"] is False


def test_fault_exit_codes_are_exact_for_every_outcome(
    small: tuple[Path, Path], capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract, data = small
    clean = write(contract.parent / "clean.csv", "a\n1\n2\n")
    assert validate(capsys, contract, clean, engine).code == 0
    assert validate(capsys, contract, data, engine).code == 1
    assert validate(capsys, contract, data, engine, "--format", "yaml").code == 2
    assert cli(capsys, "validate", contract, data, "--engine", "spark").code == 2  # no such engine
    assert cli(capsys, "validate").code == 2
    assert cli(capsys, "no-such-command").code == 2
    # warnings fail only when asked
    warn = write_contract(
        contract.parent,
        "fields:\n  a: {type: int64, checks: [{min: 0, severity: warning}]}\n",
        "warn.yaml",
    )
    assert validate(capsys, warn, data, engine).code == 0
    assert validate(capsys, warn, data, engine, "--fail-on", "warning").code == 1


def test_fault_warn_keeps_message_lines() -> None:
    """The stderr sanitiser keeps line structure (carets under rule errors) and nothing else."""
    import io

    buffer = io.StringIO()
    real = common.sys.stderr
    common.sys.stderr = buffer
    try:
        common.warn("one\n  two\x1b[0m\n")
        common.warn("three")
    finally:
        common.sys.stderr = real
    assert buffer.getvalue() == "one\n  two\\x1b[0m\nthree\n"
