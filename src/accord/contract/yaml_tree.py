"""YAML text to plain Python values plus the position of every node, safely and with limits.

PyYAML's resolvers would turn ``NO`` into False and ``2012-01-01`` into a date behind the user's
back, and its constructors are where python tags run code. So we only *compose* the document
into nodes (no construction) and build values ourselves with the YAML 1.2 core schema:
``true``/``false``, ``null``/``~``, integers and floats; everything else is a string.

Limits are checked on the event stream *before* composing, because composing a 20,000-level
document recurses and an alias bomb is cheap to compose but explodes when expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord.errors import ContractTooLargeError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ALIASES = 100

_SAFE_TAGS = frozenset(
    {
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    }
)
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_BOOLS = {"true": True, "false": False}
_NULLS = frozenset({"null", "~", ""})

Path = tuple[str | int, ...]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with no implicit resolvers: every plain scalar is composed as text and
    :func:`_scalar` applies the YAML 1.2 core schema itself (the C parser is several times faster
    than the pure one and behaves identically)."""

    yaml_implicit_resolvers: dict[str, list[Any]] = {}  # noqa: RUF012 - PyYAML's class protocol


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class LocatedTree:
    """A document's value and the (line, column) of each path, keys and values alike."""

    value: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    built: int = 0
    """Values built so far, every expansion of an alias counted again."""
    building: set[int] = field(default_factory=set)
    """The collections being built, innermost last: their number is the depth."""


