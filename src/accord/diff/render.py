"""``accord diff`` output: text, json, markdown, github annotations and junit, each a pure
function of the diffs.

Contract text is user input (descriptions, names, patterns), so every string shown goes through
``visible_text`` first: no terminal escapes, no forged workflow commands, no broken tables.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from pydantic import JsonValue

from accord.diff.model import Change, ContractDiff
from accord.errors import UsageError
from accord.report.render.console import string_console
from accord.report.render.github import escape_data, escape_property
from accord.report.sanitize import format_value, visible_text, xml_text

__all__ = [
    "FORMATS",
    "render",
    "render_github",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_text",
]

_STYLE = {
    "tightened": "yellow",
    "relaxed": "cyan",
    "changed": "magenta",
    "added": "green",
    "neutral": "dim",
}
# Characters Markdown would interpret inside a table cell (same set as the report renderer).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$!])")
_WIDTH = 100


def _ordered(diff: ContractDiff) -> list[Change]:
    """Breaking changes first (what the reviewer must act on), then the rest in file order."""
    return [*diff.breaking, *(change for change in diff.changes if not change.breaking)]


def _title(diff: ContractDiff) -> str:
    old, new = diff.old, diff.new
    if old is None and new is not None:
        return f"{new.name} {new.version} (new contract)"
    if new is None and old is not None:
        return f"{old.name} {old.version} (deleted)"
    assert old is not None and new is not None
    name = old.name if old.name == new.name else f"{old.name} / {new.name}"
    return f"{name} {old.version} → {new.version}"


def _summary(diff: ContractDiff) -> str:
    count = len(diff.changes)
    ref = diff.new or diff.old
    where = f"{ref.path}: " if ref is not None and ref.path else ""
    return (
        f"{where}mode {diff.mode}, required bump {diff.required_bump}, declared bump "
        f"{diff.declared_bump}, {count} change{'s' if count != 1 else ''} "
        f"({len(diff.breaking)} breaking)"
    )


def _shown(value: JsonValue) -> str:
    return "—" if value is None else format_value(value)


def _value(change: Change) -> str:
    return f"{_shown(change.old)} → {_shown(change.new)}"


# -- text --------------------------------------------------------------------------------------


Styled = list[tuple[str, str | None]]
"""One line of text output: pieces of text, each with a rich style or None."""


def render_text(
    diffs: Sequence[ContractDiff], *, color: bool = False, width: int | None = None
) -> str:
    """A terminal summary: verdict, reasons, then breaking changes before the rest. Colour goes
    through rich; plain text (files, pipes, CI) is joined directly, which spares loading rich
    where every millisecond of a CI step counts."""
    lines = _text_lines(diffs)
    if not color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    from rich.text import Text  # noqa: PLC0415 - rich loads only when colour is wanted

    console, buffer = string_console(color=color, width=width or _WIDTH, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*((text, style or "") for text, style in line)))
    return buffer.getvalue()


def _text_lines(diffs: Sequence[ContractDiff]) -> list[Styled]:
    lines: list[Styled] = []
    for number, diff in enumerate(diffs):
        if number:
            lines.append([])
        verdict = ("PASSED", "bold green") if diff.passed else ("FAILED", "bold red")
        lines.append([verdict, ("  ", None), (visible_text(_title(diff)), "bold")])
        lines.append([(_summary(diff), None)])
        lines += [[(f"✗ {visible_text(failure)}", "red")] for failure in diff.failures]
        if not diff.changes and not diff.failures:
            lines.append([("no changes", None)])
        groups = (
            ("Breaking", diff.breaking),
            ("Not breaking", [ch for ch in diff.changes if not ch.breaking]),
        )
        for heading, changes in groups:
            if not changes:
                continue
            lines += [[], [(f"{heading} ({len(changes)})", "bold")]]
            for change in changes:
                where = f" {visible_text(change.path or change.kind)}  {_value(change)}"
                direction = (f"{change.direction:<9}", _STYLE[change.direction])
                lines.append([("  ", None), direction, (where, None)])
                lines.append([(f"      {visible_text(change.message)}", None)])
    return lines


# -- json --------------------------------------------------------------------------------------


def render_json(diffs: Sequence[ContractDiff], *, many: bool = False) -> str:
    """SPEC 4's object for one diff; a list of them when several contracts were compared."""
    if len(diffs) == 1 and not many:
        return diffs[0].to_json() + "\n"
    return json.dumps([diff.to_dict() for diff in diffs], indent=2, ensure_ascii=False) + "\n"


