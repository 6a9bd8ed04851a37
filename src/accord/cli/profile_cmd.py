"""``accord profile CONTRACT DATA... -o stats.json``: reference statistics for drift checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.cli import spark_run
from accord.cli.arguments import (
    batch_size,
    check_data_arguments,
    check_data_format,
    check_profile,
)
from accord.cli.common import ENGINE_HELP, Exit, data_inputs, warn, write_output
from accord.cli.output import Input, check_destination
from accord.cli.plugins import load_plugins, plugin_option
from accord.contract.loader import load_contract
from accord.engines.registry import FILE_ENGINE, engine_named
from accord.run.sizing import AUTO_BATCH_ROWS, BATCH_ABOVE_BYTES

if TYPE_CHECKING:
    from accord.contract.model import ContractModel
    from accord.drift.reference import ReferenceProfile


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
    batch_rows: int | None = typer.Option(
        None,
        "--batch-rows",
        min=0,
        help="Read N rows at a time, in bounded memory; counts, means and frequencies stay "
        'exact, quantiles and bins come from a sketch ("method": "sketch" and its error in the '
        f"stats). Default: batches of {AUTO_BATCH_ROWS:,} when the data is over "
        f"{BATCH_ABOVE_BYTES >> 20} MB in memory or would not fit; 0 reads it whole.",
    ),
    spark_master: str | None = spark_run.master_option(),
    spark_conf: list[str] = spark_run.conf_option(),
    spark_remote: str | None = spark_run.remote_option(),
) -> int:
    """Record reference statistics of a dataset, for `accord validate --reference`."""
    load_plugins(plugin)
    spark = spark_run.settings(spark_master, spark_conf, spark_remote)
    chosen = engine_named(engine, asked_as="--engine")
    check_data_arguments(data)
    check_data_format(data_format)
    model = load_contract(contract)
    check_profile(model, profile, contract)
    inputs = [] if output is None else [Input(contract, "the contract"), *data_inputs(data)]
    if output is not None:  # refuse a destination before the work, not after it
        check_destination(output, inputs)
    from accord.run.remote import staged, unstreamable  # noqa: PLC0415

    # Remote data is streamed; a format that cannot be is copied locally until the end.
    stage = unstreamable(
        data_format, model.source.format, engine_reads_paths=spark_run.distributed(chosen)
    )
    local = ctx.with_resource(staged(data, stage))
    data = local.paths
    rows_per_batch = batch_size(batch_rows, data, model, data_format, engine, command="profiles")
    spark_run.start(chosen, spark)
    if rows_per_batch is None:
        stats = _whole(model, data, data_format, profile, chosen)
    else:
        stats = _batched(model, data, data_format, profile, rows_per_batch)
    text = stats.to_json()
    write_output(text, output, inputs)
    if output is not None:
        warn(
            f"wrote {output}: {len(stats.fields)} fields of {stats.rows:,} rows "
            f"({len(text.encode()) / 1024:.1f} KiB)"
        )
    return Exit.OK


def _whole(
    model: ContractModel, data: list[str], data_format: str | None, profile: str | None, engine: Any
) -> ReferenceProfile:
    from accord.drift.stats import build_profile  # noqa: PLC0415 - loads numpy and pyarrow
    from accord.run.sources import read_dataset  # noqa: PLC0415

    found = spark_run.read(engine, data, model, data_format)
    if found is not None:  # read by Spark where it lies, text typed as accord's readers do
        frame = found.frame
        with spark_run.spark_errors(engine, "read the data"):
            _note_unread(model, found.unread_cells())
    else:
        result = read_dataset(data, model, format=data_format)
        _note_unread(model, {name: cells.height for name, cells in result.cell_failures.items()})
        frame = engine.adopt(result.frame)
    if not spark_run.distributed(engine):
        return build_profile(frame, model, profile=profile, engine=engine)
    with spark_run.spark_errors(engine, "profile the data"):
        return build_profile(frame, model, profile=profile, engine=engine)


def _batched(
    model: ContractModel, data: list[str], data_format: str | None, profile: str | None, rows: int
) -> ReferenceProfile:
    """The profile of the data read ``rows`` at a time, by the engine batches are read in."""
    from accord.drift.profiling import ProfileBuilder  # noqa: PLC0415 - loads numpy and pyarrow
    from accord.run.batches import open_batches  # noqa: PLC0415

    dataset = open_batches(data, model, format=data_format, batch_rows=rows)
    builder = ProfileBuilder(model, engine_named(FILE_ENGINE), profile=profile)
    unread: dict[str, int] = {}
    for batch in dataset.batches():
        builder.add(batch.frame)
        for name, cells in batch.cell_failures.items():
            unread[name] = unread.get(name, 0) + cells.height
    _note_unread(model, unread)
    return builder.profile()


def _note_unread(model: ContractModel, unread: dict[str, int]) -> None:
    # In contract order, so a batched read notes them in the order a whole read does.
    for name, cells in sorted(unread.items(), key=lambda item: list(model.fields).index(item[0])):
        # The statistics count these cells as nulls; say so rather than describe them silently.
        warn(
            f"note: {cells} value(s) of '{name}' could not be read as "
            f"{model.fields[name].type} and count as nulls; `accord validate` shows them"
        )


def register(app: typer.Typer) -> None:
    app.command("profile")(profile_data)
