"""``accord render REPORT.json``: render a saved report again, in any format, without the data.

The file is checked against the report's model (from which the shipped JSON Schema is generated)
before anything is rendered, so a truncated or hand-edited report is exit 2 with the place that is
wrong, never a half-rendered page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli.common import Exit
from accord.cli.outputs import FORMATS, emit, parse_outputs
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.report.model import Report

_SHOWN_PROBLEMS = 5


def read_report(path: Path) -> Report:
    """The report saved in ``path``; :class:`UsageError` names the file, place and fix."""
    from pydantic import ValidationError  # noqa: PLC0415

    from accord.report.model import Report  # noqa: PLC0415

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read report {path}: {error.strerror or error}") from None
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a JSON report: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); render takes "
            "the file written by `accord validate --output report.json`"
        ) from None
    if not isinstance(data, dict) or "report_version" not in data:
        raise UsageError(
            f"{path} is not an accord report (no report_version); render takes the file written "
            "by `accord validate --output report.json`"
        )
    if data["report_version"] != 1:
        raise UsageError(
            f"{path} has report_version {data['report_version']!r}; this accord reads version 1"
        )
    try:
        return Report.model_validate(data)
    except ValidationError as error:
        problems = [
            f"  {'.'.join(str(p) for p in item['loc']) or '(top level)'}: {item['msg']}"
            for item in error.errors()
        ]
        more = len(problems) - _SHOWN_PROBLEMS
        shown = problems[:_SHOWN_PROBLEMS] + ([f"  ... and {more} more"] if more > 0 else [])
        raise UsageError(
            f"{path} does not match the report JSON Schema (`accord validate` writes it; was it "
            "edited?):\n" + "\n".join(shown)
        ) from None


def render(
    report_file: Path = typer.Argument(..., help="A JSON report saved by `accord validate`."),
    output_format: str | None = typer.Option(
        None, "--format", help=f"One of: {', '.join(FORMATS)} (default text)."
    ),
    output: list[str] = typer.Option(
        [], "--output", help="Write to this file ([FORMAT:]PATH, repeatable), as for validate."
    ),
    github_notices: bool = typer.Option(
        False, "--github-notices", help="With --format github: annotate info items as well."
    ),
) -> int:
    """Render a saved JSON report again. Exit 0 it passed, 1 it failed, 2 could not render."""
    targets = parse_outputs(output, output_format)
    report = read_report(report_file)
    emit(report, targets, github_notices=github_notices)
    return Exit.OK if report.passed else Exit.VIOLATED


def register(app: typer.Typer) -> None:
    app.command("render")(render)
