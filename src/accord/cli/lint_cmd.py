"""``accord lint CONTRACT...``: every problem of every contract, with file:line:column."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import Exit, print_contract_error, print_contract_warnings, say
from accord.cli.plugins import load_plugins, plugin_option
from accord.contract.loader import load_contract
from accord.errors import ContractError


def lint(
    contracts: list[Path] = typer.Argument(..., help="Contract files to check."),
    plugin: list[str] = plugin_option(),
) -> int:
    """Check contracts: exit 0 when all are valid, 2 when any is not."""
    load_plugins(plugin)
    invalid = 0
    for path in contracts:
        try:
            contract = load_contract(path)
        except ContractError as error:
            print_contract_error(error)
            invalid += 1
            continue
        print_contract_warnings(contract)
        say(f"ok: {path} ({contract.name}@{contract.version}, {len(contract.fields)} fields)")
    return Exit.CANNOT_RUN if invalid else Exit.OK


def register(app: typer.Typer) -> None:
    app.command("lint")(lint)
