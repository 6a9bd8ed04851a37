"""The typer application and the one place exceptions become exit codes."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer

from accord.cli import LOADED
from accord.cli.common import Exit, fail, start_clock, stdout_error, warn
from accord.cli.version import show_version
from accord.errors import AccordError

COMMANDS: dict[str, str] = {
    "lint": "lint_cmd",
    "compile": "compile_cmd",
    "schema": "schema_cmd",
    "validate": "validate_cmd",
    "diff": "diff_cmd",
    "export": "export_cmd",
    "import": "import_cmd",
    "infer": "infer_cmd",
    "profile": "profile_cmd",
    "init": "init_cmd",
    "render": "render_cmd",
}
"""Command name to the module under ``accord.cli`` that defines it, in the order of ``--help``."""


def build_app(only: str | None = None) -> typer.Typer:
    """The typer application with every command, or with the command ``only`` alone.

    A run names its command, so ``main`` registers just that one: importing every command
    module (the GX and ODCS converters, the report renderers, ...) took about a third of a
    second before a small ``accord validate`` could start."""
    app = typer.Typer(
        name="accord",
        help="Versioned data contracts: validate data, lint and diff contracts.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, pwsh
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_root)
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"accord.cli.{module}").register(app)
    return app


def _root(
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on internal errors."),
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=show_version,
        help="Show accord's version and the libraries it runs on, and exit.",
    ),
) -> None:
    """Versioned data contracts for ML and data pipelines."""


def command_of(args: Sequence[str]) -> str | None:
    """The command ``args`` run, when its name comes first after the root options (which are
    flags only); else None, and every command is registered (``--help``, a misspelt name)."""
    first = next((arg for arg in args if not arg.startswith("-")), None)
    return first if first in COMMANDS else None


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole application, for whoever imports it by name
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_COMPLETION_OPTIONS = frozenset({"--show-completion", "--install-completion"})
"""typer's completion options: they print or install a script and exit 0 before any command."""

# typer's own answer to KeyboardInterrupt; no accord command returns it (0, 1 and 2 only).
_TYPER_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None, *, started: tuple[float, Any] | None = None) -> int:
    """Entry point of the ``accord`` console script. Returns (and exits with) the exit code.

    The one guard of the process: whatever happens, the exit code is 0, 1 or 2 and no traceback
    reaches the user unless ``--debug`` asks for it. Exit 1 means "here is a report of what the
    data broke", so nothing but a written report may produce it. ``started``: when the command
    began, for the run time reports show (default: now)."""
    start_clock(started)
    args = list(sys.argv[1:] if argv is None else argv)
    code = _dispatch(args, debug="--debug" in args)
    stdout = sys.stdout
    if stdout is not None:
        try:
            stdout.flush()
        except OSError as error:
            if code != Exit.CANNOT_RUN:  # else the failure that stopped the run is told already
                warn(f"error: {stdout_error(error)}")
            code = Exit.CANNOT_RUN
    return code


def _dispatch(args: list[str], *, debug: bool) -> int:
    streams = sys.stdout, sys.stderr
    try:
        result = build_app(command_of(args))(args=args, prog_name="accord", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as bad_usage:  # click's usage errors, vendored by typer
        show = getattr(bad_usage, "show", None)
        if callable(show) and sys.stderr is not None:
            show()
        else:
            warn(f"error: {bad_usage.format_message()}")
        return Exit.CANNOT_RUN
    except typer.Abort:
        warn("aborted")
        return Exit.CANNOT_RUN
    except AccordError as error:
        try:
            fail(error)
        except typer.Exit as done:
            return done.exit_code
    except MemoryError:
        warn(
            "error: out of memory; the run did not finish and no report is complete. "
            "Try smaller batches (--batch-rows 100000, say), which keep every rule exact, "
            "--engine polars, or a machine with more memory."
        )
        return Exit.CANNOT_RUN
    except KeyboardInterrupt:
        warn("interrupted; the run did not finish and no report is complete")
        return Exit.CANNOT_RUN
    except SystemExit as stop:
        # No accord command calls sys.exit; typer does when writing help or an error to a
        # closed pipe, with exit 1 (which here would claim "violated") and stdout swapped for a
        # wrapper. Put the streams back and answer like any other unfinished output. The one
        # deliberate exit is typer's after printing or installing the shell completion script.
        sys.stdout, sys.stderr = streams
        if stop.code in (0, None) and _COMPLETION_OPTIONS.intersection(args):
            return Exit.OK
        cause = stop.__context__
        if isinstance(cause, OSError):
            warn(f"error: {stdout_error(cause)}")
        else:
            _internal(stop, debug=debug)
        return Exit.CANNOT_RUN
    except BaseException as error:  # the one place every failure becomes exit 2
        # Exception and what native extensions raise beside it (a polars/pyo3 PanicException
        # is a BaseException): a bug, never a verdict on the data.
        _internal(error, debug=debug)
        return Exit.CANNOT_RUN
    code = int(result) if isinstance(result, int) else Exit.OK
    if code == _TYPER_INTERRUPTED:  # typer catches Ctrl-C itself and returns 130
        warn("interrupted; the run did not finish and no report is complete")
        return Exit.CANNOT_RUN
    return code


def _internal(error: BaseException, *, debug: bool) -> None:
    warn(f"internal error: {type(error).__name__}: {error}")
    if debug and sys.stderr is not None:
        traceback.print_exception(error, file=sys.stderr)
    else:
        warn("this is a bug in accord: run again with --debug for the traceback, and report it")


def _reserve_standard_descriptors() -> None:
    """Give a closed stdin, stdout or stderr ``/dev/null``, as well-behaved programs do: else the
    next file opened takes its number, and whatever writes to "standard error" (a native
    library's panic message, say) writes into that file, which may be the report."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)


def _silence_broken_stdout() -> None:
    """After a broken pipe, Python's own flush at exit would print "Exception ignored ..."; point
    the descriptor at ``/dev/null`` so the message already given is the only one."""
    stdout = sys.stdout
    if stdout is None:
        return
    try:
        stdout.flush()
    except (OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stdout.fileno())
        os.close(null)


def run() -> None:  # pragma: no cover - exercised through the console script
    _reserve_standard_descriptors()
    code = main(started=LOADED)
    _silence_broken_stdout()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
