"""Install story (issue 16): a built wheel works outside the clone, ``accord --version``,
``python -m accord`` and shell completion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import accord
from accord.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def python(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False,
        timeout=300,
    )  # fmt: skip


def test_version_names_accord_and_the_libraries_it_runs_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert accord.__version__ == PROJECT["version"]  # one version, wherever it is read
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"accord {PROJECT['version']} (Python ")
    assert "pandera " in out and "polars " in out


def test_python_dash_m_accord_is_the_command(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = python("-m", "accord", "lint", str(ROOT / "contracts" / "transactions.yaml"),
                  cwd=tmp_path, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ok: " in done.stdout
    assert (
        python("-m", "accord", "lint", str(tmp_path / "no.yaml"), cwd=tmp_path, env=env).returncode
        == 2
    )


def test_shell_completion_completes_commands_and_options(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "_ACCORD_COMPLETE": "complete_bash"}
    run = "from accord.cli.app import run; run()"
    done = python(
        "-c", run, cwd=tmp_path, env={**env, "COMP_WORDS": "accord val", "COMP_CWORD": "1"}
    )
    assert done.stdout.split() == ["validate"]
    words = {"COMP_WORDS": "accord diff --ag", "COMP_CWORD": "2"}
    assert python("-c", run, cwd=tmp_path, env={**env, **words}).stdout.split() == ["--against"]
    env.pop("_ACCORD_COMPLETE")
    script = python("-c", run, "--show-completion", "bash", cwd=tmp_path, env=env)
    assert script.returncode == 0
    assert "_accord_completion" in script.stdout and "_ACCORD_COMPLETE" in script.stdout


def test_a_built_wheel_runs_outside_the_clone(tmp_path: Path) -> None:
    """The wheel alone (no sources beside it) lints, validates and prints its JSON Schemas."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", str(ROOT), "-w", str(wheels)],
        capture_output=True, text=True, check=False, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("accord-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
        entry_points = archive.read(f"accord-{PROJECT['version']}.dist-info/entry_points.txt")
    assert b"accord = accord.cli.app:run" in entry_points
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "contracts" / "transactions.yaml", work / "c.yaml")
    shutil.copy(ROOT / "examples" / "transactions.csv", work / "data.csv")
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = python("-c", "import accord; print(accord.__file__)", cwd=work, env=env)
    assert where.stdout.startswith(str(site)), where  # the wheel's accord, not the clone's
    assert python("-m", "accord", "lint", "c.yaml", cwd=work, env=env).returncode == 0
    validate = python("-m", "accord", "validate", "c.yaml", "data.csv", "--format", "json",
                      cwd=work, env=env)  # fmt: skip
    assert validate.returncode == 1, validate.stderr
    assert '"field.type"' in validate.stdout
    schema = python("-m", "accord", "schema", cwd=work, env=env)
    assert schema.returncode == 0 and '"properties"' in schema.stdout
