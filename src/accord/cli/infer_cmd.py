"""``accord infer DATA [--name N] [-o FILE] [--ranges] [--force]``: a draft contract from data.

polars loads inside the command only, so the rest of the CLI (lint, diff) stays light.
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import Exit, fail, warn, write_output
from accord.cli.output import Input, check_destination
from accord.errors import AccordError, UsageError


def infer(
    data: Path = typer.Argument(..., help="A CSV, TSV or Parquet file."),
    name: str | None = typer.Option(
        None, "--name", help="Contract name (default: from the file name)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the draft contract to this file (never over one)."
    ),
    ranges: bool = typer.Option(
        False,
        "--ranges",
        help="Add each numeric column's observed range as a check (off: the next period's "
        "values may lie outside this sample's).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the --output file."),
) -> None:
    """Draft a contract from data: types, nulls, keys and categories, for review."""
    from accord.infer import infer_contract  # noqa: PLC0415 - loads polars

    inputs = [Input(data, "the data file")]
    try:
        if output is not None:  # refuse a destination before the work, not after it
            check_destination(output, inputs)
            if output.exists() and not force:
                raise UsageError(
                    f"{output} exists; accord infer never overwrites a contract: choose another "
                    "-o file, or add --force to replace it"
                )
        text = infer_contract(data, name=name, ranges=ranges)
    except AccordError as error:
        fail(error)
    write_output(text, output, inputs)
    if output is not None:
        fields = sum(1 for line in text.splitlines() if line.startswith("    type:"))
        warn(
            f"wrote {output}: a draft contract of {fields} fields from {data}; review it, then "
            f"`accord lint {output}` and `accord validate {output} {data}`"
        )
    raise typer.Exit(Exit.OK)


def register(app: typer.Typer) -> None:
    app.command("infer")(infer)
