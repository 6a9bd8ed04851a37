"""Physical types with structure (``STRUCT<a: INT, b: ARRAY<STRING>>``) to accord struct and list
fields (INTEROP A.9.9).

Spark/Databricks write ``name: TYPE``, BigQuery and Hive ``name TYPE``; keywords are
case-insensitive, names may be backquoted, and members may say ``NOT NULL`` and ``COMMENT '...'``.
Scalars are read in the document's dialect. A part accord cannot express (a ``MAP``, an unknown
scalar) becomes a nullable string that keeps its physical type under ``x-odcs``, and the reason
is returned for the import report: never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(`(?:[^`]|``)*`)|('(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(.))"
)
ScalarReader = Callable[[str], dict[str, Any] | None]
"""Reads one scalar physical type to accord type keys, or None when it names no accord type."""


class NestedTypeError(ValueError):
    """The text is not a structured type accord can parse (internal: the caller notes it)."""


@dataclass
class Parsed:
    form: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    """Why a part became a string: ``path: reason``."""


def is_nested(physical: Any) -> bool:
    return isinstance(physical, str) and bool(
        re.match(r"\s*(struct|array|map)\s*<", physical, re.IGNORECASE)
    )


def parse(physical: str, read_scalar: ScalarReader) -> Parsed:
    """``physical`` as an accord field form (struct or list); raises ``NestedTypeError``."""
    tokens, spans = _tokens(physical)
    parser = _Parser(tokens, read_scalar, physical, spans)
    form = parser.type_("")
    if parser.position != len(tokens):
        raise NestedTypeError(f"unexpected {parser.peek()!r} after the type")
    return Parsed(form, parser.notes)


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The tokens, and where each is in ``text`` (so a kept part is the text as written)."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        word = match.group(0).strip()
        if word:
            found.append(word)
            spans.append((match.end() - len(word), match.end()))
        position = match.end()
    return found, spans


class _Parser:
    def __init__(
        self,
        tokens: list[str],
        read_scalar: ScalarReader,
        source: str,
        spans: list[tuple[int, int]],
    ) -> None:
        self.tokens = tokens
        self.source = source
        self.spans = spans
        self.position = 0
        self.read_scalar = read_scalar
        self.notes: list[str] = []

    def peek(self) -> str:
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        word = self.peek()
        if not word or (expected is not None and word.lower() != expected):
            raise NestedTypeError(f"expected {expected or 'a type'}, found {word or 'the end'!r}")
        self.position += 1
        return word

    def type_(self, path: str) -> dict[str, Any]:
        start = self.position
        word = self.peek().lower()
        if word == "struct" and self.tokens[self.position + 1 : self.position + 2] == ["<"]:
            return self.struct(path)
        if word == "array" and self.tokens[self.position + 1 : self.position + 2] == ["<"]:
            self.take()
            self.take("<")
            items = self.type_(f"{path}.items" if path else "items")
            self.take(">")
            return {"type": "list", "nullable": True, "items": items}
        if word == "map" and self.tokens[self.position + 1 : self.position + 2] == ["<"]:
            self.take()
            self.take("<")
            self.type_(path)
            self.take(",")
            self.type_(path)
            self.take(">")
            return self.unknown(start, path, "accord has no map type")
        return self.scalar(start, path)

    def struct(self, path: str) -> dict[str, Any]:
        self.take()
        self.take("<")
        members: dict[str, Any] = {}
        while self.peek() != ">":
            name = self.take()
            if not re.match(r"[A-Za-z_`]", name):
                raise NestedTypeError(f"expected a member name, found {name!r}")
            name = name[1:-1].replace("``", "`") if name.startswith("`") else name
            if self.peek() == ":":
                self.take()
            here = f"{path}.fields.{name}" if path else f"fields.{name}"
            member = self.type_(here)
            if self.peek().lower() == "not":
                self.take()
                self.take("null")
                member["nullable"] = False
            if self.peek().lower() == "comment":
                self.take()
                member["description"] = self.take()[1:-1]
            if name in members:
                raise NestedTypeError(f"member {name!r} appears twice")
            members[name] = member
            if self.peek() == ",":
                self.take()
            elif self.peek() != ">":
                raise NestedTypeError(f"expected ',' or '>', found {self.peek() or 'the end'!r}")
        self.take(">")
        if not members:
            raise NestedTypeError("a STRUCT without members")
        return {"type": "struct", "nullable": True, "fields": members}

    def scalar(self, start: int, path: str) -> dict[str, Any]:
        depth = 0
        while self.peek() and (depth or self.peek() not in (",", ">", "<")):
            word = self.peek().lower()
            if not depth and word in ("not", "comment") and self.position > start:
                break
            depth += {"(": 1, ")": -1}.get(word, 0)
            self.take()
        if self.position == start:
            raise NestedTypeError(f"expected a type, found {self.peek() or 'the end'!r}")
        keys = self.read_scalar(self.text(start))
        if keys is None:
            return self.unknown(start, path, "accord does not know this type")
        return {**keys, "nullable": True}

    def text(self, start: int) -> str:
        """The tokens from ``start`` to here, as written."""
        return self.source[self.spans[start][0] : self.spans[self.position - 1][1]]

    def unknown(self, start: int, path: str, reason: str) -> dict[str, Any]:
        text = self.text(start)
        self.notes.append(f"{path or 'the field'} ({text}): {reason}; read as string")
        return {"type": "string", "nullable": True, "x-odcs": {"physicalType": text}}
