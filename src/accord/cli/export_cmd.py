"""``accord export CONTRACT --to FORMAT``: a contract in another tool's format.

Each format is one function in ``FORMATS`` (contract path, profile, output, strict) -> exit code,
so formats from different modules meet in one command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from accord.cli import gx_cmds
from accord.cli.common import Exit, warn

Exporter = Callable[[Path, str | None, Path | None, bool], int]
FORMATS: dict[str, Exporter] = {"gx": gx_cmds.export_gx}


def export(
    contract: Path = typer.Argument(..., help="The contract file."),
    to: str = typer.Option(..., "--to", help=f"Target format: {', '.join(FORMATS)}."),
    profile: str | None = typer.Option(
        None, "--profile", help="Export the contract as this profile sees it."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write here instead of stdout."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 2 when a check cannot be expressed in the target format."
    ),
) -> int:
    """Write the contract in another format; what it cannot express is listed on stderr."""
    exporter = FORMATS.get(to)
    if exporter is None:
        warn(f"error: unknown format {to!r} for --to; choose one of {', '.join(FORMATS)}")
        return Exit.CANNOT_RUN
    return exporter(contract, profile, output, strict)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
