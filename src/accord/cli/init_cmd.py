"""``accord init [DIR] [--from DATA] [--force]``: a contract, a CI workflow and pre-commit hooks.

Nothing is overwritten without ``--force``: every target is checked before any is written, so a
refused run leaves the directory as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from accord import __version__
from accord.cli.common import Exit, say, warn, write_output
from accord.cli.init_templates import PRE_COMMIT, STARTER, WORKFLOW
from accord.errors import UsageError


def init(
    directory: Path = typer.Argument(Path(), help="The project folder (default: here)."),
    data: Path | None = typer.Option(
        None, "--from", help="Draft the contract from this CSV, TSV or Parquet file."
    ),
    name: str | None = typer.Option(
        None, "--name", help="Contract name (default: from the data file, else 'dataset')."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite files that exist."),
) -> int:
    """Scaffold contracts/, a CI workflow and a pre-commit config in DIR."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file; accord init takes a folder")
    if data is not None:
        from accord.infer import infer_contract  # noqa: PLC0415 - loads polars

        contract_text = infer_contract(data, name=name)
        contract_name = _name_of(contract_text)
    else:
        contract_name = name or "dataset"
        contract_text = STARTER.format(name=contract_name, path=f"contracts/{contract_name}.yaml")
    contract = Path("contracts") / f"{contract_name}.yaml"
    sample = _inside(data, directory) or "extract/latest/"  # what CI sees, from the repo root
    files = {
        contract: contract_text,
        Path(".github/workflows/contracts.yml"): WORKFLOW.format(
            version=__version__, validate=f"{contract.as_posix()} {sample}"
        ),
        Path(".pre-commit-config.yaml"): PRE_COMMIT.format(),
    }
    existing = [path for path in files if (directory / path).exists()]
    if existing and not force:
        listed = ", ".join(str(directory / path) for path in existing)
        raise UsageError(f"accord init never overwrites: {listed} exist; add --force to replace")
    for path, text in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_output(text, target)
        say(f"wrote {target}")
    shown = directory / contract
    warn(
        f"next: review {shown} (every check is a draft), then accord lint {shown}"
        + (f" && accord validate {shown} {data}" if data is not None else "")
        + "; `pre-commit install` turns on the hooks"
    )
    return Exit.OK


def _inside(data: Path | None, directory: Path) -> str | None:
    """``data`` relative to the project folder, when it is inside it (CI runs from there)."""
    if data is None:
        return None
    try:
        return data.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return None


def _name_of(text: str) -> str:
    found = re.search(r"^name: (\S+)$", text, re.MULTILINE)
    assert found is not None  # infer always writes a name
    return found.group(1)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
