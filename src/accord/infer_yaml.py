"""Readable YAML for a drafted contract: block style, keys in the order given, text quoted
wherever YAML would read it as something else (``NO``, ``1.0``, ``2024-01-01``, ``null``).

Written by hand rather than by ``yaml.dump`` so the output is what a person would write: flow
lists only when short, one check per list item, no aliases, no type tags.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

# A flow list (``[a, b]``) longer than this is written as a block list instead.
_FLOW_WIDTH = 96
# Text written plain: anything else (numbers, dates, YAML keywords, punctuation) is quoted, so no
# YAML reader (1.1 or 1.2) can take it for something other than this text.
_PLAIN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./@+-]*$")
# Three dotted numbers are text to every YAML reader (no float has two points).
_VERSION_RE = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
_KEYWORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"})
# Characters PyYAML refuses in a document, plus the ones it reads as line breaks.
_UNPRINTABLE_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


def _scalar(value: Any) -> str:
    """One value as YAML: numbers and booleans plain, text quoted whenever it would be misread."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    plain = _PLAIN_RE.match(text) or _VERSION_RE.match(text)
    if plain and text == text.rstrip() and text.lower() not in _KEYWORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    return _UNPRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _flow(items: Sequence[Any], used: int, indent: int) -> list[str]:
    """A short list on the key's line (``[EUR, USD]``); a long one as a block list below it,
    items at ``indent``. ``used`` is how much of the key's line is taken already."""
    line = "[" + ", ".join(_scalar(item) for item in items) + "]"
    if used + 1 + len(line) <= _FLOW_WIDTH:
        return [" " + line]
    return ["", *(f"{' ' * indent}- {_scalar(item)}" for item in items)]


def _block(mapping: dict[str, Any], indent: int) -> list[str]:
    pad, out = " " * indent, []
    for key, value in mapping.items():
        head = f"{pad}{_scalar(key)}:"
        if isinstance(value, dict):
            out += [head, *_block(value, indent + 2)]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(head)  # checks: one-key mappings, written block style
            for check in value:
                ((kind, params),) = check.items()
                item = f"{pad}  - {kind}:"
                if isinstance(params, dict):
                    out += [item, *_block(params, indent + 6)]
                else:
                    flow = _flow(params, len(item), indent + 6)
                    out += [item + flow[0], *flow[1:]]
        elif isinstance(value, list):
            flow = _flow(value, len(head), indent + 2)
            out += [head + flow[0], *flow[1:]]
        else:
            out.append(f"{head} {_scalar(value)}")
    return out


def contract_yaml(
    *,
    header: list[str],
    name: str,
    description: str,
    delimiter: str | None,
    primary_key: list[str],
    fields: dict[str, dict[str, Any]],
) -> str:
    document: dict[str, Any] = {
        "accord": 1,
        "name": name,
        "version": "0.1.0",
        "status": "draft",
        "description": description,
    }
    if delimiter is not None:
        document["source"] = {"format": "csv", "csv": {"delimiter": delimiter}}
    if primary_key:
        document["dataset"] = {"primary_key": primary_key}
    document["fields"] = fields
    lines = [f"# {line}" for line in header]
    return "\n".join([*lines, *_block(document, 0)]) + "\n"
