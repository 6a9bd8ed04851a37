"""The drift section of the HTML report: reference against current for every measured field.

A psi measurement carries both histograms (bin edges and fractions, or categories and
fractions); they are drawn as paired bars. Other metrics are shown as their numbers.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from accord.report.render.html_charts import CURRENT_COLOUR, REFERENCE_COLOUR, paired_bars
from accord.report.render.html_rows import drift_details
from accord.report.sanitize import format_value, visible_text

if TYPE_CHECKING:
    from accord.report.model import Report

__all__ = ["bin_labels", "drift_section"]

_NUMBERS = (
    "observed",
    "threshold",
    "reference_mean",
    "current_mean",
    "reference_std",
    "reference_median",
    "current_median",
    "reference_null_fraction",
    "current_null_fraction",
)


def _h(text: str) -> str:
    return escape(visible_text(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.4g}"


def bin_labels(edges: list[float]) -> list[str]:
    """Labels of the ``len(edges) + 1`` bins a numeric histogram counts into."""
    if not edges:
        return ["all"]
    labels = [f"≤{_num(edges[0])}"]
    labels += [f"{_num(low)} to {_num(high)}" for low, high in pairwise(edges)]
    labels.append(f">{_num(edges[-1])}")
    return labels


def _histogram(field: str, details: dict[str, Any]) -> str | None:
    ref, cur = details.get("reference_fractions"), details.get("current_fractions")
    if not isinstance(ref, list) or not isinstance(cur, list):
        return None
    if isinstance(details.get("categories"), list):
        labels = [str(c) for c in details["categories"]]
    elif isinstance(details.get("bin_edges"), list):
        labels = bin_labels([float(e) for e in details["bin_edges"]])
    else:
        return None
    title = f"{field}: reference and current distribution"
    return paired_bars(title, labels, [float(x) for x in ref], [float(x) for x in cur])


def drift_section(report: Report, uid: str) -> str:
    """The section, or empty when the report holds no drift measurement."""
    measured = drift_details(report)
    if not measured:
        return ""
    by_field: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for field, metric, details in measured:
        by_field.setdefault(field, []).append((metric, details))
    legend = (
        f'<p class="legend"><span style="background:{REFERENCE_COLOUR}"></span>reference'
        f'<span style="background:{CURRENT_COLOUR}"></span>current</p>'
    )
    parts = [
        f'<h2 id="{uid}-drift">Drift against the reference</h2>',
        legend,
        '<div class="charts">',
    ]
    for field, metrics in by_field.items():
        chart = next((c for _, d in metrics if (c := _histogram(field, d))), None)
        rows = []
        for metric, details in metrics:
            shown = ", ".join(
                f"{key.replace('_', ' ')} {format_value(details[key])}"
                for key in _NUMBERS
                if isinstance(details.get(key), int | float)
            )
            rows.append(f"<tr><td>{_h(metric)}</td><td>{_h(shown)}</td></tr>")
        parts.append(
            f"<figure><figcaption>Field <code>{_h(field)}</code></figcaption>{chart or ''}"
            f"<table><tbody>{''.join(rows)}</tbody></table></figure>"
        )
    parts.append("</div>")
    return "\n".join(parts)
