"""GitHub Actions workflow commands: one annotation per error or warning, at the contract line.

    ::error file=contracts/t.yaml,line=44,title=check.failed amount::117 values outside [0, 1000000]

Escaping follows ``@actions/core`` (``escapeData`` for the message, ``escapeProperty`` for
``file`` and ``title``), so a ``%``, newline, ``:`` or ``,`` in data cannot end the command early
or forge a second one. Controls are made visible first, so ANSI codes cannot colour the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.report.codes import Severity
from accord.report.sanitize import format_example, visible_text

if TYPE_CHECKING:
    from accord.report.model import Report, Violation

__all__ = ["escape_data", "escape_property", "render_github"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_ANNOTATION_EXAMPLES = 3


def escape_data(text: str) -> str:
    """``escapeData`` of @actions/core: for the message after ``::``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """``escapeProperty`` of @actions/core: for ``key=value`` properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, *, notices: bool = False) -> str:
    """One workflow command per error and warning (and one more if the run stopped early).

    Info items (skipped checks, undeclared columns of an open contract) become ``::notice``
    annotations only when ``notices`` is true: posted on every run, they bury the real ones.
    """
    lines = [
        _annotation(report, v)
        for v in report.violations
        if notices or v.severity is not Severity.INFO
    ]
    if not report.complete:
        title = escape_property("accord: report incomplete")
        message = (
            f"validation of {report.contract.name} stopped early; only part of the data was checked"
        )
        lines.append(f"::error title={title}::{escape_data(visible_text(message))}")
    return "".join(line + "\n" for line in lines)


def _annotation(report: Report, v: Violation) -> str:
    props: list[str] = []
    if report.contract.path:
        props.append(f"file={escape_property(visible_text(report.contract.path))}")
        if v.contract_line is not None:
            props.append(f"line={v.contract_line}")
    title = str(v.code) if v.field is None else f"{v.code} {visible_text(v.field)}"
    props.append(f"title={escape_property(title)}")
    # Data is made visible first (so it holds no raw newline); the only real newlines are ours,
    # separating examples, and escape_data turns them into %0A for a multi-line annotation.
    message = visible_text(v.message)
    if v.examples:
        shown = [format_example(e) for e in v.examples[:_ANNOTATION_EXAMPLES]]
        message += "\nexamples: " + "; ".join(shown)
    return f"::{_COMMAND[v.severity]} {','.join(props)}::{escape_data(message)}"
