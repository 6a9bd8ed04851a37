"""``accord infer DATA [--name N] [-o FILE]``: a draft contract from a data file.

polars loads inside the command only, so the rest of the CLI (lint, diff) stays light.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import Exit, fail, write_output
from accord.cli.output import Input, check_destination
from accord.errors import AccordError


def infer(
    data: Path = typer.Argument(..., help="A CSV, TSV or Parquet file."),
    name: str | None = typer.Option(
        None, "--name", help="Contract name (default: from the file name)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the draft contract to this file."
    ),
) -> None:
    """Draft a contract from data: types, nulls, keys, ranges and categories, for review."""
    from accord.infer import infer_contract  # noqa: PLC0415 - loads polars

    inputs = [Input(data, "the data file")]
    try:
        if output is not None:  # refuse a destination before the work, not after it
            check_destination(output, inputs)
        text = infer_contract(data, name=name)
    except AccordError as error:
        fail(error)
    write_output(text, output, inputs)
    raise typer.Exit(Exit.OK)


def register(app: typer.Typer) -> None:
    app.command("infer")(infer)
