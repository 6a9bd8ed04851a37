"""``accord import FORMAT FILE``: another tool's rules as an accord contract.

Each format is one function in ``FORMATS`` (input path, output, data file) -> exit code, so
formats from different modules meet in one command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from accord.cli import gx_cmds
from accord.cli.common import Exit, warn

Importer = Callable[[Path, Path | None, Path | None], int]
FORMATS: dict[str, Importer] = {"gx": gx_cmds.import_gx}


def import_(
    format_: str = typer.Argument(
        ..., metavar="FORMAT", help=f"Source format: {', '.join(FORMATS)}."
    ),
    source: Path = typer.Argument(..., help="The file to import (a GX suite JSON, ...)."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the contract here instead of stdout."
    ),
    data: Path | None = typer.Option(
        None, "--data", help="A data file to infer column types the source does not state."
    ),
) -> int:
    """Write an accord contract from another format; what has no accord form is listed on
    stderr and kept in the contract under an x- key."""
    importer = FORMATS.get(format_)
    if importer is None:
        warn(f"error: unknown format {format_!r}; choose one of {', '.join(FORMATS)}")
        return Exit.CANNOT_RUN
    return importer(source, output, data)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
