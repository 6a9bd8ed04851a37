"""GitHub-flavoured Markdown, for PR comments and ``$GITHUB_STEP_SUMMARY``.

Data goes into table cells only after every control is made visible and every character that
Markdown would interpret (``|`` ends a cell, ``<`` starts HTML, ``*``/``_``/`` ` `` format, ``$``
starts maths on GitHub, ``[`` starts a link) is backslash-escaped, so a value is shown exactly as
it is and can never break the table or inject markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from accord.report.render.counting import duration, notes_line, plural, violations_line
from accord.report.sanitize import (
    ROWS_NOTE,
    format_count,
    format_example,
    format_fraction,
    visible_text,
)

if TYPE_CHECKING:
    from accord.report.model import Report, Violation

__all__ = ["render_markdown"]

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that mean
# something inside a table cell (block-level markers such as # or - do not apply there).
_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>|~&$!])")
_TABLE_EXAMPLES = 3
_VIOLATION_HEADER = (
    "severity",
    "field",
    "code",
    "check",
    "failures",
    "examples",
    "message",
    "line",
)


def _md(text: str) -> str:
    return _SPECIAL_RE.sub(r"\\\1", visible_text(text))


def _row(cells: tuple[str, ...] | list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def render_markdown(report: Report) -> str:
    """Render ``report`` as Markdown: verdict heading, summary table, violations table."""
    contract = report.contract
    if not report.complete:
        verdict = "⚠️ INCOMPLETE"
    else:
        verdict = "✅ PASSED" if report.passed else "❌ FAILED"
    lines = [f"## {verdict}: contract {_md(contract.name)} {_md(contract.version)}", ""]
    if not report.complete:
        lines += ["> **Validation stopped early: only part of the data was checked.**", ""]
    lines += _table(("summary", ""), _summary_rows(report))
    lines.append("")
    ordered = _ordered(report)
    failures = [v for v in ordered if v.category == "failure"]
    others = [v for v in ordered if v.category != "failure"]
    if failures:
        lines += ["### Violations", ""]
        lines += _table(_VIOLATION_HEADER, [_violation_row(v) for v in failures])
    else:
        lines.append("No violations.")
    if others:
        lines += ["", "### Skipped checks and notes", ""]
        lines += _table(_VIOLATION_HEADER, [_violation_row(v) for v in others])
    if any(v.examples for v in report.violations):
        lines += ["", f"_{ROWS_NOTE}_"]
    return "\n".join(lines) + "\n"


def _summary_rows(report: Report) -> list[list[str]]:
    contract, dataset, summary = report.contract, report.dataset, report.summary
    where = f" ({_md(contract.path)})" if contract.path else ""
    return [
        ["contract", f"{_md(contract.name)} {_md(contract.version)}{where}"],
        ["profile", _md(report.profile) if report.profile else "(none)"],
        ["engine", _md(report.engine)],
        ["sources", "<br>".join(_md(s) for s in dataset.sources) or "(none)"],
        ["data", f"{plural(dataset.rows, 'row')}, {plural(dataset.columns, 'column')}"],
        [
            "checks",
            f"{summary.checks:,} ({summary.passed:,} passed, {summary.failed:,} failed, "
            f"{summary.skipped:,} skipped)",
        ],
        ["violations", violations_line(report)],
        *([["notes", notes]] if (notes := notes_line(report)) else []),
        ["fails on", report.fail_on],
        ["started", report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["duration", duration(report.duration_s)],
    ]


def _ordered(report: Report) -> list[Violation]:
    return [v for _, group in report.by_field() for v in group]


def _violation_row(v: Violation) -> list[str]:
    check = v.check or ""
    if v.check_name:
        check += f" ({v.check_name})"
    failures = format_count(v.failure_count)
    if v.failure_fraction is not None:
        failures += f" ({_md(format_fraction(v.failure_fraction))})"  # "<0.0001%"
    examples = [_md(format_example(e)) for e in v.examples[:_TABLE_EXAMPLES]]
    if len(v.examples) > _TABLE_EXAMPLES:
        examples.append(f"… {len(v.examples) - _TABLE_EXAMPLES} more")
    return [
        str(v.severity),
        "(dataset)" if v.field is None else _md(v.field),
        f"`{v.code}`",
        _md(check),
        failures,
        "<br>".join(examples),
        _md(v.message),
        "" if v.contract_line is None else str(v.contract_line),
    ]
