"""Inline SVG charts for the HTML report: no scripts, no fonts or libraries from the network.

Two shapes cover what a reader would rather look at than read: horizontal bars (failures per
field, per check) and paired bars (reference against current, per histogram bin or category).
Every label is escaped; every chart also carries a ``<title>`` for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from accord.report.sanitize import visible_text

__all__ = ["CURRENT_COLOUR", "REFERENCE_COLOUR", "bar_chart", "paired_bars"]

REFERENCE_COLOUR = "#8c959f"
CURRENT_COLOUR = "#0969da"
_BAR_COLOUR = "#cf222e"
_ROW = 20  # pixels per bar
_LABEL_CHARS = 28


def _h(text: str) -> str:
    return escape(visible_text(text), quote=True)


def _cut(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, items: Sequence[tuple[str, int]], *, width: int = 460) -> str:
    """Horizontal bars, longest first as given; the count is written at the end of each bar."""
    label_w, value_w = 190, 70
    bar_w = width - label_w - value_w
    top = max((value for _, value in items), default=0) or 1
    height = _ROW * len(items) + 6
    parts = [
        f'<svg class="chart bars" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{_h(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = index * _ROW + 3
        length = max(1.0, bar_w * value / top) if value else 0.0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_h(_cut(label))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{_ROW - 6}" '
            f'fill="{_BAR_COLOUR}"><title>{_h(label)}: {value:,}</title></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 13}">{value:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    title: str,
    labels: Sequence[str],
    reference: Sequence[float],
    current: Sequence[float],
    *,
    width: int = 460,
) -> str:
    """Reference and current fractions side by side for each bin or category (vertical bars).

    Fractions are drawn against the larger of the two tallest bars so the shapes compare directly.
    """
    height, bottom, left = 170, 40, 34
    plot_h = height - bottom - 10
    count = max(len(labels), 1)
    slot = (width - left - 6) / count
    bar = max(slot / 2 - 1.5, 1.0)
    top = max([*reference, *current, 0.0]) or 1.0
    parts = [
        f'<svg class="chart paired" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{_h(title)}</title>',
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{width - 4}" y2="{10 + plot_h}" '
        'stroke="#8c959f"/>',
        f'<text x="{left - 4}" y="16" text-anchor="end">{top:.0%}</text>',
        f'<text x="{left - 4}" y="{10 + plot_h}" text-anchor="end">0%</text>',
    ]
    for index, label in enumerate(labels):
        x = left + index * slot
        for offset, values, colour, side in (
            (0.0, reference, REFERENCE_COLOUR, "reference"),
            (bar + 1, current, CURRENT_COLOUR, "current"),
        ):
            value = values[index] if index < len(values) else 0.0
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + offset + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{_h(label)} {side}: {value:.1%}'
                "</title></rect>"
            )
        if count <= 12 or index % max(count // 12, 1) == 0:  # keep axis labels legible
            cx = x + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 14}" text-anchor="end" '
                f'transform="rotate(-35 {cx:.1f} {height - bottom + 14})">'
                f"{_h(_cut(label, 14))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
