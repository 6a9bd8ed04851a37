"""One self-contained HTML5 page: inline CSS, no scripts, no external assets.

Every data-derived string is made visible (controls escaped) and then ``html.escape``-d, so a
value such as ``<script>`` is shown, never run, and the file can be attached to a CI run or mailed.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from accord.report.sanitize import (
    ROWS_NOTE,
    format_count,
    format_example,
    format_fraction,
    visible_text,
)

if TYPE_CHECKING:
    from accord.report.model import Report, Violation

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}
table.summary{width:auto}table.summary th{width:10rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.verdict{padding:.15rem .5rem;border-radius:.3rem;color:#fff}
.passed{background:#1a7f37}.failed{background:#cf222e}.incomplete{background:#9a6700}
.sev-error{color:#cf222e;font-weight:600}.sev-warning{color:#9a6700;font-weight:600}
.sev-info{color:#0969da}
ul.examples{margin:0;padding-left:1rem}
""".strip()
_TABLE_EXAMPLES = 5


def _h(text: str) -> str:
    return escape(visible_text(text), quote=True)


def render_html(report: Report) -> str:
    """Render ``report`` as a standalone HTML page."""
    contract = report.contract
    title = _h(f"accord: {contract.name} {contract.version}")
    if not report.complete:
        verdict = '<span class="verdict incomplete">INCOMPLETE</span>'
    elif report.passed:
        verdict = '<span class="verdict passed">PASSED</span>'
    else:
        verdict = '<span class="verdict failed">FAILED</span>'
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{title} {verdict}</h1>",
    ]
    if not report.complete:
        parts.append(
            "<p><strong>Validation stopped early: only part of the data was checked.</strong></p>"
        )
    parts.append(_summary_table(report))
    if not report.violations:
        parts.append("<p>No violations.</p>")
    for field, violations in report.by_field():
        heading = "Dataset" if field is None else f"Field <code>{_h(field)}</code>"
        parts.append(f"<h2>{heading} ({len(violations)})</h2>")
        parts.append(_violation_table(violations))
    if any(v.examples for v in report.violations):
        parts.append(f"<p>{_h(ROWS_NOTE)}</p>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _summary_table(report: Report) -> str:
    contract, dataset, summary = report.contract, report.dataset, report.summary
    rows: list[tuple[str, str | list[str]]] = [
        ("contract", f"{contract.name} {contract.version}"),
        ("contract file", contract.path or "(none)"),
        ("profile", report.profile or "(none)"),
        ("engine", report.engine),
        ("sources", dataset.sources or "(none)"),
        ("rows", f"{dataset.rows:,}"),
        ("columns", f"{dataset.columns:,}"),
        (
            "checks",
            f"{summary.checks:,} ({summary.passed:,} passed, {summary.failed:,} failed, "
            f"{summary.skipped:,} skipped)",
        ),
        ("errors", f"{summary.errors:,}"),
        ("warnings", f"{summary.warnings:,}"),
        ("failing rows", f"{summary.failing_rows:,}"),
        ("fails on", report.fail_on),
        ("started", report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("duration", f"{report.duration_s:.2f} s"),
    ]
    body = "".join(
        f"<tr><th>{k}</th><td>{_h(v) if isinstance(v, str) else '<br>'.join(map(_h, v))}</td></tr>"
        for k, v in rows
    )
    return f'<table class="summary">{body}</table>'


_HEADER = "".join(
    f"<th>{name}</th>"
    for name in ("severity", "code", "check", "failures", "fraction", "examples", "message", "line")
)


def _violation_table(violations: list[Violation]) -> str:
    rows = [f"<table><thead><tr>{_HEADER}</tr></thead><tbody>"]
    for v in violations:
        check = v.check or ""
        if v.check_name:
            check += f" ({v.check_name})"
        examples = [f'<li class="mono">{_h(format_example(e))}</li>' for e in v.examples]
        shown = examples[:_TABLE_EXAMPLES]
        if len(examples) > _TABLE_EXAMPLES:
            shown.append(f"<li>… {len(examples) - _TABLE_EXAMPLES} more in the JSON report</li>")
        cells = [
            f'<td class="sev-{v.severity}">{v.severity}</td>',
            f"<td><code>{v.code}</code></td>",
            f"<td>{_h(check)}</td>",
            f'<td class="num">{_h(format_count(v.failure_count))}</td>',
            f'<td class="num">{_h(format_fraction(v.failure_fraction))}</td>',  # "<0.0001%"
            f'<td><ul class="examples">{"".join(shown)}</ul></td>' if shown else "<td></td>",
            f"<td>{_h(v.message)}</td>",
            f'<td class="num">{"" if v.contract_line is None else v.contract_line}</td>',
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)
