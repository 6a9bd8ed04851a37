"""Every check of a report as one row with its verdict, grouped by field: what the HTML report
lists, so a passing run is evidence of what was checked and a failing one shows where.

A check result and the violations carrying its ``check_id`` are one row; a violation with no
check result (a missing or undeclared column, a schema-only note) is a row of its own.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.report.model import Report, Violation

__all__ = ["Group", "Row", "drift_details", "grouped_rows"]

# A skipped-check violation with no check result of its own explains skips the checks' rows
# already show (a schema-only run, a drift field without reference statistics): a note.
_CATEGORY_STATUS = {"failure": "failed", "skipped": "note", "note": "note"}


@dataclass
class Row:
    """One check (or a finding no check stands for) and what became of it."""

    check_id: str
    field: str | None
    check: str
    status: str
    """passed, failed, skipped or note."""
    severity: str
    line: int | None
    reason: str | None = None
    violations: list[Violation] = dataclasses.field(default_factory=list)

    @property
    def failures(self) -> int:
        return sum(v.failure_count or 0 for v in self.violations if v.category == "failure")


@dataclass
class Group:
    field: str | None
    rows: list[Row] = dataclasses.field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def grouped_rows(report: Report) -> list[Group]:
    """Rows grouped by field: the dataset group first, then fields in contract order."""
    by_check: defaultdict[str, list[Violation]] = defaultdict(list)
    known = {c.check_id for c in report.checks}
    loose: list[Violation] = []
    for v in report.violations:
        if v.check_id is not None and v.check_id in known:
            by_check[v.check_id].append(v)
        else:
            loose.append(v)
    groups: dict[str | None, Group] = {None: Group(None)}
    front: defaultdict[str | None, int] = defaultdict(int)
    for check in report.checks:
        row = Row(
            check.check_id,
            check.field,
            check.check,
            check.status,
            str(check.severity),
            check.contract_line,
            check.reason,
            by_check.get(check.check_id, []),
        )
        groups.setdefault(check.field, Group(check.field)).rows.append(row)
    for v in loose:
        row = Row(
            v.check_id or str(v.code),
            v.field,
            v.check or str(v.code),
            _CATEGORY_STATUS[v.category],
            str(v.severity),
            v.contract_line,
            None,
            [v],
        )
        group = groups.setdefault(v.field, Group(v.field))
        if v.category == "failure":  # a missing column reads before the checks it made skipped
            group.rows.insert(front[v.field], row)
            front[v.field] += 1
        else:
            group.rows.append(row)
    return [g for g in groups.values() if g.rows]


def drift_details(report: Report) -> list[tuple[str, str, dict[str, Any]]]:
    """(field, metric, details) of every drift measurement the report holds evidence for."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for check in report.checks:
        if check.check_id.startswith("drift.") and check.field and check.details:
            found[check.check_id] = (check.field, check.check, dict(check.details))
    for v in report.violations:
        if v.check_id and v.check_id.startswith("drift.") and v.field and v.details:
            found.setdefault(v.check_id, (v.field, v.check or "", dict(v.details)))
    return list(found.values())
