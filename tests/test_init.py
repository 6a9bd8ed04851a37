"""``accord init``, and the pre-commit hooks it and the repository ship (issue 16)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from accord import __version__
from accord.cli.app import main
from accord.cli.init_templates import PRE_COMMIT, WORKFLOW

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "examples" / "transactions.csv"
SCAFFOLD = [
    Path("contracts/dataset.yaml"),
    Path(".github/workflows/contracts.yml"),
    Path(".pre-commit-config.yaml"),
]
needs_tools = pytest.mark.skipif(
    shutil.which("git") is None
    or shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
    reason="needs git and pre-commit",
)


def test_init_writes_a_valid_starter_a_workflow_and_hooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "proj")]) == 0
    out = capsys.readouterr().out
    for path in SCAFFOLD:
        assert (tmp_path / "proj" / path).is_file()
        assert f"wrote {tmp_path / 'proj' / path}" in out
    assert main(["lint", str(tmp_path / "proj" / SCAFFOLD[0])]) == 0
    workflow = yaml.safe_load((tmp_path / "proj" / SCAFFOLD[1]).read_text())
    [action] = [s for s in workflow["jobs"]["contracts"]["steps"] if "accord@" in s.get("uses", "")]
    assert action["uses"].endswith(f"@v{__version__}")
    assert "contracts/dataset.yaml extract/latest/" in action["with"]["validate"]
    hooks = yaml.safe_load((tmp_path / "proj" / SCAFFOLD[2]).read_text())["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["accord-lint", "accord-diff"]


def test_init_from_data_drafts_a_contract_the_data_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "orders.csv"
    data.write_text("order_id,status,amount\n1,open,9.5\n2,closed,12\n3,open,3.25\n")
    project = tmp_path / "proj"
    assert main(["init", str(project), "--from", str(data)]) == 0
    contract = project / "contracts" / "orders.yaml"
    assert "order_id" in contract.read_text()
    # The data is outside the project, so CI cannot see it: the workflow names a placeholder.
    assert "contracts/orders.yaml extract/latest/" in (project / SCAFFOLD[1]).read_text()
    inside = project / "data" / "orders.csv"
    inside.parent.mkdir()
    inside.write_bytes(data.read_bytes())
    assert main(["init", str(project), "--from", str(inside), "--force"]) == 0
    assert "contracts/orders.yaml data/orders.csv" in (project / SCAFFOLD[1]).read_text()
    capsys.readouterr()
    assert main(["validate", str(contract), str(data)]) == 0


def test_init_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []  # mine\n")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "accord init never overwrites" in err and ".pre-commit-config.yaml" in err
    assert not (tmp_path / "contracts").exists()  # checked before anything was written
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []  # mine\n"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert "accord-lint" in (tmp_path / ".pre-commit-config.yaml").read_text()
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file")]) == 2


def test_the_scaffold_matches_the_shipped_examples() -> None:
    shipped = WORKFLOW.format(
        version=__version__, validate="contracts/transactions.yaml extract/latest/"
    )
    assert shipped == (ROOT / "examples" / "ci" / "contracts.yml").read_text()
    local = {h["id"]: h for h in yaml.safe_load(PRE_COMMIT.format())["repos"][0]["hooks"]}
    published = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(local) == set(published) == {"accord-lint", "accord-diff"}
    for hook_id, hook in published.items():
        for key in ("entry", "language", "files", "require_serial"):
            assert local[hook_id][key] == hook[key], (hook_id, key)


def run(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
    }  # fmt: skip
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository scaffolded by ``accord init --from`` and committed."""
    root = tmp_path / "proj"
    root.mkdir()
    home = tmp_path / "pre-commit-home"
    assert run(["git", "init", "-q", "-b", "main"], root, home).returncode == 0
    data = tmp_path / "clean.csv"
    data.write_text("id,kind,score\n1,a,0.5\n2,b,0.25\n3,a,0.75\n4,b,1\n5,a,0\n6,a,2\n")
    assert (
        run(
            [sys.executable, "-m", "accord", "init", "--from", str(data), "--name", "scores"],
            root,
            home,
        ).returncode
        == 0
    )
    assert run(["git", "add", "-A"], root, home).returncode == 0
    assert run(["git", "commit", "-q", "-m", "scaffold"], root, home).returncode == 0
    return root


def tighten(project: Path) -> None:
    """A breaking change without a version bump: a category disappears."""
    contract = project / "contracts" / "scores.yaml"
    contract.write_text(contract.read_text().replace("in: [a, b]", "in: [a]"))
    run(["git", "add", "-A"], project, project.parent / "pre-commit-home")


@needs_tools
def test_the_scaffolded_hooks_lint_and_catch_a_breaking_change(project: Path) -> None:
    home = project.parent / "pre-commit-home"
    done = run(["pre-commit", "run", "--all-files"], project, home)
    assert done.returncode == 0, done.stdout + done.stderr
    tighten(project)
    done = run(["pre-commit", "run"], project, home)
    assert done.returncode == 1
    assert "accord lint (data contracts)" in done.stdout and "Passed" in done.stdout
    assert "FAILED  scores 0.1.0 → 0.1.0" in done.stdout


@needs_tools
def test_the_published_hooks_work_through_try_repo(project: Path) -> None:
    """``pre-commit try-repo`` on this repository: the way a user first tries its hooks."""
    home = project.parent / "pre-commit-home"
    done = run(["pre-commit", "try-repo", str(ROOT), "accord-lint", "--all-files"], project, home)
    assert done.returncode == 0, done.stdout + done.stderr
    tighten(project)
    done = run(["pre-commit", "try-repo", str(ROOT), "accord-diff"], project, home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "declares no bump" in done.stdout or "required bump" in done.stdout