def path_text(path: Path) -> str:
    """``("fields", "amount", "checks", 0)`` to ``fields.amount.checks[0]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def parse_yaml(text: str, *, source: str | None) -> LocatedTree:
    """Parse one YAML document into a :class:`LocatedTree`, enforcing the safety limits."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_large(f"contract is larger than {MAX_BYTES // (1024 * 1024)} MiB", source)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # text from Python, decoded with surrogateescape, say
        line = text.count("\n", 0, error.start) + 1
        raise YamlSyntaxError(
            Problem(
                f"contract text holds a lone surrogate (U+{ord(text[error.start]):04X}), "
                "which is not Unicode text; decode the file as UTF-8",
                line=line,
                source=source,
            )
        ) from None
    _check_limits(text, source)
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        raise YamlSyntaxError(_syntax_problem(error, source)) from None
    except yaml.YAMLError as error:  # pragma: no cover - the limits pass meets these first
        raise YamlSyntaxError(_unmarked_problem(error, text, source)) from None
    if len(documents) > 1:
        raise YamlSyntaxError(
            Problem("a contract file holds one YAML document; found several", source=source)
        )
    tree = LocatedTree(value=None)
    if documents and documents[0] is not None:
        tree.value = _build(documents[0], (), tree, source)
    return tree


def too_large(message: str, source: str | None) -> ContractTooLargeError:
    return ContractTooLargeError(
        [Problem(f"contract too large or complex: {message}", source=source)], source=source
    )


def _check_limits(text: str, source: str | None) -> None:
    depth = nodes = aliases = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_large(
                        f"nesting deeper than {MAX_DEPTH} levels at line {_line_of(event)}",
                        source,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise too_large(f"more than {MAX_ALIASES} YAML aliases", source)
            nodes += 1
            if nodes > MAX_NODES:
                raise too_large(f"more than {MAX_NODES} YAML nodes", source)
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" in (error.problem or ""):
            # libyaml's scanner looks ahead in flow collections and meets its own depth limit
            # (1000) before the parser hands us the event that passes ours
            line = error.problem_mark.line + 1 if error.problem_mark else None
            message = f"nesting deeper than {MAX_DEPTH} levels at line {line}"
            raise too_large(message, source) from None
        raise YamlSyntaxError(_syntax_problem(error, source)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(_unmarked_problem(error, text, source)) from None


def _line_of(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark is not None else None


def _syntax_problem(error: yaml.MarkedYAMLError, source: str | None) -> Problem:
    mark = error.problem_mark or error.context_mark
    reason = " ".join(part for part in (error.context, error.problem) if part)
    return Problem(
        f"YAML syntax error: {reason or 'cannot parse'}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        source=source,
    )


def _unmarked_problem(error: yaml.YAMLError, text: str, source: str | None) -> Problem:
    """A reader error (a character YAML does not allow, such as NUL or ESC) located by line and
    column; its own text spans lines and names "<unicode string>"."""
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.position, int):
        position = error.position
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = error.character
        shown = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        return Problem(
            f"YAML syntax error: character {shown} is not allowed ({error.reason})",
            line=line,
            column=column,
            source=source,
        )
    return Problem(f"YAML syntax error: {str(error).splitlines()[0]}", source=source)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, path: Path, tree: LocatedTree, source: str | None) -> Any:
    tree.positions.setdefault(path, _mark(node))
    # Aliases multiply values without new events. Every value built counts, not every new path:
    # an alias used as a mapping key is built again at a path already seen.
    tree.built += 1
    if tree.built > MAX_NODES:
        raise too_large(f"more than {MAX_NODES} values after expanding aliases", source)
    if not _tag_ok(node, path, tree, source):
        return None
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    line, _ = _mark(node)
    if id(node) in tree.building:  # ``&a [*a]``: the alias is inside what it names
        message = f"the collection anchored at line {line} holds an alias to itself"
        raise too_large(message + " and never ends", source)
    if len(tree.building) >= MAX_DEPTH:  # aliases can nest deeper than the text does
        raise too_large(f"nesting deeper than {MAX_DEPTH} levels after expanding aliases", source)
    tree.building.add(id(node))
    try:
        return _collection(node, path, tree, source)
    finally:
        tree.building.discard(id(node))


def _collection(node: yaml.Node, path: Path, tree: LocatedTree, source: str | None) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if not _tag_ok(key_node, path, tree, source):
                    continue  # a key is text as written, but a tag on it is refused like any other
                key = key_node.value
            else:
                key = _build(key_node, path, tree, source)
            if not isinstance(key, str | int) or isinstance(key, bool):
                line, column = _mark(key_node)
                tree.problems.append(
                    Problem(
                        "mapping keys must be plain text",
                        location=path_text(path),
                        line=line,
                        column=column,
                        source=source,
                    )
                )
                continue
            child = (*path, key)
            if key in result:
                line, column = _mark(key_node)
                tree.problems.append(
                    Problem(
                        f"duplicate key '{key}'",
                        location=path_text(path),
                        line=line,
                        column=column,
                        source=source,
                    )
                )
            tree.positions[child] = _mark(key_node)
            result[key] = _build(value_node, child, tree, source)
        return result
    assert isinstance(node, yaml.SequenceNode)  # the three node kinds of YAML
    return [_build(item, (*path, index), tree, source) for index, item in enumerate(node.value)]


def _tag_ok(node: yaml.Node, path: Path, tree: LocatedTree, source: str | None) -> bool:
    """Whether ``node`` carries a plain-data tag; a problem is recorded when it does not."""
    if node.tag in _SAFE_TAGS:
        return True
    line, column = _mark(node)
    tree.problems.append(
        Problem(
            f"unsupported YAML tag '{node.tag}': contracts hold plain data only",
            location=path_text(path),
            line=line,
            column=column,
            source=source,
        )
    )
    return False


def _scalar(node: yaml.ScalarNode) -> Any:
    text: str = node.value
    if node.style not in (None, ""):
        return text  # quoted or block text is always text, whatever it looks like
    lowered = text.lower()
    if text in _NULLS or lowered == "null":
        return None
    if lowered in _BOOLS:
        return _BOOLS[lowered]
    if _INT.match(text):
        return int(text.replace("_", ""))
    if lowered in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[lowered]
    if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
        return float(text.replace("_", ""))
    return text
