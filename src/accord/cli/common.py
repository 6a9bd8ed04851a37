"""What every command shares: consoles, problem printing, and the exit-code contract.

Exit codes, for every command (SPEC 5): 0 success, 1 the data or change violates the contract,
2 could not run. Nothing here prints a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from accord.engines.registry import AUTO, ENGINE_NAMES, FILE_ENGINE
from accord.errors import AccordError, ContractError
from accord.report.sanitize import visible_text

if TYPE_CHECKING:
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
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and not os.environ.get("CI")


def say(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def warn(text: str) -> None:
    """One message on stderr. Messages quote file names, contract keys and data, so every control
    character in a line is shown as an escape: nothing can move the cursor or recolour a log."""
    lines = text[:-1] if text.endswith("\n") else text
    sys.stderr.write("\n".join(visible_text(line) for line in lines.split("\n")) + "\n")


def print_contract_error(error: ContractError) -> None:
    head = (
        f"error: {len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in "
        f"contract {error.source or '<text>'}"
    )
    warn(head)
    for problem in error.problems:
        warn(f"  {problem}")


def fail(error: AccordError) -> NoReturn:
    """Print an expected error the way users should read it, and exit 2."""
    if isinstance(error, ContractError):
        print_contract_error(error)
    else:
        warn(f"error: {error}")
    raise typer.Exit(Exit.CANNOT_RUN)


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` whole (via a temporary file, so a failure never leaves half a report)
    or to stdout."""
    if output is None:
        say(text)
        return
    temporary = output.with_name(f".{output.name}.accord-tmp")
    try:
        temporary.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        temporary.replace(output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        warn(f"error: cannot write {output}: {error.strerror or error}")
        raise typer.Exit(Exit.CANNOT_RUN) from None
