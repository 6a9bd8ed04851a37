"""``accord compile CONTRACT``: the pandera schema that runs, printed for people."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.api import load
from accord.cli.arguments import check_profile
from accord.cli.common import say
from accord.cli.plugins import load_plugins, plugin_option
from accord.engines.registry import ENGINE_NAMES, engine_named


def compile_contract(
    contract: Path = typer.Argument(..., help="The contract file."),
    engine: str = typer.Option("pandas", "--engine", help=", ".join(ENGINE_NAMES) + "."),
    profile: str | None = typer.Option(None, "--profile", help="Apply this profile first."),
    plugin: list[str] = plugin_option(),
) -> int:
    """Show the pandera schema a contract compiles to."""
    load_plugins(plugin)
    from accord.compile.show import describe_schema  # noqa: PLC0415 - loads pandera

    engine_named(engine)  # an unknown name fails before any work
    loaded = load(contract)
    check_profile(loaded.model, profile, contract)
    schema = loaded.to_pandera(engine=engine, profile=profile)
    say(describe_schema(schema, engine=engine))
    return 0


def register(app: typer.Typer) -> None:
    app.command("compile")(compile_contract)
