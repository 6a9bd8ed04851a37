"""Command-line arguments checked and read in the user's terms.

The layers below speak of "data" and "a profile"; here every message names the option the
user typed, the file it names, and what to do, so a bad argument reads as one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import DataReadError, UsageError

if TYPE_CHECKING:
    from accord.contract.model import ContractModel


def check_profile(model: ContractModel, profile: str | None, contract: Path) -> None:
    """``--profile`` must name a profile of the contract file."""
    if profile is None or profile in model.profiles:
        return
    known = ", ".join(model.profiles)
    fix = "give --profile one of them" if known else "drop --profile"
    raise UsageError(
        f"contract {contract} ('{model.name}') has no profile '{profile}' "
        f"(profiles: {known or 'none'}); {fix}"
    )


def check_data_arguments(data: list[str]) -> None:
    """An empty DATA argument would read the current folder: refuse it instead."""
    for position, item in enumerate(data, start=1):
        if not item.strip():
            raise UsageError(
                f"DATA argument {position} is empty; name a data file, a glob or a folder"
            )


def check_data_format(data_format: str | None) -> None:
    from accord.run.io.common import FORMATS  # noqa: PLC0415 - loads polars, as reading does

    if data_format is not None and data_format not in FORMATS:
        raise UsageError(
            f"unknown --data-format {data_format!r}; choose one of: {', '.join(FORMATS)}, "
            "or leave it out to go by each file's suffix"
        )


def parse_as_of(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of takes an ISO 8601 time such as 2026-11-27T02:00:00Z, not {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_refs(items: list[str]) -> dict[str, str]:
    references = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise UsageError(
                f"--ref takes NAME=PATH, such as --ref airlines=data/airlines.csv, not {item!r}"
            )
        if name in references:
            raise UsageError(f"--ref {name} is given twice; give each reference once")
        references[name] = path
    return references


def read_reference_statistics(given: str | None) -> Any:
    """The statistics of ``--reference`` (a file, or one object on remote storage), read
    before any data so a wrong file fails fast."""
    if given is None:
        return None
    from accord.drift.compare import load_reference  # noqa: PLC0415 - drift loads lazily
    from accord.run.io.paths import is_remote  # noqa: PLC0415

    path = Path(given)
    try:
        if is_remote(given):
            from accord.run.remote import remote_files  # noqa: PLC0415

            found = remote_files(given)
            if len(found) != 1:
                raise DataReadError(f"names {len(found)} files, not one stats file")
            path = found[0]
        return load_reference(path)
    except DataReadError as error:
        reason = {"No such file or directory": "not found", "Is a directory": "is a folder"}.get(
            error.reason, error.reason
        )
        raise UsageError(
            f"--reference {given}: cannot read the reference statistics: {reason}; give the "
            "JSON file that `accord profile CONTRACT DATA -o FILE` wrote"
        ) from None


def read_reference_data(name: str, path: str, model: ContractModel) -> Any:
    """The data of ``--ref NAME=PATH``, as a polars frame read with the contract's options."""
    from accord.run.sources import read_dataset  # noqa: PLC0415 - loads polars

    if name not in model.references:
        known = ", ".join(model.references) or "none"
        raise UsageError(
            f"--ref {name}: the contract declares no reference '{name}' (references: {known})"
        )
    try:
        # Reference files are read as they are: the contract's read options, every column as
        # read (a contract with no fields of its own would be invalid).
        return read_dataset([path], model, format=None).frame
    except DataReadError as error:
        where = error.path or path
        raise DataReadError(
            f"--ref {name}={path}: cannot read the reference data {where}: {error.reason}; "
            "give the path of a readable data file"
        ) from None


def batch_size(
    requested: int | None,
    data: list[str],
    model: ContractModel,
    data_format: str | None,
    engine: str,
    *,
    command: str = "validates",
    whole_columns: bool = True,
) -> int | None:
    """Rows per batch (``--batch-rows``), or None to read the data whole: as asked, else batches
    only when the data is large or would not fit in memory. ``whole_columns``: the run takes
    statistics of whole columns (a profile, drift), exact only when read whole; without them,
    Parquet goes in batches from a smaller size (``sizing.PROJECT_ABOVE_BYTES``)."""
    from accord.engines.registry import AUTO, FILE_ENGINE, engine_named  # noqa: PLC0415

    if requested == 0:
        return None
    if requested is not None:
        if not engine_named(engine).batched:
            raise UsageError(
                f"--batch-rows {command} on the {FILE_ENGINE} engine; drop --engine {engine} or "
                "--batch-rows"
            )
        return requested
    if engine != AUTO and not engine_named(engine).batched:
        return None  # asked for by name: the whole frame, as that engine holds it
    from accord.run import sizing  # noqa: PLC0415
    from accord.run.io.common import dataset_files  # noqa: PLC0415

    files, kind = dataset_files(data, model, data_format)
    return sizing.auto_batch_rows(
        sizing.in_memory_bytes(files, kind),
        sizing.available_bytes(),
        kind=kind,
        whole_columns=whole_columns,
    )
