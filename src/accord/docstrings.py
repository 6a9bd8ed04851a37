"""Field descriptions from attribute docstrings, read only when a JSON Schema is written.

The models document each field with a docstring under it. pydantic can copy those into the
schema itself (``use_attribute_docstrings``), but it reads them as every model class is created,
re-reading and parsing the class's module each time: a quarter of the command line's start-up.
Schemas are written rarely (``accord schema``, the report schema, the docs), so they are read
then, each module parsed once.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from typing import Any


def attribute_docstrings(model: type) -> dict[str, str]:
    """The docstring of each of ``model``'s fields, those it inherits included (the nearest
    class's wins, as for the fields themselves)."""
    found: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        module = sys.modules.get(klass.__module__)
        if module is None or klass.__module__ in ("builtins", "typing"):
            continue
        found.update(_module_docstrings(klass.__module__).get(klass.__qualname__, {}))
    return found


def describe_properties(schema: dict[str, Any], models: dict[str, type]) -> None:
    """Give every property of ``schema`` (the top level and each ``$defs`` entry, each named
    by the model it was made from, properties by alias) its field's docstring where it has no
    description yet, as pydantic's ``use_attribute_docstrings`` would have."""
    targets = [(schema.get("title"), schema)]
    targets += list(schema.get("$defs", {}).items())
    for name, definition in targets:
        model = models.get(str(name))
        properties = definition.get("properties") if isinstance(definition, dict) else None
        if model is None or not isinstance(properties, dict):
            continue
        docs = attribute_docstrings(model)
        for field_name, info in getattr(model, "model_fields", {}).items():
            prop = properties.get(info.serialization_alias or info.alias or field_name)
            if isinstance(prop, dict) and "description" not in prop and field_name in docs:
                prop["description"] = docs[field_name]


def models_by_name(root: type) -> dict[str, type]:
    """``root`` and every subclass of it, by class name (the names pydantic gives ``$defs``)."""
    found: dict[str, type] = {}
    pending = [root]
    while pending:
        klass = pending.pop()
        found.setdefault(klass.__name__, klass)
        pending.extend(klass.__subclasses__())
    return found


@cache
def _module_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """Class qualified name to {attribute: docstring} for every class in the module."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    except (OSError, TypeError, SyntaxError):  # no source shipped: no descriptions, no failure
        return {}
    found: dict[str, dict[str, str]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, ast.ClassDef):
                continue
            qualname = f"{prefix}{node.name}"
            docs: dict[str, str] = {}
            for statement, following in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(statement, ast.AnnAssign)
                    and isinstance(statement.target, ast.Name)
                    and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                ):
                    docs[statement.target.id] = inspect.cleandoc(following.value.value)
            found[qualname] = docs
            visit(node.body, f"{qualname}.")

    visit(tree.body, "")
    return found
