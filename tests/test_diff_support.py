"""Helpers shared by the ``test_diff_*`` modules: contracts built from a base plus patches.

A test names only what differs between two versions (``{"fields.amount.nullable": False}``), so
each case reads as the change it is about. The helpers are tested here too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import typer
import yaml
from typer.testing import CliRunner

from accord.cli import diff_cmd, infer_cmd
from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.diff import Change, ContractDiff, compare

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
GOLDEN = Path(__file__).parent / "golden" / "diff"
DELETE = object()

BASE: dict[str, Any] = {
    "accord": 1,
    "name": "orders",
    "version": "1.0.0",
    "fields": {
        "order_id": {"type": "int64"},
        "amount": {
            "type": "float64",
            "nullable": True,
            "checks": [{"between": {"min": 0, "max": 1000}}],
        },
        "currency": {"type": "string", "checks": [{"in": ["EUR", "USD"]}]},
        "country": {"type": "string", "checks": [{"pattern": "^[A-Z]{2}$"}]},
        "ordered_on": {"type": "date"},
        "created_at": {"type": "timestamp", "tz": "UTC"},
    },
}


def _split(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def patched(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``base`` with each dotted path set (``fields.amount.checks.0.between.max``) or deleted."""
    data = copy.deepcopy(base)
    for path, value in patch.items():
        *parents, last = _split(path)
        node: Any = data
        for part in parents:
            if isinstance(node, dict) and part not in node:
                node[part] = {}
            node = node[part]
        if value is DELETE:
            del node[last]
        elif isinstance(node, list) and last == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    return data


def text_of(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def load(data: dict[str, Any], source: str | None = None) -> ContractModel:
    return load_text(text_of(data), source=source)


def diff_of(
    old_patch: dict[str, Any] | None = None,
    new_patch: dict[str, Any] | None = None,
    *,
    base: dict[str, Any] | None = None,
    mode: str | None = None,
) -> ContractDiff:
    """Compare ``base`` + ``old_patch`` (version 1.0.0) with ``base`` + ``new_patch`` (2.0.0)."""
    start = base if base is not None else BASE
    old = patched(start, {"version": "1.0.0", **(old_patch or {})})
    new = patched(start, {"version": "2.0.0", **(new_patch or {})})
    return compare(load(old), load(new), mode=mode)


def only(result: ContractDiff) -> Change:
    assert len(result.changes) == 1, [c.model_dump() for c in result.changes]
    return result.changes[0]


def cli_app() -> typer.Typer:
    """A typer app with just the commands under test, wired as the lead wires them."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """accord (test app)"""

    diff_cmd.register(app)
    infer_cmd.register(app)
    return app


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli_app(), list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_patched_sets_appends_and_deletes() -> None:
    data = patched(BASE, {"fields.amount.checks.1": {"max_null_fraction": 0.1}})
    assert data["fields"]["amount"]["checks"][1] == {"max_null_fraction": 0.1}
    data = patched(BASE, {"fields.amount.nullable": DELETE, "dataset.columns": "closed"})
    assert "nullable" not in data["fields"]["amount"]
    assert data["dataset"] == {"columns": "closed"}
    assert BASE["fields"]["amount"]["nullable"] is True  # the base is never changed


def test_base_contract_loads_and_equal_versions_have_no_changes() -> None:
    assert load(BASE).name == "orders"
    result = diff_of()
    assert result.changes == []
    assert result.passed
