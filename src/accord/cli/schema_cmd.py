"""``accord schema``: the JSON Schema of the contract format, for editor completion."""

from __future__ import annotations

import json

import typer

from accord.cli.common import say
from accord.contract.json_schema import contract_json_schema


def schema() -> int:
    """Print the JSON Schema of the contract file format."""
    say(json.dumps(contract_json_schema(), indent=2, sort_keys=True))
    return 0


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
