"""Patterns must compile and must be expressible by a linear-time regex engine.

Polars runs patterns with Rust's ``regex`` crate and the pandas engine with RE2 (through pyarrow);
both guarantee linear time and neither supports backreferences or lookaround. Rejecting those at
load, with the reason, is better than a pattern that works on one engine and not on another, or a
catastrophic backtracking pattern that hangs CI under Python's ``re``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The parser is private, but has been stable for two decades and is the only exact way to see
# what a pattern contains; typeshed does not describe it, hence Any.
sre_constants: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

# Keyed by identity: opcodes are named int singletons, and a repeat count such as the 12 of
# ``{12}`` compares equal to the opcode numbered 12 without being it.
_UNSUPPORTED = {
    id(sre_constants.GROUPREF): "backreferences",
    id(sre_constants.GROUPREF_EXISTS): "conditional backreferences",
    id(sre_constants.ASSERT): "lookahead/lookbehind",
    id(sre_constants.ASSERT_NOT): "negative lookahead/lookbehind",
    id(sre_constants.ATOMIC_GROUP): "atomic groups",
    id(sre_constants.POSSESSIVE_REPEAT): "possessive quantifiers",
}


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    try:
        re.compile(pattern)
    except re.error as error:
        return f"{error.msg} at position {error.pos}" if error.pos is not None else error.msg
    except RecursionError:
        return "pattern is nested too deeply"
    try:
        parsed = sre_parse.parse(pattern)
    except RecursionError:  # pragma: no cover - compile would have failed first
        return "pattern is nested too deeply"
    found = _find_unsupported(parsed)
    if found:
        return (
            f"{found} cannot run in a linear-time regex engine (RE2, Rust regex); "
            "rewrite the pattern without them"
        )
    return None


def _find_unsupported(parsed: object) -> str | None:
    stack: list[object] = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, sre_parse.SubPattern):
            stack.extend(item.data)
        elif isinstance(item, tuple | list):
            if item and id(item[0]) in _UNSUPPORTED:
                return _UNSUPPORTED[id(item[0])]
            stack.extend(item)
    return None
