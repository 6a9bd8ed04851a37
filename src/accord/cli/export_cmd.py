"""``accord export CONTRACT --to FORMAT``: a contract in another tool's format.

A format is one row of ``EXPORTERS`` and one function from a loaded contract to text plus the
warnings that say what the format cannot hold; writing, ``-o`` and exit codes are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli.common import Exit, warn, write_output
from accord.contract.loader import load_contract
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.contract.model import ContractModel


@dataclass(frozen=True)
class ExportOptions:
    engine: str = "pandas"


@dataclass(frozen=True)
class Exported:
    text: str
    warnings: list[str] = field(default_factory=list)
    """One line per thing the format cannot hold, printed to stderr."""


def _odcs(model: ContractModel, options: ExportOptions) -> Exported:  # noqa: ARG001
    from accord.interop.odcs.cli import export_text  # noqa: PLC0415 - loads on use

    return Exported(export_text(model))


def _jsonschema(model: ContractModel, options: ExportOptions) -> Exported:  # noqa: ARG001
    from accord.interop.jsonschema import record_schema_text  # noqa: PLC0415

    text, warnings = record_schema_text(model)
    return Exported(text, warnings)


def _pandera_yaml(model: ContractModel, options: ExportOptions) -> Exported:
    from accord.interop.pandera_yaml import pandera_yaml  # noqa: PLC0415 - loads pandera

    text, warnings = pandera_yaml(model, engine=options.engine)
    return Exported(text, warnings)


EXPORTERS: dict[str, Callable[[ContractModel, ExportOptions], Exported]] = {
    "odcs": _odcs,
    "jsonschema": _jsonschema,
    "pandera-yaml": _pandera_yaml,
}


def export(
    contract: Path = typer.Argument(..., help="The contract file (accord or ODCS)."),
    to: str = typer.Option(..., "--to", help=f"One of: {', '.join(EXPORTERS)}."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file."),
    object_name: str | None = typer.Option(
        None, "--object", help="The object to export from an ODCS file that holds several."
    ),
    engine: str = typer.Option("pandas", "--engine", help="pandera-yaml: pandas or polars."),
) -> int:
    """Write a contract in another format. Exit 0 written, 2 could not."""
    exporter = EXPORTERS.get(to)
    if exporter is None:
        raise UsageError(f"unknown export format {to!r}; choose one of: {', '.join(EXPORTERS)}")
    model = load_contract(contract, object_name=object_name)
    done = exporter(model, ExportOptions(engine=engine))
    for line in done.warnings:
        warn(f"warning: {line}")
    write_output(done.text, output)
    return Exit.OK


def register(app: typer.Typer) -> None:
    app.command("export")(export)
