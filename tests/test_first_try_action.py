"""The composite action's scripts, run as GitHub runs them (``bash -eo pipefail``), against a
real git repository, with the ``accord`` of this checkout on PATH (issue 16)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from test_diff_cli import git, needs_git

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step.get("name"): step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
LINT = "Lint contracts"
DIFF = "Contract changes declare the bump they need"
VALIDATE = "Validate data"


def run_step(name: str, cwd: Path, inputs: dict[str, str], tmp: Path) -> tuple[int, str, Path]:
    """One step's script, its ``env`` expressions resolved as the runner would."""
    values = {f"inputs.{k}": v["default"] for k, v in ACTION["inputs"].items()}
    values |= {f"inputs.{k}": v for k, v in inputs.items()}
    values |= {"github.action_path": str(ROOT), "github.base_ref": "main"}
    step = STEPS[name]
    env = {k: EXPRESSION.sub(lambda m: values[m.group(1)], str(v)) for k, v in step["env"].items()}
    summary = tmp / "summary.md"
    summary.touch()
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp),
        "HOME": os.environ.get("HOME", str(tmp)),
    }
    script = tmp / "step.sh"
    script.write_text(step["run"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr, summary


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "contracts").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copy(ROOT / "contracts" / "transactions.yaml", root / "contracts" / "transactions.yaml")
    shutil.copy(ROOT / "examples" / "transactions.csv", root / "transactions.csv")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def test_the_action_declares_what_its_steps_read() -> None:
    used: set[str] = set()
    for step in ACTION["runs"]["steps"]:
        used |= set(re.findall(r"inputs\.([\w-]+)", json.dumps(step)))
        # Inputs reach scripts through env only: never spliced into shell text.
        assert "${{" not in step.get("run", "")
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])


@needs_git
def test_lint_passes_a_valid_contract_and_annotates_a_broken_one(
    repo: Path, tmp_path: Path
) -> None:
    code, out, _ = run_step(LINT, repo, {}, tmp_path)
    assert code == 0, out
    assert "ok: contracts/transactions.yaml" in out
    path = repo / "contracts" / "transactions.yaml"
    path.write_text(path.read_text().replace("type: float64", "type: flaot64", 1))
    code, out, _ = run_step(LINT, repo, {}, tmp_path)
    assert code == 2
    assert "::add-matcher::" in out
    matcher = json.loads((tmp_path / "accord-lint-matcher.json").read_text())
    pattern = matcher["problemMatcher"][0]["pattern"][0]
    hits = [m for line in out.splitlines() if (m := re.match(pattern["regexp"], line))]
    assert hits, out
    assert hits[0].group(1) == "contracts/transactions.yaml"
    assert "flaot64" in hits[0].group(4)


@needs_git
def test_lint_without_a_contract_fails_with_a_message(repo: Path, tmp_path: Path) -> None:
    code, out, _ = run_step(LINT, repo, {"contracts": "nope/*.yaml"}, tmp_path)
    assert code == 2
    assert "no contract matches 'nope/*.yaml'" in out


@needs_git
def test_diff_catches_a_breaking_change_and_writes_the_summary(repo: Path, tmp_path: Path) -> None:
    inputs = {"base-ref": "main"}
    code, out, summary = run_step(DIFF, repo, inputs, tmp_path)
    assert code == 0, out
    path = repo / "contracts" / "transactions.yaml"
    path.write_text(path.read_text().replace("nullable: true\n    role: id", "role: id", 1))
    code, out, summary = run_step(DIFF, repo, inputs, tmp_path)
    assert code == 1, out
    assert "::error" in out
    assert "transactions" in summary.read_text()


@needs_git
def test_validate_fails_on_violations_with_annotations(repo: Path, tmp_path: Path) -> None:
    inputs = {"validate": "contracts/transactions.yaml transactions.csv\n\n"}
    code, out, summary = run_step(VALIDATE, repo, inputs, tmp_path)
    assert code == 1, out
    assert "::error file=contracts/transactions.yaml,line=" in out
    assert "field.type" in summary.read_text()
    inputs["validate-args"] = "--profile nosuch"
    code, out, _ = run_step(VALIDATE, repo, inputs, tmp_path)
    assert code == 2
    assert "nosuch" in out
