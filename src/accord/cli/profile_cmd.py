"""``accord profile CONTRACT DATA... -o stats.json``: reference statistics for drift checks."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.arguments import check_data_arguments, check_data_format, check_profile
from accord.cli.common import ENGINE_HELP, Exit, data_inputs, warn, write_output
from accord.cli.output import Input, check_destination
from accord.cli.plugins import load_plugins, plugin_option
from accord.contract.loader import load_contract
from accord.engines.registry import engine_named


def profile_data(
    ctx: typer.Context,
    contract: Path = typer.Argument(..., help="The contract file."),
    data: list[str] = typer.Argument(
        ..., help="Data files, globs or directories, local or s3://, gs://, abfs://, hf://."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the statistics here (default: standard output)."
    ),
    engine: str = typer.Option("auto", "--engine", help=ENGINE_HELP),
    profile: str | None = typer.Option(
        None, "--profile", help="Describe the data under this contract profile (e.g. training)."
    ),
    data_format: str | None = typer.Option(
        None,
        "--data-format",
        help="csv, parquet, jsonl or arrow (default: the suffix, else source.format).",
    ),
    plugin: list[str] = plugin_option(),
) -> int:
    """Record reference statistics of a dataset, for `accord validate --reference`."""
    load_plugins(plugin)
    chosen = engine_named(engine, asked_as="--engine")
    check_data_arguments(data)
    check_data_format(data_format)
    model = load_contract(contract)
    check_profile(model, profile, contract)
    inputs = [] if output is None else [Input(contract, "the contract"), *data_inputs(data)]
    if output is not None:  # refuse a destination before the work, not after it
        check_destination(output, inputs)
    from accord.drift.stats import build_profile  # noqa: PLC0415 - loads numpy and pyarrow
    from accord.run.remote import staged  # noqa: PLC0415
    from accord.run.sources import read_dataset  # noqa: PLC0415

    local = ctx.with_resource(staged(data))  # remote data: local copies until the command ends
    result = read_dataset(local.paths, model, format=data_format)
    for name, cells in result.cell_failures.items():
        # The statistics count these cells as nulls; say so rather than describe them silently.
        warn(
            f"note: {cells.height} value(s) of '{name}' could not be read as "
            f"{model.fields[name].type} and count as nulls; `accord validate` shows them"
        )
    frame = chosen.adopt(result.frame)
    stats = build_profile(frame, model, profile=profile, engine=chosen)
    text = stats.to_json()
    write_output(text, output, inputs)
    if output is not None:
        warn(
            f"wrote {output}: {len(stats.fields)} fields of {stats.rows:,} rows "
            f"({len(text.encode()) / 1024:.1f} KiB)"
        )
    return Exit.OK


def register(app: typer.Typer) -> None:
    app.command("profile")(profile_data)
