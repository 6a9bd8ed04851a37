"""``accord lint``, ``compile`` and ``schema`` as a user runs them: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from accord.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "contracts" / "transactions.yaml"


def test_lint_valid_contract_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == f"ok: {EXAMPLE} (transactions@1.2.0, 12 fields)\n"


def test_lint_reports_every_problem_with_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "orders.yaml"
    bad.write_text(
        "accord: 1\nname: orders\nversion: 1.0.0\nfields:\n  order_id:\n"
        "    type: int64\n    requried: true\n    checks:\n      - minimun: 0\n"
    )
    assert main(["lint", str(EXAMPLE), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("ok: ")
    assert captured.err.splitlines() == [
        f"error: 2 problems in contract {bad}",
        f"  {bad}:7:5 fields.order_id: unknown key 'requried' (did you mean 'required'?)",
        f"  {bad}:9:9 fields.order_id.checks[0].minimun: unknown check 'minimun' "
        "(did you mean 'min'?)",
    ]
    assert "Traceback" not in captured.err


def test_lint_missing_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nope.yaml")]) == 2
    assert "contract file not found" in capsys.readouterr().err


def test_compile_prints_the_schema_for_each_engine(capsys: pytest.CaptureFixture[str]) -> None:
    for engine in ("pandas", "polars"):
        assert main(["compile", str(EXAMPLE), "--engine", engine, "--profile", "serving"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"pandera.{engine}.DataFrameSchema 'transactions'")
        assert "strict=True" in out  # the example is columns: closed
        assert "fields.amount.checks[0]: between" in out
        assert "dataset.primary_key: primary_key" in out


def test_compile_unknown_engine_or_profile_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compile", str(EXAMPLE), "--engine", "spark"]) == 2
    assert "unknown engine 'spark'" in capsys.readouterr().err
    assert main(["compile", str(EXAMPLE), "--profile", "scoring"]) == 2
    assert "has no profile 'scoring' (profiles: training, serving)" in capsys.readouterr().err


def test_schema_validates_the_example_and_rejects_typos(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    document = yaml.safe_load(EXAMPLE.read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    document["fields"]["amount"]["requried"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)
    document["fields"]["amount"].pop("requried")
    document["fields"]["amount"]["checks"].append({"bewteen": {"min": 1}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)


def test_bad_flag_and_no_args_are_exit_2() -> None:
    assert main(["lint", "--nope", str(EXAMPLE)]) == 2
    assert main([]) == 2


def test_console_script_is_installed_and_lints() -> None:
    accord = Path(sys.executable).with_name("accord")
    result = subprocess.run(
        [str(accord), "lint", str(EXAMPLE)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("ok: ")


def test_lint_imports_no_dataframe_library() -> None:
    code = (
        "import sys\nfrom accord.cli.app import main\n"
        f"code = main(['lint', {str(EXAMPLE)!r}])\n"
        "heavy = [m for m in ('pandas', 'polars', 'pandera', 'pyarrow') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 []"
