"""``accord profile CONTRACT DATA... -o stats.json``: reference statistics for drift checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli.common import Exit, warn, write_output
from accord.cli.plugins import load_plugins, plugin_option
from accord.contract.loader import load_contract
from accord.errors import UsageError

ENGINES = ("auto", "pandas", "polars")


def profile_data(
    contract: Path = typer.Argument(..., help="The contract file."),
    data: list[str] = typer.Argument(..., help="Data files, globs or directories."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the statistics here (default: standard output)."
    ),
    engine: str = typer.Option("auto", "--engine", help="auto (polars for files), pandas, polars."),
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
    if engine not in ENGINES:
        raise UsageError(f"unknown --engine '{engine}'; choose one of: {', '.join(ENGINES)}")
    model = load_contract(contract)
    model.check_profile(profile)
    from accord.drift.stats import build_profile  # noqa: PLC0415 - loads numpy and pyarrow
    from accord.run.sources import read_dataset  # noqa: PLC0415

    result = read_dataset(data, model, format=data_format)
    for name, cells in result.cell_failures.items():
        # The statistics count these cells as nulls; say so rather than describe them silently.
        warn(
            f"note: {cells.height} value(s) of '{name}' could not be read as "
            f"{model.fields[name].type} and count as nulls; `accord validate` shows them"
        )
    frame: Any = result.frame
    if engine == "pandas":
        frame = frame.to_pandas(use_pyarrow_extension_array=True)
    stats = build_profile(frame, model, profile=profile)
    text = stats.to_json()
    write_output(text, output)
    if output is not None:
        warn(
            f"wrote {output}: {len(stats.fields)} fields of {stats.rows:,} rows "
            f"({len(text.encode()) / 1024:.1f} KiB)"
        )
    return Exit.OK


def register(app: typer.Typer) -> None:
    app.command("profile")(profile_data)
