"""The HTML report: one self-contained page a team shares as evidence of what was checked.

Inline CSS and SVG only: no scripts, no fonts, images or styles from the network, so the file can
be mailed, attached to a CI run or opened offline, and prints readably. What a reader sees first:
the verdict, the contract and data it is about, then tallies, charts of where failures are, and
every check grouped by field with its verdict (filterable by status without scripts).

Every data-derived string is made visible (controls escaped) and then ``html.escape``-d, so a
value such as ``<script>`` is shown, never run.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import TYPE_CHECKING

from accord.report.render.counting import duration, plural
from accord.report.render.html_charts import bar_chart
from accord.report.render.html_drift import drift_section
from accord.report.render.html_rows import Group, Row, grouped_rows
from accord.report.render.html_style import STATUSES, stylesheet
from accord.report.sanitize import (
    ROWS_NOTE,
    format_count,
    format_example,
    format_fraction,
    visible_text,
)

if TYPE_CHECKING:
    from accord.report.model import Report

__all__ = ["render_html", "render_html_fragment"]

_TABLE_EXAMPLES = 5
_CHART_BARS = 12


def _h(text: str) -> str:
    return escape(visible_text(text), quote=True)


def render_html(report: Report) -> str:
    """Render ``report`` as a standalone HTML page."""
    title = _h(f"accord: {report.contract.name} {report.contract.version}")
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{title} — {_verdict_word(report)}</title>",
                "</head>",
                '<body style="margin:1.5rem">',
                render_html_fragment(report),
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


def render_html_fragment(report: Report, *, compact: bool = False) -> str:
    """The report as one ``<div>`` with its own scoped styles: the page's body, and what a
    notebook shows. ``compact`` leaves groups without failures folded."""
    uid = "a" + hashlib.sha256(report.to_json(indent=None).encode()).hexdigest()[:10]
    groups = grouped_rows(report)
    parts = [
        f'<div class="accord-report" id="{uid}">',
        f"<style>\n{stylesheet(uid)}\n</style>",
        _header(report),
        _nav(groups, uid, drift=bool(drift := drift_section(report, uid))),
        _summary(report, uid),
        _charts(groups, uid),
        _checks(groups, uid, compact=compact),
        drift,
        f"<p>{_h(ROWS_NOTE)}</p>" if any(v.examples for v in report.violations) else "",
        "</div>",
    ]
    return "\n".join(p for p in parts if p)


def _verdict_word(report: Report) -> str:
    if not report.complete:
        return "INCOMPLETE"
    return "PASSED" if report.passed else "FAILED"


def _header(report: Report) -> str:
    contract, dataset = report.contract, report.dataset
    word = _verdict_word(report)
    parts = [
        f"<h1>{_h(f'{contract.name} {contract.version}')} "
        f'<span class="verdict v-{word.lower()}">{word}</span></h1>'
    ]
    if not report.complete:
        parts.append(
            "<p><strong>Validation stopped early: only part of the data was checked.</strong></p>"
        )
    sources = "<br>".join(f"<code>{_h(s)}</code>" for s in dataset.sources) or "(none)"
    identity = [
        ("contract", f"<b>{_h(contract.name)}</b> version {_h(contract.version)}"),
        ("contract file", f"<code>{_h(contract.path)}</code>" if contract.path else "(none)"),
        ("profile", _h(report.profile or "(none)")),
        ("data", sources),
        ("size", f"{plural(dataset.rows, 'row')}, {plural(dataset.columns, 'column')}"),
        ("engine", _h(report.engine)),
        (
            "run",
            f"started {report.started_at:%Y-%m-%d %H:%M:%S} UTC, took "
            f"{duration(report.duration_s)}; fails on {report.fail_on}s",
        ),
    ]
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in identity)
    parts.append(f'<dl class="identity">{rows}</dl>')
    return "\n".join(parts)


def _nav(groups: list[Group], uid: str, *, drift: bool) -> str:
    links = [("summary", "Summary"), ("charts", "Where it fails"), ("checks", "Checks")]
    if drift:
        links.append(("drift", "Drift"))
    shown = " ".join(f'<a href="#{uid}-{a}">{t}</a>' for a, t in links)
    fields = " ".join(f'<a href="#{uid}-g{i}">{_group_name(g)}</a>' for i, g in enumerate(groups))
    return f'<nav class="toc">{shown}<br><span class="muted">fields:</span> {fields}</nav>'


def _group_name(group: Group) -> str:
    return "dataset" if group.field is None else f"<code>{_h(group.field)}</code>"


def _summary(report: Report, uid: str) -> str:
    summary = report.summary
    failures = report.failures
    notes = [v for v in report.violations if v.category != "failure"]
    cards = [
        ("c-checks", summary.checks, "checks"),
        ("c-passed", summary.passed, "passed"),
        ("c-failed", summary.failed, "failed"),
        ("c-skipped", summary.skipped, "skipped"),
        ("c-failed", sum(1 for v in failures if v.severity == "error"), "errors"),
        ("c-skipped", sum(1 for v in failures if v.severity == "warning"), "warnings"),
        ("c-failed", summary.failing_rows, "failing rows"),
        ("c-note", len(notes), "notes"),
    ]
    body = "".join(
        f'<div class="card {cls}"><b>{value:,}</b><span>{label}</span></div>'
        for cls, value, label in cards
    )
    return f'<h2 id="{uid}-summary">Summary</h2><div class="cards">{body}</div>'


def _charts(groups: list[Group], uid: str) -> str:
    per_field = [
        ("dataset" if g.field is None else g.field, g.count("failed"))
        for g in groups
        if g.count("failed")
    ]
    per_field = sorted(per_field, key=lambda i: -i[1])[:_CHART_BARS]
    per_check = sorted(
        ((r.check_id, r.failures) for g in groups for r in g.rows if r.failures),
        key=lambda i: -i[1],
    )[:_CHART_BARS]
    head = f'<h2 id="{uid}-charts">Where it fails</h2>'
    if not per_field:
        return f'{head}<p class="muted">No check failed.</p>'
    figures = [
        "<figure><figcaption>Failed checks per field</figcaption>"
        f"{bar_chart('Failed checks per field', per_field)}</figure>"
    ]
    if per_check:
        figures.append(
            "<figure><figcaption>Failing values or rows per check</figcaption>"
            f"{bar_chart('Failing values or rows per check', per_check)}</figure>"
        )
    return f'{head}<div class="charts">{"".join(figures)}</div>'


def _checks(groups: list[Group], uid: str, *, compact: bool) -> str:
    total = sum(len(g.rows) for g in groups)
    inputs = [
        f'<input class="filter" type="radio" name="{uid}-f" id="{uid}-f-all" checked>',
        *(f'<input class="filter" type="radio" name="{uid}-f" id="{uid}-f-{s}">' for s in STATUSES),
    ]
    labels = [f'<label for="{uid}-f-all">all ({total:,})</label>']
    for status in STATUSES:
        count = sum(g.count(status) for g in groups)
        labels.append(f'<label for="{uid}-f-{status}">{status} ({count:,})</label>')
    sections = [
        _group(group, f"{uid}-g{index}", compact=compact) for index, group in enumerate(groups)
    ]
    return "\n".join(
        [
            f'<h2 id="{uid}-checks">Checks</h2>',
            '<div class="checks">',
            *inputs,
            f'<div class="filters">show: {"".join(labels)}</div>',
            '<div class="groups">',
            *sections,
            "</div></div>",
        ]
    )


_HEADER = "".join(
    f"<th>{name}</th>" for name in ("verdict", "check", "id", "line", "failing", "what was found")
)


def _group(group: Group, anchor: str, *, compact: bool) -> str:
    has = " ".join(f"has-{s}" for s in STATUSES if group.count(s))
    tally = ", ".join(f"{group.count(s):,} {s}" for s in STATUSES if group.count(s))
    opened = "" if compact and not group.count("failed") else " open"
    rows = "".join(_row(row) for row in group.rows)
    return (
        f'<details class="group {has}" id="{anchor}"{opened}><summary><h3>'
        f"{'Dataset' if group.field is None else 'Field ' + _group_name(group)}</h3> "
        f'<span class="muted">{tally}</span></summary>'
        f"<table><thead><tr>{_HEADER}</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def _row(row: Row) -> str:
    label = row.status
    css = f"s-{row.status}"
    if row.status == "failed" and row.severity == "warning":
        label, css = "failed (warning)", "s-warning"
    counted = "; ".join(
        f"{format_count(v.failure_count)} ({format_fraction(v.failure_fraction)})"
        if v.failure_fraction is not None
        else format_count(v.failure_count)
        for v in row.violations
        if v.failure_count is not None
    )
    found: list[str] = []
    if row.reason:
        found.append(f'<span class="muted">{_h(row.reason)}</span>')
    for v in row.violations:
        found.append(f'<span class="sev-{v.severity}">{_h(str(v.code))}</span> {_h(v.message)}')
        examples = [f'<li class="mono">{_h(format_example(e))}</li>' for e in v.examples]
        shown = examples[:_TABLE_EXAMPLES]
        if len(examples) > _TABLE_EXAMPLES:
            shown.append(f"<li>… {len(examples) - _TABLE_EXAMPLES} more in the JSON report</li>")
        if shown:
            found.append(f'<ul class="examples">{"".join(shown)}</ul>')
    named = row.violations[0].check_name if row.violations else None
    check = row.check + (f" ({named})" if named else "")
    return (
        f'<tr class="row st-{row.status}"><td><span class="badge {css}">{label}</span></td>'
        f"<td>{_h(check)}</td><td><code>{_h(row.check_id)}</code></td>"
        f'<td class="num">{"" if row.line is None else row.line}</td>'
        f'<td class="num">{_h(counted)}</td><td>{"<br>".join(found)}</td></tr>'
    )
