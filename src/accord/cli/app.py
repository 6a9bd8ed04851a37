"""The typer application and the one place exceptions become exit codes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

from accord.cli import (
    compile_cmd,
    diff_cmd,
    export_cmd,
    import_cmd,
    infer_cmd,
    lint_cmd,
    profile_cmd,
    schema_cmd,
    validate_cmd,
)
from accord.cli.common import Exit, fail, warn
from accord.errors import AccordError

app = typer.Typer(
    name="accord",
    help="Versioned data contracts: validate data, lint and diff contracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on internal errors."),
) -> None:
    """Versioned data contracts for ML and data pipelines."""


for module in (
    lint_cmd,
    compile_cmd,
    schema_cmd,
    validate_cmd,
    diff_cmd,
    infer_cmd,
    profile_cmd,
    export_cmd,
    import_cmd,
):
    module.register(app)


# typer's own answer to KeyboardInterrupt; no accord command returns it (0, 1 and 2 only).
_TYPER_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``accord`` console script. Returns (and exits with) the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="accord", standalone_mode=False)
        code = int(result) if isinstance(result, int) else Exit.OK
        if code == _TYPER_INTERRUPTED:  # typer catches Ctrl-C itself and returns 130
            warn("interrupted; the run did not finish and no report is complete")
            code = Exit.CANNOT_RUN
    except typer.Exit as done:
        code = done.exit_code
    except typer.TyperException as bad_usage:  # click's usage errors, vendored by typer
        show = getattr(bad_usage, "show", None)
        if callable(show):
            show()
        else:
            warn(f"error: {bad_usage.format_message()}")
        code = Exit.CANNOT_RUN
    except typer.Abort:
        warn("aborted")
        code = Exit.CANNOT_RUN
    except AccordError as error:
        try:
            fail(error)
        except typer.Exit as done:
            code = done.exit_code
    except MemoryError:
        warn(
            "error: out of memory; the run did not finish and no report is complete. "
            "Try smaller batches (--batch-rows 100000, say), which keep every rule exact, "
            "--engine polars, or a machine with more memory."
        )
        code = Exit.CANNOT_RUN
    except KeyboardInterrupt:
        warn("interrupted; the run did not finish and no report is complete")
        code = Exit.CANNOT_RUN
    except Exception as error:
        warn(f"internal error: {type(error).__name__}: {error}")
        if debug:
            traceback.print_exc()
        else:
            warn("this is a bug in accord; run again with --debug for the traceback and report it")
        code = Exit.CANNOT_RUN
    if __name__ != "__main__":
        sys.stdout.flush()
    return code


def run() -> None:  # pragma: no cover - exercised through the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
