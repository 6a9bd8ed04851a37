"""A contract diff as an HTML fragment, for notebooks (``ContractDiff._repr_html_``).

Contract text is user input, so every string is made visible and escaped; no scripts, no links.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from accord.report.sanitize import format_value, visible_text

if TYPE_CHECKING:
    from pydantic import JsonValue

    from accord.diff.model import ContractDiff

__all__ = ["render_html_fragment"]

_CSS = (
    ".accord-diff{font-family:system-ui,sans-serif;color:#1f2328}"
    ".accord-diff table{border-collapse:collapse}"
    ".accord-diff th,.accord-diff td{border:1px solid #d0d7de;padding:.2rem .45rem;"
    "text-align:left;vertical-align:top}.accord-diff th{background:#f6f8fa}"
    ".accord-diff .v{padding:.1rem .5rem;border-radius:.3rem;color:#fff}"
    ".accord-diff .ok{background:#1a7f37}.accord-diff .no{background:#cf222e}"
    ".accord-diff .breaking{color:#cf222e;font-weight:600}"
)


def _h(text: str) -> str:
    return escape(visible_text(text), quote=True)


def _shown(value: JsonValue) -> str:
    return "—" if value is None else format_value(value)


def render_html_fragment(diff: ContractDiff) -> str:
    """One ``<div>``: verdict, bumps, reasons it failed, and every change, breaking first."""
    old, new = diff.old, diff.new
    name = (new or old).name if (new or old) is not None else ""  # type: ignore[union-attr]
    versions = f"{old.version if old else '(none)'} → {new.version if new else '(deleted)'}"
    verdict = (
        '<span class="v ok">PASSED</span>' if diff.passed else '<span class="v no">FAILED</span>'
    )
    parts = [
        f'<div class="accord-diff"><style>{_CSS}</style>',
        f"<p><b>{_h(name)}</b> {_h(versions)} {verdict}<br>mode {_h(diff.mode)}, required bump "
        f"<b>{_h(diff.required_bump)}</b>, declared {_h(diff.declared_bump)}, "
        f"{len(diff.changes):,} change{'' if len(diff.changes) == 1 else 's'} "
        f"({len(diff.breaking):,} breaking)</p>",
    ]
    if diff.failures:
        parts.append("<ul>" + "".join(f"<li>{_h(f)}</li>" for f in diff.failures) + "</ul>")
    if diff.changes:
        rows = "".join(
            f'<tr><td class="{"breaking" if c.breaking else ""}">'
            f"{'breaking' if c.breaking else ''}</td><td>{_h(c.direction)}</td>"
            f"<td><code>{_h(c.path or c.kind)}</code></td>"
            f"<td>{_h(_shown(c.old))} → {_h(_shown(c.new))}</td><td>{_h(c.message)}</td></tr>"
            for c in [*diff.breaking, *(c for c in diff.changes if not c.breaking)]
        )
        parts.append(
            "<table><thead><tr><th></th><th>direction</th><th>path</th><th>old → new</th>"
            f"<th>why</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append("</div>")
    return "\n".join(parts)