# -- markdown ----------------------------------------------------------------------------------


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", visible_text(text))


def render_markdown(diffs: Sequence[ContractDiff]) -> str:
    """A PR comment: one heading per contract, the reasons it failed, one table of changes."""
    lines: list[str] = []
    for diff in diffs:
        mark = "✅ passed" if diff.passed else "❌ failed"
        lines += [f"### accord diff: {_md(_title(diff))}: {mark}", "", _md(_summary(diff)), ""]
        lines += [f"> **{_md(failure)}**" for failure in diff.failures]
        if diff.failures:
            lines.append("")
        if not diff.changes:
            lines += ["No changes.", ""]
            continue
        lines += ["| | direction | path | old → new | why |", "|---|---|---|---|---|"]
        for change in _ordered(diff):
            flag = "**breaking**" if change.breaking else ""
            cells = [
                flag,
                change.direction,
                _md(change.path or change.kind),
                _md(_value(change)),
                _md(change.message),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


# -- github ------------------------------------------------------------------------------------


def render_github(diffs: Sequence[ContractDiff]) -> str:
    """Workflow annotations on the new contract's lines: errors for what breaks, notices for
    other behaviour changes, and one error per reason the diff failed."""
    out: list[str] = []
    for diff in diffs:
        ref = diff.new or diff.old
        path = ref.path if ref is not None else None
        for change in _ordered(diff):
            if change.direction == "neutral" and not change.breaking:
                continue
            command = "error" if change.breaking else "notice"
            title = f"accord diff: {change.path or change.kind} ({change.direction}"
            title += ", breaking)" if change.breaking else ")"
            out.append(_annotation(command, path, change.line, title, change.message))
        line = ref.version_line if ref is not None else None
        for failure in diff.failures:
            out.append(_annotation("error", path, line, "accord diff: version", failure))
    return "".join(line + "\n" for line in out)


def _annotation(command: str, path: str | None, line: int | None, title: str, message: str) -> str:
    props = []
    if path:
        props.append(f"file={escape_property(visible_text(path))}")
        if line is not None:
            props.append(f"line={line}")
    props.append(f"title={escape_property(visible_text(title))}")
    return f"::{command} {','.join(props)}::{escape_data(visible_text(message))}"


# -- junit -------------------------------------------------------------------------------------


def render_junit(diffs: Sequence[ContractDiff]) -> str:
    """One testsuite per contract, one testcase per change (failing when it breaks) and one
    ``version`` testcase that fails when the declared bump does not cover the changes."""
    root = ET.Element("testsuites", name="accord diff")
    for diff in diffs:
        name = xml_text(diff.name)
        suite = ET.SubElement(root, "testsuite", name=f"accord diff {name}")
        for change in _ordered(diff):
            case = ET.SubElement(
                suite, "testcase", classname=name, name=xml_text(change.path or change.kind)
            )
            detail = f"{change.kind} {change.direction}: {xml_text(change.message)}"
            if change.breaking:
                ET.SubElement(case, "failure", message=detail, type=change.direction)
            else:
                ET.SubElement(case, "system-out").text = detail
        case = ET.SubElement(suite, "testcase", classname=name, name="version")
        if diff.failures:
            text = "\n".join(xml_text(failure) for failure in diff.failures)
            ET.SubElement(case, "failure", message=text.splitlines()[0], type="version").text = text
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    for key in ("tests", "failures"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root.findall("testsuite"))))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


Renderer = Callable[[Sequence[ContractDiff]], str]
FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "junit": render_junit,
}


def render(
    diffs: Sequence[ContractDiff], fmt: str, *, color: bool = False, many: bool = False
) -> str:
    """Render in ``fmt``; :class:`UsageError` names the valid formats."""
    if fmt == "text":
        return render_text(diffs, color=color)
    if fmt == "json":
        return render_json(diffs, many=many)
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise UsageError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return renderer(diffs)
