"""``accord diff contracts/*.yaml --against REF`` catches a contract deleted since REF (issue 16).

The shell expands the glob to the files that exist now, so the deleted one is never named.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_diff_cli import git, needs_git
from test_diff_support import FIXTURES, run_cli


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "contracts").mkdir(parents=True)
    (root / "ci").mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copy(FIXTURES / "transactions_2.1.0.yaml", root / "contracts" / "transactions.yaml")
    shutil.copy(FIXTURES / "orders_1.0.0.yaml", root / "contracts" / "orders.yaml")
    (root / "contracts" / "compose.yaml").write_text("services: {}\n")  # not a contract
    shutil.copy(FIXTURES / "orders_1.0.0.yaml", root / "ci" / "orders.yaml")  # another folder
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def names(out: str) -> list[str]:
    return [(r["old"] or r["new"])["name"] for r in json.loads(out)]


@needs_git
def test_the_glob_form_catches_a_deleted_contract(repo: Path) -> None:
    contracts = repo / "contracts"
    (contracts / "orders.yaml").unlink()
    (contracts / "compose.yaml").unlink()
    (repo / "ci" / "orders.yaml").unlink()  # not beside the files given: not this run's business
    expanded = sorted(str(p) for p in contracts.glob("*.yaml"))  # what the shell passes
    code, out, _ = run_cli("diff", *expanded, "--against", "HEAD", "--format", "json")
    assert code == 1
    assert sorted(names(out)) == ["orders", "transactions"]
    deleted = next(r for r in json.loads(out) if r["new"] is None)
    assert deleted["old"]["name"] == "orders" and not deleted["passed"]


@needs_git
def test_the_glob_form_passes_when_nothing_was_deleted(repo: Path) -> None:
    (repo / "contracts" / "compose.yaml").unlink()  # a deleted non-contract is no change
    expanded = sorted(str(p) for p in (repo / "contracts").glob("*.yaml"))
    code, out, _ = run_cli("diff", *expanded, "--against", "HEAD")
    assert code == 0, out


@needs_git
def test_a_glob_that_matches_nothing_now_is_expanded_at_the_ref(repo: Path) -> None:
    contracts = repo / "contracts"
    for path in contracts.glob("*.yaml"):
        path.unlink()
    # The shell leaves an unmatched glob as it is; so does a quoted one.
    code, out, err = run_cli(
        "diff", str(contracts / "*.yaml"), "--against", "HEAD", "--format", "json"
    )
    assert code == 1, err
    assert sorted(names(out)) == ["orders", "transactions"]
    assert all(r["new"] is None for r in json.loads(out))
