"""The command line loads what the command it runs needs: a short ``accord validate`` pays for
neither the other commands' modules nor pydantic's plugin scan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import accord.cli  # noqa: F401 - sets the pydantic default on import
from accord.cli.app import COMMANDS, build_app, command_of, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "contracts" / "transactions.yaml"
OTHER_COMMANDS = ("accord.cli.export_cmd", "accord.cli.import_cmd", "accord.cli.render_cmd")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "c.yaml", "d.csv"], "validate"),
        (["--debug", "lint", "c.yaml"], "lint"),
        (["--help"], None),
        ([], None),
        (["validat", "c.yaml"], None),  # a misspelt name: every command, for click's hint
        (["--version"], None),
    ],
)
def test_the_command_is_the_first_argument_that_is_no_option(
    args: list[str], expected: str | None
) -> None:
    assert command_of(args) == expected


def test_one_command_or_all_are_registered() -> None:
    whole = build_app()
    assert [c.name for c in whole.registered_commands] == list(COMMANDS)
    assert [c.name for c in build_app("lint").registered_commands] == ["lint"]


def test_importing_the_app_imports_no_command_module() -> None:
    loaded = _run(
        "import sys, accord.cli.app\n"
        "print(sorted(m for m in sys.modules if m.endswith('_cmd') or m == 'accord.interop'))"
    )
    assert loaded == "[]"


def test_a_command_imports_its_own_module_only() -> None:
    code = (
        "import sys\nfrom accord.cli.app import main\n"
        f"code = main(['lint', {str(EXAMPLE)!r}])\n"
        f"print(code, [m for m in {OTHER_COMMANDS!r} if m in sys.modules])\n"
    )
    assert _run(code) == "0 []"


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == list(COMMANDS)


def test_the_command_line_skips_pydantic_plugin_discovery_unless_asked() -> None:
    assert os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "logfire"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, accord.cli; print(os.environ['PYDANTIC_DISABLE_PLUGINS'])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert done.stdout.strip() == "logfire"  # a setting of the user's own is kept


def test_validating_a_csv_file_on_polars_loads_no_pyarrow_and_no_pandas(tmp_path: Path) -> None:
    """Each format's reader is imported when a file of its format is read; pyarrow (about a
    tenth of a small run) is for Parquet, Arrow and remote files, pandas for its engine."""
    data = ROOT / "examples" / "transactions.csv"
    code = (
        "import sys\nfrom accord.cli.app import main\n"
        f"code = main(['validate', {str(EXAMPLE)!r}, {str(data)!r}, '--engine', 'polars',"
        f" '--output', {str(tmp_path / 'r.json')!r}])\n"
        "print(code, [m for m in ('pyarrow', 'pandas', 'pandera') if m in sys.modules])\n"
    )
    assert _run(code) == "1 []"
    assert (tmp_path / "r.json").stat().st_size > 0


def test_no_command_reads_attribute_docstrings_until_a_schema_is_written() -> None:
    """pydantic's ``use_attribute_docstrings`` parsed source as each model class was made (a
    quarter of start-up); the schema gets the same descriptions when it is written."""
    code = (
        "import ast\ncalls = []\nreal = ast.parse\n"
        "def parse(source, *a, **k):\n"
        "    if 'class ' in str(source) and ('(StrictModel)' in str(source) or"
        " '(_Model)' in str(source)):\n"
        "        calls.append(source)\n"
        "    return real(source, *a, **k)\n"
        "ast.parse = parse\n"
        "import accord.cli.app, accord.report.model\n"
        "from accord.contract.loader import load_contract\n"
        f"load_contract({str(EXAMPLE)!r})\nbefore = len(calls)\n"
        "from accord.contract.json_schema import contract_json_schema\n"
        "described = contract_json_schema()['$defs']['Field_']['properties']['type']\n"
        "print(before, len(calls) > 0, bool(described.get('description')))\n"
    )
    assert _run(code) == "0 True True"
