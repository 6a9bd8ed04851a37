"""``accord validate CONTRACT DATA...``: read, validate, render, and exit 0, 1 or 2."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from accord.cli import spark_run
from accord.cli.arguments import (
    batch_size,
    check_data_arguments,
    check_data_format,
    check_profile,
    parse_as_of,
    parse_refs,
    read_reference_data,
    read_reference_statistics,
)
from accord.cli.common import (
    ENGINE_HELP,
    Exit,
    data_inputs,
    print_contract_warnings,
    timed_from_start,
)
from accord.cli.output import Input, check_destination
from accord.cli.outputs import FORMATS, emit, parse_outputs
from accord.cli.plugins import load_plugins, plugin_option
from accord.contract.loader import load_contract
from accord.engines.registry import FILE_ENGINE, engine_named
from accord.errors import UsageError
from accord.run.io.paths import is_remote
from accord.run.remote import staged as staged_data
from accord.run.remote import unstreamable
from accord.run.sizing import AUTO_BATCH_ROWS, BATCH_ABOVE_BYTES

OUTPUT_HELP = (
    "Write the report to this file, its format from the suffix (.json .html .md .xml .txt) or a "
    "FORMAT: prefix (junit:out.xml, github:-); repeat for several formats from one run."
)


def validate(
    ctx: typer.Context,
    contract: Path = typer.Argument(..., help="The contract file (accord or ODCS v3)."),
    data: list[str] = typer.Argument(
        ..., help="Data files, globs or directories, local or s3://, gs://, abfs://, hf://."
    ),
    object_name: str | None = typer.Option(
        None, "--object", help="ODCS: the schema object to validate, when the file has several."
    ),
    profile: str | None = typer.Option(None, "--profile", help="Validate under this profile."),
    engine: str = typer.Option("auto", "--engine", help=ENGINE_HELP),
    output_format: str | None = typer.Option(
        None, "--format", help=f"One of: {', '.join(FORMATS)} (default text)."
    ),
    output: list[str] = typer.Option([], "--output", help=OUTPUT_HELP),
    github_notices: bool = typer.Option(
        False, "--github-notices", help="With --format github: annotate info items as well."
    ),
    ref: list[str] = typer.Option(
        [], "--ref", help="Reference data: NAME=PATH, PATH local or a URI (repeatable)."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Judge freshness as of this time."),
    max_examples: int = typer.Option(5, "--max-examples", min=0, help="Examples per violation."),
    fail_on: str = typer.Option("error", "--fail-on", help="error or warning."),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="Reference statistics from `accord profile` (a file or a URI): adds drift checks.",
    ),
    data_format: str | None = typer.Option(
        None,
        "--data-format",
        help="csv, parquet, jsonl or arrow (default: the suffix, else source.format).",
    ),
    batch_rows: int | None = typer.Option(
        None,
        "--batch-rows",
        min=0,
        help="Validate N rows at a time, in bounded memory; keys, counts, aggregates and drift "
        f"stay exact over the whole data. Default: batches of {AUTO_BATCH_ROWS:,} when the data "
        f"is over {BATCH_ABOVE_BYTES >> 20} MB in memory or would not fit; 0 reads it whole.",
    ),
    schema_only: bool = typer.Option(
        False,
        "--schema-only",
        help="Read only Parquet/Arrow schemas, CSV headers and the first JSON Lines record: report "
        "missing, unexpected and retyped fields in well under a second; no value is checked.",
    ),
    spark_master: str | None = spark_run.master_option(),
    spark_conf: list[str] = spark_run.conf_option(),
    spark_remote: str | None = spark_run.remote_option(),
    plugin: list[str] = plugin_option(),
) -> int:
    """Validate data against a contract. Exit 0 passed, 1 violated, 2 could not validate."""
    load_plugins(plugin)
    targets = parse_outputs(output, output_format)
    if fail_on not in ("error", "warning"):
        raise UsageError(f"--fail-on takes error or warning, not '{fail_on}'")
    spark = spark_run.settings(spark_master, spark_conf, spark_remote)
    chosen = engine_named(engine, asked_as="--engine")  # an unknown name fails before any read
    moment = parse_as_of(as_of)
    references = parse_refs(ref)
    check_data_arguments(data)
    check_data_format(data_format)
    model = load_contract(contract, object_name=object_name)
    print_contract_warnings(model)
    check_profile(model, profile, contract)
    files = [target.path for target in targets if target.path is not None]
    inputs = _inputs(contract, data, reference, references) if files else []
    for path in files:  # refuse a destination before the work, not after it
        check_destination(path, inputs)
    # Remote data is streamed; a format that cannot be is copied locally until exit.
    stage = unstreamable(
        data_format,
        model.source.format,
        engine_reads_paths=spark_run.distributed(chosen) and not schema_only,
    )
    staged = ctx.with_resource(staged_data(data, stage))
    data = staged.paths
    if not schema_only:  # a schema-only run reads footers and headers here, never with Spark
        spark_run.start(chosen, spark)
    if schema_only:
        # Nothing is read but schemas, so nothing can measure drift or look values up elsewhere:
        # refuse rather than let those checks look passed.
        if reference is not None or ref:
            raise UsageError(
                "--schema-only reads no values, so it cannot measure drift (--reference) or "
                "check references (--ref); drop one of them"
            )
        from accord.run.schema_only import schema_report  # noqa: PLC0415 - loads polars lazily

        report = schema_report(
            data, model, profile=profile, data_format=data_format, fail_on=fail_on
        )
    else:
        report = _run(
            model,
            data,
            engine=engine,
            profile=profile,
            refs=references,
            as_of=moment,
            max_examples=max_examples,
            fail_on=fail_on,
            data_format=data_format,
            reference=read_reference_statistics(reference),
            batch_rows=batch_rows,
        )
        from accord.cli.lines import with_lines  # noqa: PLC0415

        report = with_lines(report, model, data_format)
    report = timed_from_start(staged.restore(report))
    emit(report, targets, github_notices=github_notices, inputs=inputs)
    return Exit.OK if report.passed else Exit.VIOLATED


def _inputs(
    contract: Path, data: list[str], reference: str | None, references: dict[str, str]
) -> list[Input]:
    """Every local file the run reads, none of which ``--output`` may overwrite."""
    inputs = [Input(contract, "the contract"), *data_inputs(data)]
    if reference is not None and not is_remote(reference):
        inputs.append(Input(Path(reference), "the reference statistics (--reference)"))
    inputs += [
        Input(path, f"the reference data --ref {name}")
        for name, path in references.items()
        if not is_remote(path)
    ]
    return inputs


def _run(
    model: Any,
    data: list[str],
    *,
    engine: str,
    profile: str | None,
    refs: dict[str, str],
    as_of: dt.datetime | None,
    max_examples: int,
    fail_on: str,
    data_format: str | None,
    reference: Any,
    batch_rows: int | None,
) -> Any:
    from accord.run.options import RunInput, with_read  # noqa: PLC0415
    from accord.run.runner import run_batched, run_contract  # noqa: PLC0415
    from accord.run.sources import read_dataset  # noqa: PLC0415

    loaded_refs = {name: read_reference_data(name, path, model) for name, path in refs.items()}
    chosen = engine_named(engine, asked_as="--engine")
    rows_per_batch = batch_size(
        batch_rows, data, model, data_format, engine, whole_columns=reference is not None
    )
    common = RunInput(
        engine=chosen if rows_per_batch is None else engine_named(FILE_ENGINE),
        profile=profile,
        references=loaded_refs,
        as_of=as_of,
        max_examples=max_examples,
        fail_on=fail_on,
        reference=reference,
    )
    if rows_per_batch is not None:
        from accord.cli.progress import batch_progress  # noqa: PLC0415
        from accord.run.batches import open_batches  # noqa: PLC0415

        dataset = open_batches(data, model, format=data_format, batch_rows=rows_per_batch)
        batched = replace(
            common,
            sources=[str(path) for path in dataset.files],
            duplicate_columns=list(dataset.duplicate_columns),
            missing_in_files=dict(dataset.missing_in_files),
        )
        with batch_progress(dataset.total_rows) as progress:
            return run_batched(model, dataset, batched, progress=progress)
    found = spark_run.read(chosen, data, model, data_format)
    if found is not None:  # read where it lies, by the engine's own session
        options = spark_run.with_spark_read(common, found)
        frame = found.frame
    else:
        result = read_dataset(data, model, format=data_format)
        options = with_read(common, result)
        frame = chosen.adopt(result.frame)
    options = replace(
        options, references={name: chosen.adopt(data) for name, data in loaded_refs.items()}
    )
    if not spark_run.distributed(chosen):
        return run_contract(model, frame, options)
    with spark_run.spark_errors(chosen, "evaluate the contract"):
        return run_contract(model, frame, options)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
