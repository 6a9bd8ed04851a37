"""Custom checks from the command line: ``--plugin MODULE`` and the ``accord.checks`` entry-point
group (issue 16). A contract names a check; code runs only when the person running accord named
the module or installed the package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.cli.app import main
from accord.contract.registry import unregister_check

ROOT = Path(__file__).resolve().parents[1]
CHECK = "share_above_low"
CONTRACT = f"""\
accord: 1
name: readings
version: 1.0.0
fields:
  id: {{type: int64}}
  share:
    type: float64
    checks:
      - custom: {{check: {CHECK}, low: 0.5}}
"""
PLUGIN = f"""\
import accord

@accord.register_check("{CHECK}")
def share_above_low(values, low: float):
    return values > low
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory with a contract, data (two shares at or below 0.5) and a plugin."""
    (tmp_path / "readings.yaml").write_text(CONTRACT)
    (tmp_path / "readings.csv").write_text("id,share\n1,0.9\n2,0.1\n3,0.5\n4,0.7\n")
    (tmp_path / "acme_plugin.py").write_text(PLUGIN)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    unregister_check(CHECK)
    sys.modules.pop("acme_plugin", None)
    sys.modules.pop("accord_plugin_acme_plugin", None)


def forget_plugin() -> None:
    unregister_check(CHECK)
    sys.modules.pop("acme_plugin", None)
    sys.modules.pop("accord_plugin_acme_plugin", None)


def test_without_the_plugin_the_check_is_unknown_and_the_message_says_how(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "readings.yaml"]) == 2
    err = capsys.readouterr().err
    assert f"unknown check '{CHECK}'" in err and "--plugin MODULE" in err and "accord.checks" in err


@pytest.mark.parametrize("engine", ["pandas", "polars"])
@pytest.mark.parametrize("plugin", ["acme_plugin", "./acme_plugin.py"])
def test_a_plugin_module_or_file_registers_the_check(
    project: Path, capsys: pytest.CaptureFixture[str], engine: str, plugin: str
) -> None:
    args = ["validate", "readings.yaml", "readings.csv", "--plugin", plugin]
    assert main([*args, "--engine", engine, "--format", "json"]) == 1
    [violation] = json.loads(capsys.readouterr().out)["violations"]
    assert (violation["field"], violation["failure_count"]) == ("share", 2)


@pytest.mark.parametrize(
    "command",
    [
        ["lint", "readings.yaml"],
        ["compile", "readings.yaml"],
        ["diff", "readings.yaml", "readings.yaml"],
        ["profile", "readings.yaml", "readings.csv"],
        ["validate", "readings.yaml", "readings.csv", "--schema-only"],
    ],
)
def test_every_command_that_loads_contracts_takes_plugin(project: Path, command: list[str]) -> None:
    forget_plugin()
    assert main(command) == 2  # the check is unknown without it
    assert main([*command, "--plugin", "acme_plugin"]) == 0


def test_a_missing_or_broken_plugin_stops_with_its_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "readings.yaml", "--plugin", "no_such_plugin"]) == 2
    assert "--plugin no_such_plugin: no module named 'no_such_plugin'" in capsys.readouterr().err
    assert main(["lint", "readings.yaml", "--plugin", "./missing.py"]) == 2
    assert "--plugin ./missing.py: no such file" in capsys.readouterr().err
    (project / "broken_plugin.py").write_text("raise RuntimeError('needs a licence key')\n")
    assert main(["lint", "readings.yaml", "--plugin", "broken_plugin"]) == 2
    err = capsys.readouterr().err
    assert "--plugin broken_plugin failed to import: RuntimeError: needs a licence key" in err
    assert "broken_plugin.py:1" in err and "Traceback" not in err
    sys.modules.pop("broken_plugin", None)


def install_plugin_package(site: Path, module_text: str) -> None:
    """What pip leaves behind for a package declaring an ``accord.checks`` entry point."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "acme_checks.py").write_text(module_text)
    info = site / "acme_checks-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[accord.checks]\nacme = acme_checks\n")


def run_accord(*args: str, cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(site)])}
    return subprocess.run(
        [sys.executable, "-m", "accord", *args], cwd=cwd, env=env, capture_output=True,
        text=True, check=False, timeout=300,
    )  # fmt: skip


def test_an_installed_entry_point_registers_checks(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin_package(site, PLUGIN)
    (tmp_path / "readings.yaml").write_text(CONTRACT)
    (tmp_path / "readings.csv").write_text("id,share\n1,0.9\n2,0.1\n")
    done = run_accord("validate", "readings.yaml", "readings.csv", "--format", "json",
                      cwd=tmp_path, site=site)  # fmt: skip
    assert done.returncode == 1, done.stderr
    [violation] = json.loads(done.stdout)["violations"]
    assert violation["failure_count"] == 1
    # Not installed: the same contract names an unknown check.
    bare = run_accord("lint", "readings.yaml", cwd=tmp_path, site=tmp_path / "empty")
    assert bare.returncode == 2 and f"unknown check '{CHECK}'" in bare.stderr


def test_a_broken_entry_point_names_its_package(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin_package(site, "import not_installed_dependency\n")
    (tmp_path / "readings.yaml").write_text(CONTRACT)
    done = run_accord("lint", "readings.yaml", cwd=tmp_path, site=site)
    assert done.returncode == 2
    assert "plugin 'acme = acme_checks' (from acme-checks 1.0) failed to import" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_contract_without_custom_checks_never_imports_plugins(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin_package(site, "raise SystemExit('imported')\n")
    (tmp_path / "plain.yaml").write_text(
        "accord: 1\nname: p\nversion: 1.0.0\nfields:\n  id: {type: int64}\n"
    )
    done = run_accord("lint", "plain.yaml", cwd=tmp_path, site=site)
    assert done.returncode == 0, done.stderr
