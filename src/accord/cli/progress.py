"""A progress bar for long validations, on a terminal only: never in CI, a pipe or a log file.

It goes to stderr, so a report on stdout stays clean even on a terminal, and it is transient:
once the run ends the bar disappears and only the report remains.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def progress_wanted() -> bool:
    """A bar helps a person at a terminal; CI logs and pipes would only collect its redraws."""
    return (
        sys.stderr is not None  # None when the caller closed it
        and sys.stderr.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
        and "ACCORD_NO_PROGRESS" not in os.environ
    )


@contextmanager
def batch_progress(total_rows: int | None) -> Iterator[Callable[[int, int], None] | None]:
    """A callback ``(rows, batches)`` that moves a bar of ``total_rows`` (a spinner and a row
    count when the total is unknown, as for CSV), or None when no bar is wanted."""
    if not progress_wanted():
        yield None
        return
    from rich.console import Console  # noqa: PLC0415 - only a terminal run draws
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("validating"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TextColumn("{task.fields[batches]} batches"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("validate", total=total_rows, batches=0)

        def advance(rows: int, batches: int) -> None:
            bar.update(task, completed=rows, batches=batches)

        yield advance
