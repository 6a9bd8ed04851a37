"""How every rendering counts and names things, so text, Markdown and HTML say the same.

Only rules the data broke are "violations"; a check that could not be evaluated is "skipped" and
an info item is a "note" (ISSUE 17: a missing field read as "3 violations", a passing
``--schema-only`` run as "1 violation"). Counts get thousands separators and singular nouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from accord.report.codes import Severity

if TYPE_CHECKING:
    from accord.report.model import Report, Violation

__all__ = ["duration", "group_counts", "notes_line", "plural", "violations_line"]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 row``, ``2,000,000 rows``."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def group_counts(violations: Sequence[Violation]) -> str:
    """``1 violation, 2 skipped checks, 1 note``: only the non-zero parts."""
    categories = [v.category for v in violations]
    parts = [
        plural(categories.count("failure"), "violation"),
        plural(categories.count("skipped"), "skipped check"),
        plural(categories.count("note"), "note"),
    ]
    shown = [p for p in parts if not p.startswith("0 ")]
    return ", ".join(shown) or "nothing to report"


def violations_line(report: Report) -> str:
    """``6 errors, 1 warning in 8 failing rows`` or ``none``, counting failures only."""
    failures = report.failures
    if not failures:
        return "none"
    severities = [v.severity for v in failures]
    line = (
        f"{plural(severities.count(Severity.ERROR), 'error')}, "
        f"{plural(severities.count(Severity.WARNING), 'warning')}"
    )
    if report.summary.failing_rows:
        line += f" in {plural(report.summary.failing_rows, 'failing row')}"
    return line


def notes_line(report: Report) -> str:
    """``2 skipped-check notes, 1 info note``, or empty: what is reported but is no violation."""
    categories = [v.category for v in report.violations]
    parts = [
        plural(categories.count("skipped"), "skipped-check note"),
        plural(categories.count("note"), "info note"),
    ]
    return ", ".join(p for p in parts if not p.startswith("0 "))


def duration(seconds: float) -> str:
    """``0.57 s``, ``5.4 s``, ``2 min 03 s``: the whole run, as long as a person waited."""
    if seconds < 10:  # below ten seconds the hundredths still mean something
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"
