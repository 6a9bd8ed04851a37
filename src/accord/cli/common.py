"""What every command shares: consoles, problem printing, and the exit-code contract.

Exit codes, for every command (SPEC 5): 0 success, 1 the data or change violates the contract,
2 could not run. Nothing here prints a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
import time
from collections.abc import Iterable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from accord.cli.output import Input, write_file
from accord.engines.registry import AUTO, ENGINE_NAMES, FILE_ENGINE
from accord.errors import AccordError, ContractError, OutputError
from accord.report.sanitize import visible_text

if TYPE_CHECKING:
    from accord.contract.model import ContractModel
    from accord.report.model import Report


class Exit(IntEnum):
    OK = 0
    VIOLATED = 1
    CANNOT_RUN = 2


ENGINE_HELP = f"{AUTO} ({FILE_ENGINE} for files), {', '.join(ENGINE_NAMES)}."
"""The --engine help of every command that reads data."""


_clock: list[tuple[float, dt.datetime]] = []


def start_clock(since: tuple[float, dt.datetime] | None = None) -> None:
    """Note when the command started (``since``, else now); called first thing by ``main``."""
    _clock[:] = [since or (time.perf_counter(), dt.datetime.now(dt.UTC))]


def timed_from_start(report: Report) -> Report:
    """``report`` timed from the command's start to now: what a person waited for (reading the
    contract and data included), not only the checks. Unchanged when no clock was started (the
    command was called directly rather than through ``main``)."""
    if not _clock:
        return report
    clock, started_at = _clock[0]
    return report.model_copy(
        update={"started_at": started_at, "duration_s": time.perf_counter() - clock}
    )


def stdout_is_terminal() -> bool:
    stdout = sys.stdout  # None when the caller closed it (``accord ... >&-``)
    return (
        stdout is not None
        and stdout.isatty()
        and "NO_COLOR" not in os.environ
        and not os.environ.get("CI")
    )


def say(text: str) -> None:
    """Write ``text`` to standard output now. A closed or broken standard output is an
    :class:`OutputError` (exit 2): the result did not reach anyone, so no verdict may be
    claimed, least of all exit 1, which promises a report."""
    stdout = sys.stdout
    if stdout is None:
        raise OutputError(
            "standard output is closed, so the result has nowhere to go; leave it open or, "
            "for a report, write it to a file with --output FILE"
        )
    try:
        stdout.write(text if text.endswith("\n") else text + "\n")
        stdout.flush()  # an error surfaces here, not at exit where nothing can report it
    except OSError as error:
        raise stdout_error(error) from None


def stdout_error(error: OSError) -> OutputError:
    if error.errno == errno.EPIPE:
        return OutputError(
            "standard output was closed before all output was written (broken pipe); "
            "the reader stopped early: read all of it, or write the report with --output FILE"
        )
    return OutputError(
        f"cannot write to standard output: {error.strerror or error}; "
        "write the report with --output FILE instead"
    )


def warn(text: str) -> None:
    """One message on stderr. Messages quote file names, contract keys and data, so every control
    character in a line is shown as an escape: nothing can move the cursor or recolour a log.
    With standard error closed or broken the message is lost, and the exit code still tells."""
    lines = text[:-1] if text.endswith("\n") else text
    stderr = sys.stderr
    if stderr is None:
        return
    try:
        stderr.write("\n".join(visible_text(line) for line in lines.split("\n")) + "\n")
        stderr.flush()
    except (OSError, ValueError):  # ValueError: a stream closed under us
        pass


def print_contract_error(error: ContractError) -> None:
    head = (
        f"error: {len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in "
        f"contract {error.source or '<text>'}"
    )
    warn(head)
    for problem in error.problems:
        warn(f"  {problem}")


def print_contract_warnings(model: ContractModel) -> None:
    """What the loader tolerated in a contract file (ODCS schema problems accord can live with):
    the same lines from every command that reads the contract, on stderr, never in a report."""
    for line in model.origin.warnings:
        warn(f"warning: {line}")


def fail(error: AccordError) -> NoReturn:
    """Print an expected error the way users should read it, and exit 2."""
    if isinstance(error, ContractError):
        print_contract_error(error)
    else:
        warn(f"error: {error}")
    raise typer.Exit(Exit.CANNOT_RUN)


def write_output(text: str, output: Path | None, inputs: Iterable[Input] = ()) -> None:
    """Write to ``output`` (see :mod:`accord.cli.output`: whole, never over one of ``inputs``)
    or to stdout."""
    if output is None:
        say(text)
        return
    write_file(output, text if text.endswith("\n") else text + "\n", inputs)


def data_inputs(data: Iterable[str | Path], role: str = "a data file") -> list[Input]:
    """The files a run reads from DATA arguments: as given and as globs and folders expand, so
    ``--output`` can never land on one of them. Arguments that do not expand are left for the
    read to report in its own words."""
    from accord.errors import DataReadError  # noqa: PLC0415
    from accord.run.io.paths import discover, is_remote  # noqa: PLC0415

    given = [str(item) for item in data]
    found: list[str | Path] = list(given)
    for item in given:
        if is_remote(item):
            continue  # an object store is no place a local --output could land
        try:
            found += discover([item])
        except (DataReadError, OSError):
            continue
    return [Input(path, role) for path in found]
