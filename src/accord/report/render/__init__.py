"""One renderer per output format, each a pure function of a :class:`Report`.

A new format is one module here plus one line in :data:`RENDERERS`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING

from accord.errors import UsageError
from accord.report.render.github import render_github
from accord.report.render.html import render_html
from accord.report.render.json import render_json
from accord.report.render.junit import render_junit
from accord.report.render.markdown import render_markdown
from accord.report.render.text import render_text

if TYPE_CHECKING:  # the renderers read a report; building its models is the caller's cost
    from accord.report.model import Report

__all__ = [
    "RENDERERS",
    "render",
    "render_github",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
]

# The text entry renders without colour: colour is something a caller asks for (the CLI does on
# a TTY by calling render_text(report, color=True)), never a default that leaks into files.
RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
    "github": render_github,
    "html": render_html,
}


def render(report: Report, fmt: str) -> str:
    """Render ``report`` in format ``fmt``; :class:`UsageError` names the valid formats."""
    renderer = RENDERERS.get(fmt.strip().lower())
    if renderer is None:
        valid = ", ".join(sorted(RENDERERS))
        close = difflib.get_close_matches(fmt.lower(), RENDERERS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        msg = f"unknown report format {fmt!r} (valid formats: {valid}){hint}"
        raise UsageError(msg)
    return renderer(report)
