"""ODCS documents against the bundled ODCS v3.1.0 JSON Schema (Apache-2.0, bitol-io).

The schemas under ``schemas/`` are bitol-io/open-data-contract-standard's ``schema/`` files,
verbatim, at commit e6a1c66 (v3.1.0 and v3.0.2); ``schemas/LICENSE-odcs-Apache-2.0.txt``.

Every v3.x file is checked against v3.1.0, whose ``apiVersion`` enum admits v3.0.x too (INTEROP
A.9.1); datacontract-cli does the same. All schema errors are reported together, each at its line.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from accord.contract.yaml_tree import LocatedTree, path_text
from accord.errors import Problem

SUPPORTED = re.compile(r"^v?3\.[01]\.[0-9]+$")


def is_odcs(raw: dict[Any, Any]) -> bool:
    """An ODCS document names itself: ``kind`` and ``apiVersion`` at the top, no ``accord``."""
    return "apiVersion" in raw and ("kind" in raw or "schema" in raw) and "accord" not in raw


@functools.cache
def odcs_schema(version: str = "3.1.0") -> dict[str, Any]:
    """The bundled ODCS JSON Schema of ``version`` (3.1.0 reads every v3.x file; 3.0.2 checks
    what ``export --odcs-version 3.0.2`` writes)."""
    name = f"odcs-json-schema-v{version.lstrip('v')}.json"
    text = resources.files("accord.interop.odcs").joinpath(f"schemas/{name}").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_problems(tree: LocatedTree, source: str | None) -> list[Problem]:
    """Version, kind and JSON Schema problems of an ODCS document, all at once."""
    raw = tree.value
    version = raw.get("apiVersion")
    if not isinstance(version, str) or not SUPPORTED.match(version):
        return [
            _problem(
                tree,
                ("apiVersion",),
                f"unsupported ODCS version {version!r}; accord reads ODCS v3.0.x and v3.1.0",
                source,
            )
        ]
    import jsonschema  # noqa: PLC0415 - only ODCS files pay for it

    validator = jsonschema.Draft201909Validator(odcs_schema())
    found: dict[tuple[tuple[str | int, ...], str], Any] = {}
    for error in validator.iter_errors(raw):
        deepest = _deepest(error)
        path = tuple(deepest.absolute_path)
        found.setdefault((path, _message(deepest)), deepest)
    paths = [path for path, _ in found]
    problems = []
    for (path, message), error in found.items():
        # "unevaluated properties" also fires on a mapping whose members failed elsewhere; only
        # a mapping with no failing member really has unknown keys.
        if error.validator == "unevaluatedProperties" and any(
            p != path and p[: len(path)] == path for p in paths
        ):
            continue
        problems.append(_problem(tree, path, message, source))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))


def _deepest(error: Any) -> Any:
    """For ``oneOf``/``anyOf`` failures, the branch error that got furthest into the value."""
    if not error.context:
        return error
    from jsonschema.exceptions import best_match  # noqa: PLC0415

    return _deepest(best_match(error.context))


def _message(error: Any) -> str:
    validator = error.validator
    if validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        return f"missing required key '{missing.group(1) if missing else error.message}'"
    if validator == "type":
        return f"{_shown(error.instance)} is not {_a(error.validator_value)}"
    if validator == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return f"{_shown(error.instance)} is not one of: {choices}"
    if validator in ("additionalProperties", "unevaluatedProperties"):
        keys = re.findall(r"'([^']+)'", str(error.message))
        return "unknown key" + ("s " if len(keys) != 1 else " ") + ", ".join(f"'{k}'" for k in keys)
    return str(error.message)


def _shown(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, dict | list) else type(value).__name__


def _a(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    words = {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "integer": "an integer",
    }
    return " or ".join(words.get(str(n), f"a {n}") for n in names)


def _problem(
    tree: LocatedTree, path: tuple[str | int, ...], message: str, source: str | None
) -> Problem:
    line = column = None
    for end in range(len(path), -1, -1):
        found = tree.positions.get(path[:end])
        if found:
            line, column = found
            break
    return Problem(message, location=path_text(path), line=line, column=column, source=source)
