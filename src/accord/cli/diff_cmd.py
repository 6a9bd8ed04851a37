"""``accord diff OLD NEW`` and ``accord diff CONTRACT... --against REF`` (SPEC section 4).

Exit 0 when every change fits its version bump, 1 when one does not (bump too small, content
changed without a version change, version went down, names differ, contract deleted), 2 when
the diff could not run. Nothing here imports a dataframe library: diff must start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli.common import (
    Exit,
    fail,
    print_contract_error,
    print_contract_warnings,
    stdout_is_terminal,
    write_output,
)
from accord.cli.diff_deleted import CONTRACT_KEY
from accord.cli.output import Input, check_destination
from accord.cli.plugins import load_plugins, plugin_option
from accord.diff.names import FORMAT_NAMES as FORMATS
from accord.diff.names import MODES
from accord.errors import AccordError, ContractError, UsageError

if TYPE_CHECKING:
    from accord.contract.model import ContractModel
    from accord.diff import ContractDiff
    from accord.diff.git import Revision


def diff(
    contracts: list[Path] = typer.Argument(
        ..., help="OLD NEW contract files; with --against, the contracts (or folders) to check."
    ),
    against: str | None = typer.Option(
        None, "--against", help="Compare each contract with its version at this git ref."
    ),
    mode: str | None = typer.Option(
        None, "--mode", help="backward, forward, full or none (default: the new contract's)."
    ),
    output_format: str = typer.Option("text", "--format", help=f"One of: {', '.join(FORMATS)}."),
    output: Path | None = typer.Option(None, "--output", help="Write the result to this file."),
    plugin: list[str] = plugin_option(),
    object_name: str | None = typer.Option(
        None, "--object", help="ODCS: compare this schema object of both files."
    ),
) -> None:
    """List each change between contract versions, its direction, and the bump it needs."""
    inputs = [Input(path, "a contract") for path in contracts]
    try:
        load_plugins(plugin)
        _check_options(mode, output_format)
        if output is not None:  # refuse a destination before the work, not after it
            check_destination(output, inputs)
        if against is None:
            diffs = [_compare_files(contracts, mode, object_name)]
        else:
            diffs = _compare_with_ref(contracts, against, mode, read=inputs)
        color = output_format == "text" and output is None and stdout_is_terminal()
        from accord.diff.render import render  # noqa: PLC0415 - loaded when a diff runs

        text = render(diffs, output_format, color=color, many=against is not None)
    except AccordError as error:
        fail(error)
    write_output(text, output, inputs)
    # Raised rather than returned so the exit code holds however the typer app is run.
    raise typer.Exit(Exit.OK if all(d.passed for d in diffs) else Exit.VIOLATED)


def _check_options(mode: str | None, output_format: str) -> None:
    if mode is not None and mode not in MODES:
        raise UsageError(f"unknown --mode {mode!r}; choose one of: {', '.join(MODES)}")
    if output_format not in FORMATS:
        raise UsageError(f"unknown --format {output_format!r}; choose one of: {', '.join(FORMATS)}")


def _load_all(
    sources: list[tuple[str, Path | str]], object_name: str | None = None
) -> list[ContractModel]:
    from accord.contract.loader import load_contract, load_text  # noqa: PLC0415

    """Load every contract, printing every problem of every file before giving up (exit 2)."""
    loaded: list[ContractModel] = []
    broken = False
    for label, source in sources:
        try:
            if isinstance(source, Path):
                loaded.append(load_contract(source, object_name=object_name))
            else:
                loaded.append(load_text(source, source=label))
            print_contract_warnings(loaded[-1])
        except ContractError as error:
            print_contract_error(error)
            broken = True
    if broken:
        raise typer.Exit(Exit.CANNOT_RUN)
    return loaded


def _compare_files(
    contracts: list[Path], mode: str | None, object_name: str | None
) -> ContractDiff:
    from accord.diff import compare  # noqa: PLC0415

    if len(contracts) != 2:
        raise UsageError(
            f"accord diff takes two contract files, OLD and NEW (got {len(contracts)}); "
            "to compare with git history use: accord diff CONTRACT... --against REF"
        )
    old, new = _load_all([(str(path), path) for path in contracts], object_name)
    return compare(old, new, mode=mode)


def _compare_with_ref(
    contracts: list[Path], ref: str, mode: str | None, *, read: list[Input]
) -> list[ContractDiff]:
    """The diff of each contract with its version at ``ref``; every file compared is added to
    ``read``, so the result is never written over one of them."""
    from accord.cli.diff_deleted import deleted_siblings, expand, is_pattern  # noqa: PLC0415
    from accord.diff import compare, contract_added, contract_removed  # noqa: PLC0415
    from accord.diff.git import Repository  # noqa: PLC0415

    diffs: list[ContractDiff] = []
    checked: set[Path] = set()
    files = [given for given in contracts if not given.is_dir() and not is_pattern(given)]
    for given in [*contracts, *deleted_siblings(files, ref)]:
        repository = Repository.containing(given)
        if repository.root not in checked:  # one check per repository, not one per file
            repository.check_ref(ref)
            checked.add(repository.root)
        expanded = given.is_dir() or is_pattern(given)
        if given.is_dir():
            paths = repository.contracts(given, ref)
        else:
            paths = expand(given, repository, ref) if expanded else [given]
        for path in paths:
            read.append(Input(path, "a contract"))
            before = repository.read(path, ref)
            exists = path.is_file()
            if before is None and not exists:
                raise UsageError(f"{path} does not exist, neither now nor at {ref}")
            if expanded and _skip(before, _text(path) if exists else None):
                continue
            if before is None:
                diffs.append(contract_added(_load_all([(str(path), path)])[0], mode=mode))
            elif not exists:
                old = _load_all([(before.label, before.text)])[0]
                diffs.append(contract_removed(old, mode=mode))
            else:
                old, new = _load_all([(before.label, before.text), (str(path), path)])
                diffs.append(compare(old, new, mode=mode))
    return diffs


def _text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the loader reports it properly


def _skip(before: Revision | None, now: str | None) -> bool:
    """In a folder, only changed contracts are of interest, and only YAML that is a contract
    (a workflow or compose file beside them has no top-level ``accord:`` key)."""
    then = before.text if before is not None else None
    if then == now:
        return True
    return not any(text is not None and CONTRACT_KEY.search(text) for text in (then, now))


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
