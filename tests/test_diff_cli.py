"""``accord diff`` as a user runs it: exit codes, messages, formats, files, and git refs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from test_diff_support import FIXTURES, run_cli

OLD = str(FIXTURES / "transactions_2.1.0.yaml")
NEW = str(FIXTURES / "transactions_2.2.0.yaml")


def test_a_change_that_needs_a_bigger_bump_exits_1() -> None:
    code, out, err = run_cli("diff", OLD, NEW)
    assert code == 1
    assert out.startswith("FAILED  transactions 2.1.0 → 2.2.0\n")
    assert err == ""


def test_the_same_change_passes_when_the_mode_allows_it() -> None:
    code, out, _ = run_cli("diff", OLD, NEW, "--mode", "backward", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["mode"], data["passed"], data["required_bump"]) == ("backward", True, "minor")


def test_identical_files_report_no_changes() -> None:
    code, out, _ = run_cli("diff", OLD, OLD)
    assert code == 0
    assert "no changes" in out


def test_different_contracts_exit_1_with_a_clear_message() -> None:
    code, out, _ = run_cli("diff", OLD, str(FIXTURES / "orders_1.0.0.yaml"))
    assert code == 1
    assert "contract names differ: 'transactions' and 'orders'" in out
    assert "Breaking" not in out


def test_a_broken_contract_exits_2_with_every_problem_located() -> None:
    broken = FIXTURES / "broken.yaml"
    code, out, err = run_cli("diff", str(FIXTURES / "orders_1.0.0.yaml"), str(broken))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"error: 2 problems in contract {broken}",
        f"  {broken}:6:5 fields.order_id.type: 'strin' is not one of: string, bool, int8, "
        "int16, int32, int64, uint8, uint16, uint32, uint64, integer, float32, float64, number, "
        "decimal, date, timestamp, time, duration, category, binary, list, struct (did you mean "
        "'string'?)",
        f"  {broken}:7:5 fields.order_id: unknown key 'requried' (did you mean 'required'?)",
    ]


def test_both_sides_broken_report_both(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = run_cli("diff", str(missing), str(FIXTURES / "broken.yaml"))
    assert code == 2
    assert "contract file not found" in err and "unknown key 'requried'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "sideways"], "unknown --mode 'sideways'; choose one of: backward, forward"),
        (["--format", "html"], "unknown --format 'html'; choose one of: text, json, markdown"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    code, out, err = run_cli("diff", OLD, NEW, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_one_file_without_against_exits_2() -> None:
    code, _, err = run_cli("diff", OLD)
    assert code == 2
    assert "accord diff takes two contract files, OLD and NEW (got 1)" in err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "junit"])
def test_output_file_gets_the_rendering(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"diff.{fmt}"
    code, out, _ = run_cli("diff", OLD, NEW, "--format", fmt, "--output", str(target))
    assert (code, out) == (1, "")
    assert "upper bound of amount raised from 1000000 to 5000000" in target.read_text("utf-8")


# -- --against REF ----------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
         *args], cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit holds transactions 2.1.0 and orders 1.0.0."""
    root = tmp_path / "repo"
    (root / "contracts").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copy(FIXTURES / "transactions_2.1.0.yaml", root / "contracts" / "transactions.yaml")
    shutil.copy(FIXTURES / "orders_1.0.0.yaml", root / "contracts" / "orders.yaml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


@needs_git
def test_against_compares_the_working_file_with_the_ref(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "transactions_2.2.0.yaml", repo / "contracts" / "transactions.yaml")
    monkeypatch.chdir(repo / "contracts")  # any directory of the repository works
    code, out, _ = run_cli("diff", "transactions.yaml", "--against", "HEAD", "--format", "json")
    assert code == 1
    [result] = json.loads(out)
    assert result["old"] == {"name": "transactions", "version": "2.1.0"}
    assert result["required_bump"] == "major"
    code, out, _ = run_cli("diff", "transactions.yaml", "--against", "HEAD", "--mode", "backward")
    assert code == 0, out


@needs_git
def test_against_an_unchanged_file_passes(repo: Path) -> None:
    code, out, _ = run_cli("diff", str(repo / "contracts" / "orders.yaml"), "--against", "main")
    assert code == 0
    assert "no changes" in out


@needs_git
def test_against_a_new_contract_passes(repo: Path) -> None:
    shutil.copy(FIXTURES / "payments_1.0.0.yaml", repo / "contracts" / "payments.yaml")
    code, out, _ = run_cli("diff", str(repo / "contracts" / "payments.yaml"), "--against", "HEAD")
    assert code == 0
    assert "payments 1.0.0 (new contract)" in out


@needs_git
def test_against_a_deleted_contract_is_breaking(repo: Path) -> None:
    (repo / "contracts" / "orders.yaml").unlink()
    code, out, _ = run_cli("diff", str(repo / "contracts" / "orders.yaml"), "--against", "HEAD")
    assert code == 1
    assert "orders 1.0.0 (deleted)" in out and "was deleted" in out


@needs_git
def test_against_a_folder_finds_changed_added_and_deleted_contracts(repo: Path) -> None:
    contracts = repo / "contracts"
    (contracts / "orders.yaml").unlink()
    shutil.copy(FIXTURES / "payments_1.0.0.yaml", contracts / "payments.yaml")
    code, out, _ = run_cli("diff", str(contracts), "--against", "HEAD", "--format", "json")
    assert code == 1
    results = json.loads(out)
    # transactions.yaml is unchanged and therefore left out of a folder's report.
    assert [(r["old"] or r["new"])["name"] for r in results] == ["orders", "payments"]
    assert [r["passed"] for r in results] == [False, True]


@needs_git
def test_against_an_unknown_ref_exits_2(repo: Path) -> None:
    code, _, err = run_cli("diff", str(repo / "contracts" / "orders.yaml"), "--against", "v9")
    assert code == 2
    assert "unknown git ref 'v9'" in err


@needs_git
def test_against_a_ref_that_looks_like_an_option_is_refused(repo: Path) -> None:
    path = str(repo / "contracts" / "orders.yaml")
    code, _, err = run_cli("diff", path, "--against=--output=/tmp/x")
    assert code == 2
    assert "invalid git ref '--output=/tmp/x'" in err


@needs_git
def test_against_outside_a_repository_exits_2(tmp_path: Path) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    shutil.copy(FIXTURES / "orders_1.0.0.yaml", lonely / "orders.yaml")
    code, _, err = run_cli("diff", str(lonely / "orders.yaml"), "--against", "HEAD")
    assert code == 2
    assert "is not inside a git repository" in err


@needs_git
def test_against_a_path_that_never_existed_exits_2(repo: Path) -> None:
    code, _, err = run_cli("diff", str(repo / "contracts" / "ghost.yaml"), "--against", "HEAD")
    assert code == 2
    assert "does not exist, neither now nor at HEAD" in err


@needs_git
def test_against_a_broken_old_version_names_the_ref(repo: Path) -> None:
    shutil.copy(FIXTURES / "broken.yaml", repo / "contracts" / "orders.yaml")
    git(repo, "commit", "-qam", "break it")
    shutil.copy(FIXTURES / "orders_1.0.0.yaml", repo / "contracts" / "orders.yaml")
    code, _, err = run_cli("diff", str(repo / "contracts" / "orders.yaml"), "--against", "HEAD")
    assert code == 2
    assert "error: 2 problems in contract HEAD:contracts/orders.yaml" in err


@needs_git
def test_against_the_repository_root_as_a_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FIXTURES / "orders_2.0.0.yaml", repo / "contracts" / "orders.yaml")
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = run_cli("diff", ".", "--against", "HEAD", "--format", "json")
    assert code == 0, out
    [result] = json.loads(out)
    assert (result["old"]["version"], result["new"]["version"]) == ("1.0.0", "2.0.0")
