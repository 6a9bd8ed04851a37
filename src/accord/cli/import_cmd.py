"""``accord import FORMAT FILE``: foreign contracts to accord contracts, with an import report.

A format is one row of ``IMPORTERS`` and one function that reads a file into
:class:`ImportedContract` items; writing files, ``-o`` and exit codes are shared. GX suites go
through ``cli.gx_cmds`` (a row of ``SUITE_IMPORTERS``), which may infer types from ``--data``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import typer

from accord.cli import gx_cmds
from accord.cli.common import Exit, say, warn, write_output
from accord.contract.model import NAME_PATTERN
from accord.errors import ContractError, Problem, UsageError


@dataclass(frozen=True)
class ImportOptions:
    object_name: str | None = None
    name: str | None = None
    pii_classifications: frozenset[str] | None = None


@dataclass(frozen=True)
class ImportedContract:
    name: str
    text: str
    """The accord contract as YAML, ready to write."""
    report: str
    """What was mapped, approximated and kept, item by item."""
    warnings: list[str] = field(default_factory=list)


def _odcs(path: Path, options: ImportOptions) -> list[ImportedContract]:
    from accord.interop.odcs.cli import import_file  # noqa: PLC0415 - loads on use

    return [
        ImportedContract(name, text, report, warnings)
        for name, text, report, warnings in import_file(
            path, options.object_name, options.pii_classifications, options.name
        )
    ]


IMPORTERS: dict[str, Callable[[Path, ImportOptions], list[ImportedContract]]] = {
    "odcs": _odcs,
}
SUITE_IMPORTERS: dict[str, Callable[[Path, Path | None, Path | None], int]] = {
    "gx": gx_cmds.import_gx,
}
"""Formats imported from a file (path, output, data file) to an exit code."""
FORMATS = (*IMPORTERS, *SUITE_IMPORTERS)


def import_(
    source_format: str = typer.Argument(..., help=f"One of: {', '.join(FORMATS)}."),
    file: Path = typer.Argument(..., help="The file to import."),
    object_name: str | None = typer.Option(
        None, "--object", help="Import only this object of a file that holds several."
    ),
    name: str | None = typer.Option(
        None,
        "--name",
        help="ODCS: the accord contract name (default: a slug of the object name); one object.",
    ),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="A .yaml/.yml file for one contract, else a directory (created) for <name>.yaml.",
    ),
    pii_classifications: str | None = typer.Option(
        None,
        "--pii-classifications",
        help="ODCS: comma-separated classifications that mark a field pii "
        "(default: confidential,restricted,sensitive,pii,personal,secret).",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="gx: a data file to infer column types the suite does not state."
    ),
) -> int:
    """Import a foreign contract as accord contracts. Exit 0 imported, 2 could not."""
    suite_importer = SUITE_IMPORTERS.get(source_format)
    if suite_importer is not None and name is not None:
        raise UsageError("--name applies to odcs imports; a gx suite names its contract")
    if suite_importer is not None:
        return suite_importer(file, output, data)
    importer = IMPORTERS.get(source_format)
    if importer is None:
        raise UsageError(
            f"unknown import format {source_format!r}; choose one of: {', '.join(FORMATS)}"
        )
    pii = (
        frozenset(c.strip().lower() for c in pii_classifications.split(",") if c.strip())
        if pii_classifications is not None
        else None
    )
    if name is not None and not re.match(NAME_PATTERN, name):
        raise UsageError(
            f"--name {name!r} is not a contract name: a lowercase letter, then lowercase "
            "letters, digits, '_', '.' or '-'"
        )
    contracts = importer(file, ImportOptions(object_name, name, pii))
    to_file = output is not None and output.suffix.lower() in (".yaml", ".yml")
    if len(contracts) > 1 and (output is None or to_file):
        names = ", ".join(c.name for c in contracts)
        raise ContractError(
            [
                Problem(
                    f"holds {len(contracts)} objects ({names}); write them with -o DIRECTORY "
                    "or pick one with --object NAME",
                    source=str(file),
                )
            ],
            source=str(file),
        )
    report = say if output is not None else warn
    # warnings are about the file, so every contract from it carries the same ones
    for line in dict.fromkeys(w for contract in contracts for w in contract.warnings):
        warn(f"warning: {line}")
    for contract in contracts:
        if output is None:
            write_output(contract.text, None)
            target = "stdout"
        else:
            target_path = output if to_file else _directory(output) / f"{contract.name}.yaml"
            write_output(contract.text, target_path)
            target = str(target_path)
        report(contract.report.replace("{target}", target))
    return Exit.OK


def _directory(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        warn(f"error: cannot create the directory {path}: {error.strerror or error}")
        raise typer.Exit(Exit.CANNOT_RUN) from None
    return path


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
