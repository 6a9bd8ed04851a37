"""A contract pattern, rewritten into the one regex dialect every engine runs.

A contract pattern is written in Python ``re`` syntax (that is what ``accord lint`` parses) and
means what ``docs/semantics.md`` pins: a full match of the whole value, ``$`` only at the very end,
and ``\\w``, ``\\d``, ``\\s``, ``\\b`` as Unicode classes (UTS #18, as Rust's ``regex`` crate and
Java's ``UNICODE_CHARACTER_CLASS`` define them). Both engines evaluate the rewritten text with
Rust's linear-time ``regex`` crate, so they cannot disagree.

The rewrite works on Python's own parse tree rather than on the text: syntax only Python knows
(``\\Z``, ``(?#...)``, ``\\N{...}``, ``{,n}``, octal escapes, a literal ``{``, ``&&`` inside a
class) is resolved by the parser and re-emitted in a form Rust reads the same way. What no
linear-time engine can run, or what would compile beyond its size limit, is refused with a reason.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from functools import lru_cache
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

_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}
_ANCHORS = {
    sre_constants.AT_BEGINNING: "^",
    sre_constants.AT_BEGINNING_STRING: r"\A",
    sre_constants.AT_END: "$",
    sre_constants.AT_END_STRING: r"\z",
    sre_constants.AT_BOUNDARY: r"\b",
    sre_constants.AT_NON_BOUNDARY: r"\B",
}
_FLAGS: tuple[tuple[int, str], ...] = (
    (sre_constants.SRE_FLAG_IGNORECASE, "i"),
    (sre_constants.SRE_FLAG_MULTILINE, "m"),
    (sre_constants.SRE_FLAG_DOTALL, "s"),
)

# Compiled size, in bytes of Rust's NFA, of one copy of each piece: upper bounds measured with
# polars 2.1 (``\w{209}`` is the largest ``\w`` repeat it compiles under its 10 MiB limit, so one
# ``\w`` costs about 50 kB). Unicode classes dominate; a counted repeat multiplies its item.
_CATEGORY_COST = {r"\w": 52_000, r"\W": 52_000, r"\d": 13_500, r"\D": 13_500}
_CATEGORY_COST |= {r"\s": 2_000, r"\S": 2_000}
_LITERAL_COST, _FOLDED_LITERAL_COST = 80, 260
_ITEM_COST, _FOLDED_ITEM_COST, _ANY_COST, _NEGATE_COST = 1_150, 2_700, 1_150, 2_700
_REPEAT_COST, _BRANCH_COST, _ANCHOR_COST = 64, 256, 64
SIZE_LIMIT = 9_000_000  # under Rust's 10 MiB, with room for the anchors accord adds
DEPTH_LIMIT = 100  # Rust refuses more than 250 nested groups, repeats and classes


class PatternRefusedError(ValueError):
    """The pattern cannot be run alike on every engine; the message says why and what to do."""


@dataclass(frozen=True)
class RustPattern:
    """The pattern as Rust ``regex`` text, anchored for a full match, and its estimated size."""

    text: str
    size: int


@lru_cache(maxsize=1024)
def to_rust(pattern: str) -> RustPattern:
    """``pattern`` (Python syntax) as an anchored Rust regex, or :class:`PatternRefusedError`."""
    with warnings.catch_warnings():  # Python warns of '[[' and '&&', which we read as it does
        warnings.simplefilter("ignore", FutureWarning)
        parsed = sre_parse.parse(pattern)
    flags = parsed.state.flags
    if flags & sre_constants.SRE_FLAG_ASCII:
        raise PatternRefusedError(_ASCII_REFUSED)
    emitter = _Emitter()
    body, size = emitter.sequence(parsed, folded=bool(flags & sre_constants.SRE_FLAG_IGNORECASE))
    if emitter.deepest > DEPTH_LIMIT:
        raise PatternRefusedError(
            f"pattern nests groups and repeats {emitter.deepest} deep, more than the "
            f"{DEPTH_LIMIT} a linear-time regex engine allows; flatten it"
        )
    if size > SIZE_LIMIT:
        raise PatternRefusedError(
            f"pattern too large for a linear-time regex engine: it compiles to about "
            f"{size / 1e6:.1f} MB, over the {SIZE_LIMIT / 1e6:.0f} MB limit; lower its repeat "
            "counts (each Unicode \\w costs about 50 kB) or use * and + instead"
        )
    global_flags = "".join(letter for flag, letter in _FLAGS if flags & flag)
    if global_flags:
        body = f"(?{global_flags}:{body})"
    return RustPattern(text=rf"\A(?:{body})\z", size=size)


_ASCII_REFUSED = (
    "the ASCII flag (?a) is not supported: classes such as \\w, \\d, \\s are Unicode on every "
    "engine; write the ASCII class out instead, such as [A-Za-z0-9_] or [0-9]"
)


def _literal(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF:
        raise PatternRefusedError(
            f"surrogate code point U+{code:04X} can never occur in text; remove it from the pattern"
        )
    char = chr(code)
    return char if char.isascii() and (char.isalnum() or char == "_") else f"\\x{{{code:X}}}"


class _Emitter:
    def __init__(self) -> None:
        self.depth = 0
        self.deepest = 0

    def _nest(self) -> None:
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)

    def sequence(self, items: Any, *, folded: bool) -> tuple[str, int]:
        parts = [self.node(op, av, folded=folded) for op, av in items]
        return "".join(text for text, _ in parts), sum(size for _, size in parts)

    def node(self, op: Any, av: Any, *, folded: bool) -> tuple[str, int]:
        if id(op) in _UNSUPPORTED:
            raise PatternRefusedError(
                f"{_UNSUPPORTED[id(op)]} cannot run in a linear-time regex engine "
                "(RE2, Rust regex); rewrite the pattern without them"
            )
        literal_cost = _FOLDED_LITERAL_COST if folded else _LITERAL_COST
        if op is sre_constants.LITERAL:
            return _literal(av), literal_cost
        if op is sre_constants.NOT_LITERAL:
            return f"[^{_literal(av)}]", _NEGATE_COST + literal_cost
        if op is sre_constants.ANY:
            return ".", _ANY_COST
        if op is sre_constants.AT:
            return _ANCHORS[av], _ANCHOR_COST
        if op is sre_constants.IN:
            return self._class(av, folded=folded)
        if op is sre_constants.BRANCH:
            self._nest()
            branches = [self.sequence(branch, folded=folded) for branch in av[1]]
            self.depth -= 1
            text = "|".join(branch for branch, _ in branches)
            return f"(?:{text})", sum(size + _BRANCH_COST for _, size in branches)
        if op is sre_constants.SUBPATTERN:
            return self._group(av, folded=folded)
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            return self._repeat(av, lazy=op is sre_constants.MIN_REPEAT, folded=folded)
        raise PatternRefusedError(f"unsupported regex construct {op}")  # pragma: no cover

    def _class(self, items: Any, *, folded: bool) -> tuple[str, int]:
        parts: list[str] = []
        size = _ITEM_COST
        item_cost = _FOLDED_ITEM_COST if folded else _ITEM_COST
        for op, av in items:
            if op is sre_constants.NEGATE:
                parts.insert(0, "^")
                size += _NEGATE_COST
            elif op is sre_constants.LITERAL:
                parts.append(_literal(av))
                size += item_cost
            elif op is sre_constants.RANGE:
                parts.append(f"{_literal(av[0])}-{_literal(av[1])}")
                size += item_cost
            elif op is sre_constants.CATEGORY:
                if av not in _CATEGORIES:  # pragma: no cover - locale classes need bytes
                    raise PatternRefusedError(f"unsupported class {av}")
                parts.append(_CATEGORIES[av])
                size += _CATEGORY_COST[_CATEGORIES[av]]
        if len(parts) == 1 and parts[0] in _CATEGORY_COST:
            return parts[0], size
        if parts == ["^"]:  # pragma: no cover - Python's parser refuses an empty class
            return "(?s:.)", _ANY_COST
        return f"[{''.join(parts)}]", size

    def _group(self, av: Any, *, folded: bool) -> tuple[str, int]:
        _, add, remove, items = av
        if add & sre_constants.SRE_FLAG_ASCII:
            raise PatternRefusedError(_ASCII_REFUSED)
        if add & sre_constants.SRE_FLAG_IGNORECASE:
            folded = True
        if remove & sre_constants.SRE_FLAG_IGNORECASE:
            folded = False
        on = "".join(letter for flag, letter in _FLAGS if add & flag)
        off = "".join(letter for flag, letter in _FLAGS if remove & flag)
        self._nest()
        body, size = self.sequence(items, folded=folded)
        self.depth -= 1
        flags = on + (f"-{off}" if off else "")
        return f"(?{flags}:{body})", size

    def _repeat(self, av: Any, *, lazy: bool, folded: bool) -> tuple[str, int]:
        low, high, item = av
        self._nest()
        body, size = self.sequence(item, folded=folded)
        self.depth -= 1
        bounded = high is not sre_constants.MAXREPEAT
        copies = high if bounded else low + 1
        counts = f"{{{low},{high}}}" if bounded else f"{{{low},}}"
        return f"(?:{body}){counts}{'?' if lazy else ''}", copies * (size + _REPEAT_COST)
