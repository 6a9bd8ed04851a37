"""``accord export CONTRACT --to FORMAT``: a contract in another tool's format.

A format is one row of ``EXPORTERS`` and one function from a loaded contract to text plus the
warnings that say what the format cannot hold; writing, ``-o`` and exit codes are shared. GX
suites go through ``cli.gx_cmds`` (a row of ``SUITE_EXPORTERS``): they also take ``--profile`` and
``--strict``, and list what they cannot express in the suite itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli import gx_cmds
from accord.cli.common import Exit, print_contract_warnings, warn, write_output
from accord.contract.loader import load_contract
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.contract.model import ContractModel


@dataclass(frozen=True)
class ExportOptions:
    engine: str = "pandas"
    odcs_version: str = "3.1.0"


@dataclass(frozen=True)
class Exported:
    text: str
    warnings: list[str] = field(default_factory=list)
    """One line per thing the format cannot hold, printed to stderr."""


def _odcs(model: ContractModel, options: ExportOptions) -> Exported:
    from accord.interop.odcs.cli import export_text  # noqa: PLC0415 - loads on use

    text, warnings = export_text(model, options.odcs_version)
    return Exported(text, warnings)


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
SUITE_EXPORTERS: dict[str, Callable[[Path, str | None, Path | None, bool], int]] = {
    "gx": gx_cmds.export_gx,
}
"""Formats exported from the contract file (path, profile, output, strict) to an exit code."""
FORMATS = (*EXPORTERS, *SUITE_EXPORTERS)
ODCS = ("3.1.0", "3.0.2")
"""ODCS versions ``--odcs-version`` writes, the default first."""


def export(
    contract: Path = typer.Argument(..., help="The contract file (accord or ODCS)."),
    to: str = typer.Option(..., "--to", help=f"One of: {', '.join(FORMATS)}."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file."),
    object_name: str | None = typer.Option(
        None, "--object", help="The object to export from an ODCS file that holds several."
    ),
    engine: str = typer.Option("pandas", "--engine", help="pandera-yaml: pandas or polars."),
    odcs_version: str = typer.Option(
        "3.1.0", "--odcs-version", help=f"odcs: the ODCS version to write ({', '.join(ODCS)})."
    ),
    profile: str | None = typer.Option(
        None, "--profile", help="gx: export the contract as this profile sees it."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="gx: exit 2 when a check cannot be expressed in the suite."
    ),
) -> int:
    """Write a contract in another format. Exit 0 written, 2 could not."""
    suite_exporter = SUITE_EXPORTERS.get(to)
    if suite_exporter is not None:
        return suite_exporter(contract, profile, output, strict)
    exporter = EXPORTERS.get(to)
    if exporter is None:
        raise UsageError(f"unknown export format {to!r}; choose one of: {', '.join(FORMATS)}")
    version = odcs_version.lstrip("v")
    if version not in ODCS:
        raise UsageError(
            f"--odcs-version {odcs_version!r} is not one accord writes; choose one of: "
            f"{', '.join(ODCS)}"
        )
    if version != ODCS[0] and to != "odcs":
        raise UsageError("--odcs-version applies to --to odcs only")
    model = load_contract(contract, object_name=object_name)
    print_contract_warnings(model)
    done = exporter(model, ExportOptions(engine=engine, odcs_version=version))
    for line in done.warnings:
        warn(f"warning: {line}")
    write_output(done.text, output)
    return Exit.OK


def register(app: typer.Typer) -> None:
    app.command("export")(export)
