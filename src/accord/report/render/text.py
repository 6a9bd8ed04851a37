"""The terminal report: a summary panel, then one violation table per field.

Every data-derived string goes through ``visible_text`` and into a ``rich.text.Text`` (never into
markup), so a value can neither inject terminal escapes nor rich markup. Colour is decoration
only: the verdict is always spelled out, and colour is off unless the caller asks for it.
"""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from accord.report.model import Severity
from accord.report.sanitize import format_count, format_example, format_fraction, visible_text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.report.model import Report, Violation

__all__ = ["render_text"]

# Width when the output is not a terminal: fixed, so files and golden tests are stable.
DEFAULT_WIDTH = 120
# Examples shown per violation in the table; the JSON report carries all of them.
_TABLE_EXAMPLES = 3
# Sources listed in the summary before "and N more" (a glob can match thousands of files).
_SHOWN_SOURCES = 3
_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_text(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render ``report`` for a terminal; ANSI colour only when ``color`` is true.

    ``width`` defaults to 120 columns; the CLI passes the terminal's width on a TTY.
    """
    # rich is imported here, not at module level, to keep `import accord` light.
    from rich.console import Console  # noqa: PLC0415

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    console.print(_summary_panel(report))
    if not report.violations:
        console.print("No violations.")
    for field, violations in report.by_field():
        console.print()
        console.print(_group_heading(field, violations), style="bold")
        console.print(_violation_table(violations))
    # rich pads table cells to the full width; trailing blanks only get in the way of copying,
    # diffing and golden files.
    return "\n".join(line.rstrip(" ") for line in buffer.getvalue().split("\n"))


def _verdict(report: Report) -> tuple[str, str]:
    if not report.complete:
        return (
            "INCOMPLETE (validation stopped early; only part of the data was checked)",
            "bold red",
        )
    return ("PASSED", "bold green") if report.passed else ("FAILED", "bold red")


def _summary_panel(report: Report) -> RenderableType:
    from rich.panel import Panel  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    contract, summary = report.contract, report.summary
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    verdict, verdict_style = _verdict(report)
    grid.add_row("result", Text(verdict, style=verdict_style))
    name = f"{contract.name} {contract.version}"
    if contract.path:
        name += f" ({contract.path})"
    grid.add_row("contract", Text(visible_text(name)))
    grid.add_row("profile", Text(visible_text(report.profile or "(none)")))
    grid.add_row("engine", Text(visible_text(report.engine)))
    grid.add_row("data", Text(_data_line(report)))
    grid.add_row(
        "checks",
        Text(
            f"{summary.checks:,}: {summary.passed:,} passed, {summary.failed:,} failed, "
            f"{summary.skipped:,} skipped"
        ),
    )
    grid.add_row(
        "found",
        Text(
            f"{summary.errors:,} errors, {summary.warnings:,} warnings, "
            f"{summary.failing_rows:,} failing rows"
        ),
    )
    grid.add_row("fail on", Text(report.fail_on))
    started = report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    grid.add_row("run", Text(f"started {started}, took {report.duration_s:.2f} s"))
    title = Text(visible_text(f"accord: {contract.name}@{contract.version}"), style="bold")
    return Panel(grid, title=title, title_align="left", border_style=verdict_style, expand=False)


def _data_line(report: Report) -> str:
    dataset = report.dataset
    line = f"{dataset.rows:,} rows, {dataset.columns:,} columns"
    if dataset.sources:
        shown = ", ".join(visible_text(s) for s in dataset.sources[:_SHOWN_SOURCES])
        more = len(dataset.sources) - _SHOWN_SOURCES
        line += f" from {shown}" + (f" and {more:,} more" if more > 0 else "")
    return line


def _group_heading(field: str | None, violations: list[Violation]) -> RenderableType:
    from rich.text import Text  # noqa: PLC0415

    label = "dataset" if field is None else f"field {visible_text(field)}"
    count = len(violations)
    return Text(f"{label}: {count} violation{'' if count == 1 else 's'}")


def _violation_table(violations: list[Violation]) -> RenderableType:
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("code", no_wrap=True)
    table.add_column("check", overflow="fold")
    table.add_column("count", justify="right", no_wrap=True)
    table.add_column("fraction", justify="right", no_wrap=True)
    table.add_column("examples", overflow="fold", ratio=3)
    table.add_column("message", overflow="fold", ratio=4)
    table.add_column("line", justify="right", no_wrap=True)
    for v in violations:
        check = v.check or ""
        if v.check_name:
            check += f" ({v.check_name})"
        examples = [format_example(e) for e in v.examples[:_TABLE_EXAMPLES]]
        if len(v.examples) > _TABLE_EXAMPLES:
            examples.append(f"... {len(v.examples) - _TABLE_EXAMPLES} more in the JSON report")
        table.add_row(
            Text(str(v.severity), style=_SEVERITY_STYLE[v.severity]),
            Text(str(v.code)),
            Text(visible_text(check)),
            Text(format_count(v.failure_count)),
            Text(format_fraction(v.failure_fraction)),
            Text("\n".join(examples)),
            Text(visible_text(v.message)),
            Text("" if v.contract_line is None else str(v.contract_line)),
        )
    return table
