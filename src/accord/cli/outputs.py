"""Where a report goes: ``--output [FORMAT:]PATH`` (repeatable) and ``--format`` for stdout.

One run renders every requested format from the same report, so a nightly job no longer
validates its data once per format. Every file goes through :func:`accord.cli.common.write_output`,
the one place files are written.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from accord.cli.common import stdout_is_terminal, write_output
from accord.cli.output import Input, check_destination
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.report.model import Report

__all__ = ["FORMATS", "STDOUT", "SUFFIX_FORMATS", "Target", "emit", "parse_outputs"]

FORMATS = ("text", "json", "junit", "markdown", "github", "html")
SUFFIX_FORMATS = {
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "junit",
    ".txt": "text",
}
STDOUT = "-"
"""``--output json:-`` writes to stdout."""


@dataclass(frozen=True)
class Target:
    """One rendering of the report and where it goes (``path`` None: stdout)."""

    fmt: str
    path: Path | None


def _check_format(fmt: str, asked_as: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown {asked_as} '{fmt}'; choose one of: {', '.join(FORMATS)}")
    return fmt


_PREFIX_RE = re.compile(r"([A-Za-z]{2,}):(?!//)(.+)")


def _split(value: str) -> tuple[str | None, str]:
    # A word of two or more letters before the colon is a format, so C:\reports (a drive) and
    # s3://x (a URL) stay paths, and a misspelt format is an error rather than a file name.
    match = _PREFIX_RE.fullmatch(value)
    if match is None:
        return None, value
    head = match.group(1).lower()
    if head not in FORMATS:
        raise UsageError(
            f"unknown format '{head}' in --output {value}; choose one of: {', '.join(FORMATS)}"
        )
    return head, match.group(2)


def parse_outputs(outputs: Sequence[str], output_format: str | None) -> list[Target]:
    """The renderings a command was asked for, checked before any data is read.

    No ``--output``: one rendering on stdout in ``--format`` (text by default). Otherwise each
    ``--output`` names its format by a ``FORMAT:`` prefix or its suffix; a single ``--output``
    beside an explicit ``--format`` takes that format, as it always has.
    """
    if output_format is not None:
        _check_format(output_format, "--format")
    if not outputs:
        return [Target(output_format or "text", None)]
    targets: list[Target] = []
    for value in outputs:
        prefix, where = _split(value)
        path = None if where == STDOUT else Path(where)
        fmt = prefix
        if fmt is None and output_format is not None and len(outputs) == 1:
            fmt = output_format
        if fmt is None and path is not None:
            if path.is_dir():  # say what is wrong with the name before what its suffix lacks
                check_destination(path)
            fmt = SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            suffixes = ", ".join(sorted(SUFFIX_FORMATS))
            raise UsageError(
                f"--output {value}: cannot tell the format from the name; use a suffix "
                f"({suffixes}) or a prefix such as json:{value}"
            )
        targets.append(Target(fmt, path))
    seen: set[Path | None] = set()
    for target in targets:
        if target.path in seen:
            where = "stdout" if target.path is None else str(target.path)
            raise UsageError(f"--output names {where} twice; each report needs its own file")
        seen.add(target.path)
    return targets


def render_for(report: Report, target: Target, *, github_notices: bool = False) -> str:
    """The text of one rendering; colour and width only for text on a terminal."""
    if target.fmt == "text":
        from accord.report.render.text import render_text  # noqa: PLC0415

        terminal = target.path is None and stdout_is_terminal()
        width = shutil.get_terminal_size().columns if terminal else None
        return render_text(report, color=terminal, width=width)
    if target.fmt == "github" and github_notices:
        from accord.report.render.github import render_github  # noqa: PLC0415

        return render_github(report, notices=True)
    return report.render(target.fmt)


def emit(
    report: Report,
    targets: Sequence[Target],
    *,
    github_notices: bool = False,
    inputs: Iterable[Input] = (),
) -> None:
    """Render every target first, then write them, never over one of ``inputs``: a rendering
    that fails leaves no file."""
    rendered = [(render_for(report, t, github_notices=github_notices), t) for t in targets]
    protected = list(inputs)
    for text, target in rendered:
        if text or target.path is not None:  # no annotations: no blank line in the CI log
            write_output(text, target.path, protected)
