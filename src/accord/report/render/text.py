"""The terminal report: a summary panel, then one violation table per field.

Every data-derived string goes through ``visible_text`` and into a ``rich.text.Text`` (never into
markup), so a value can neither inject terminal escapes nor rich markup. Colour is decoration
only: the verdict is always spelled out, and colour is off unless the caller asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.report.codes import Severity
from accord.report.render.console import string_console
from accord.report.render.counting import (
    duration,
    group_counts,
    notes_line,
    plural,
    violations_line,
)
from accord.report.sanitize import (
    ROWS_NOTE,
    format_count,
    format_example,
    format_fraction,
    visible_text,
)

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
    console, buffer = string_console(color=color, width=width or DEFAULT_WIDTH)
    console.print(_summary_panel(report))
    if not report.violations:
        console.print("No violations.")
    for field, violations in report.by_field():
        console.print()
        console.print(_group_heading(field, violations), style="bold")
        console.print(_violation_table(violations))
    if any(v.examples for v in report.violations):
        console.print()
        console.print(ROWS_NOTE, style="dim", markup=False, highlight=False)
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
    grid.add_row("violations", Text(violations_line(report)))
    notes = notes_line(report)
    if notes:
        grid.add_row("notes", Text(notes))
    grid.add_row("fail on", Text(report.fail_on))
    started = report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    grid.add_row("run", Text(f"started {started}, took {duration(report.duration_s)}"))
    title = Text(visible_text(f"accord: {contract.name}@{contract.version}"), style="bold")
    return Panel(grid, title=title, title_align="left", border_style=verdict_style, expand=False)


def _data_line(report: Report) -> str:
    dataset = report.dataset
    line = f"{plural(dataset.rows, 'row')}, {plural(dataset.columns, 'column')}"
    if dataset.sources:
        shown = ", ".join(visible_text(s) for s in dataset.sources[:_SHOWN_SOURCES])
        more = len(dataset.sources) - _SHOWN_SOURCES
        line += f" from {shown}" + (f" and {more:,} more" if more > 0 else "")
    return line


def _group_heading(field: str | None, violations: list[Violation]) -> RenderableType:
    from rich.text import Text  # noqa: PLC0415

    label = "dataset" if field is None else f"field {visible_text(field)}"
    return Text(f"{label}: {group_counts(violations)}")


def _violation_table(violations: list[Violation]) -> RenderableType:
    """One block per violation: a header line, the message, then examples, indented.

    A block reads at any terminal width, where a many-column table wraps every cell into a
    narrow strip.
    """
    from rich.console import Group  # noqa: PLC0415
    from rich.padding import Padding  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    blocks: list[RenderableType] = []
    for v in violations:
        head = Text()
        head.append(f"{v.severity!s:<8}", style=_SEVERITY_STYLE[v.severity])
        head.append(f"{v.code!s}")
        check = v.check or ""
        if v.check_name:
            check += f" ({v.check_name})"
        if check:
            head.append(f"  {visible_text(check)}")
        counted = format_count(v.failure_count)
        if counted:
            fraction = format_fraction(v.failure_fraction)
            head.append(f"  {counted} failing" + (f" ({fraction})" if fraction else ""))
        if v.contract_line is not None:
            head.append(f"  contract line {v.contract_line}", style="dim")
        lines: list[RenderableType] = [head, Padding(Text(visible_text(v.message)), (0, 0, 0, 8))]
        examples = [format_example(e) for e in v.examples[:_TABLE_EXAMPLES]]
        if len(v.examples) > _TABLE_EXAMPLES:
            examples.append(f"... {len(v.examples) - _TABLE_EXAMPLES} more in the JSON report")
        lines.extend(Padding(Text(example, style="dim"), (0, 0, 0, 8)) for example in examples)
        blocks.append(Group(*lines))
    return Group(*blocks)
