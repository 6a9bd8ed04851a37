"""ODCS v3 (Open Data Contract Standard) in and out (INTEROP part A).

``detect`` and ``load`` are what the contract loader calls on any file that names itself ODCS,
so ``accord.load``, ``lint``, ``validate`` and ``diff`` read ODCS directly. ``import_document``
gives every schema object with its import report; ``export_contract`` writes ODCS v3.1.0.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from accord.contract.loader import model_from_tree
from accord.contract.model import ContractModel
from accord.contract.yaml_tree import LocatedTree
from accord.errors import ContractError, Problem
from accord.interop.odcs import v302
from accord.interop.odcs.document import ImportedObject, export_contract, import_object, slug
from accord.interop.odcs.fields import DEFAULT_PII, Context
from accord.interop.odcs.forms import contract_form
from accord.interop.odcs.notes import Notes
from accord.interop.odcs.schema import is_odcs, schema_problems

__all__ = ["detect", "export_odcs", "export_odcs_as", "import_document", "load", "slug"]


def detect(raw: dict[Any, Any]) -> bool:
    return is_odcs(raw)


def import_document(
    tree: LocatedTree,
    source: str | None,
    *,
    pii_classifications: frozenset[str] = DEFAULT_PII,
) -> tuple[list[ImportedObject], list[Problem]]:
    """Every schema object of a valid ODCS document, and the schema warnings that did not stop it.

    An object that cannot be imported is returned with its ``problems``. Raises ``ContractError``
    with every problem when the file is not usable ODCS v3 at all.
    """
    fatal, warnings = _split(tree, schema_problems(tree, source))
    raw = tree.value
    objects = raw.get("schema") if isinstance(raw.get("schema"), list) else []
    if not fatal and not objects:
        fatal.append(
            Problem(
                "the ODCS file has no schema objects to import", location="schema", source=source
            )
        )
    if fatal:
        raise ContractError(fatal, source=source)
    warnings += _newer_constructs(tree, source)
    imported: list[ImportedObject] = []
    taken: set[str] = set()
    for index, obj in enumerate(objects):
        name = slug(obj.get("name") if isinstance(obj, dict) else "object")
        if name in taken:
            suffix = 2
            while f"{name}_{suffix}" in taken:
                suffix += 1
            name = f"{name}_{suffix}"
        taken.add(name)
        ctx = Context(notes=Notes(), pii_classes=pii_classifications, slug=slug)
        done = import_object(raw, index, name, ctx)
        done.problems = [_located(tree, n.odcs_path, n.message, source) for n in ctx.notes.errors]
        imported.append(done)
    return imported, warnings


def import_as(
    tree: LocatedTree,
    item: ImportedObject,
    name: str,
    source: str | None,
    pii_classifications: frozenset[str] = DEFAULT_PII,
) -> ImportedObject:
    """``item`` imported again under the contract name ``name`` (``import odcs --name``).

    Imported afresh, not renamed after the fact, so ``x-odcs`` keeps the object name whenever
    the export would no longer write it.
    """
    ctx = Context(notes=Notes(), pii_classes=pii_classifications, slug=slug)
    done = import_object(tree.value, item.index, name, ctx)
    done.problems = [_located(tree, n.odcs_path, n.message, source) for n in ctx.notes.errors]
    return done


def load(tree: LocatedTree, source: str | None, object_name: str | None) -> ContractModel:
    imported, warnings = import_document(tree, source)
    chosen = choose(imported, object_name, source)
    model = to_model(chosen, tree, source)
    if warnings:
        origin = model.origin.model_copy(update={"warnings": tuple(map(str, warnings))})
        model = model.with_origin(origin)
    return model


def choose(
    imported: list[ImportedObject], object_name: str | None, source: str | None
) -> ImportedObject:
    """The object ``object_name`` names (its accord or ODCS name), or the only one."""
    names = ", ".join(o.odcs_name for o in imported)
    if object_name is None:
        if len(imported) == 1:
            return imported[0]
        message = (
            f"the ODCS file holds {len(imported)} objects ({names}); pick one with --object NAME"
        )
    else:
        for candidate in imported:
            if object_name in (candidate.name, candidate.odcs_name):
                return candidate
        message = f"no object named {object_name!r} in the ODCS file; objects: {names}"
    raise ContractError([Problem(message, location="schema", source=source)], source=source)


def to_model(chosen: ImportedObject, tree: LocatedTree, source: str | None) -> ContractModel:
    """The accord contract of one object; its problems and report lines point into the ODCS file."""
    if chosen.problems:
        raise ContractError(chosen.problems, source=source)
    known: dict[tuple[str | int, ...], tuple[int, int]] = {}
    for accord_path, odcs_path in chosen.positions.items():
        found = tree.positions.get(odcs_tuple(odcs_path))
        if found:
            known[accord_path] = found
    # every accord path points at the line of its nearest ancestor that came from a known place
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    for path in _paths(chosen.form, ()):
        for end in range(len(path), -1, -1):
            if path[:end] in known:
                positions[path] = known[path[:end]]
                break
    located = LocatedTree(value=chosen.form, positions=positions)
    return model_from_tree(located, source)


def export_odcs(model: ContractModel) -> dict[str, Any]:
    """The contract as one ODCS v3.1.0 document; imports back to the same contract."""
    return export_contract(contract_form(model), Context(slug=slug))


def export_odcs_as(model: ContractModel, version: str) -> tuple[dict[str, Any], list[str]]:
    """The contract as ODCS ``version`` (3.1.0 or 3.0.2), and what 3.0.2 could not hold natively.

    Both import back to the same contract: what v3.0.2 cannot spell rides in the carrier.
    """
    if version.lstrip("v") == "3.1.0":
        return export_odcs(model), []
    form = contract_form(model)
    ctx = Context(slug=slug)
    down, warnings = v302.downgrade(export_contract(form, ctx))
    back = import_object(copy.deepcopy(down), 0, form["name"], ctx.mirror())
    return v302.repair(down, form, back.form), warnings


def _paths(node: Any, prefix: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def odcs_tuple(path: str) -> tuple[str | int, ...]:
    """``schema[0].properties[2]`` to ``("schema", 0, "properties", 2)``."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


def _located(tree: LocatedTree, odcs_path: str, message: str, source: str | None) -> Problem:
    path = odcs_tuple(odcs_path)
    for end in range(len(path), -1, -1):
        found = tree.positions.get(path[:end])
        if found:
            return Problem(
                message, location=odcs_path, line=found[0], column=found[1], source=source
            )
    return Problem(message, location=odcs_path, source=source)


def _split(tree: LocatedTree, problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """Schema problems that stop an import, and those accord can live with.

    Server entries are never read by accord (SPEC 1.8), and v3.0 files may still use the v3.0
    ``team`` list, ``rule:`` quality keys and boolean exclusive bounds, which the v3.1.0 schema
    no longer admits.
    """
    raw = tree.value
    legacy = str(raw.get("apiVersion", "")).lstrip("v").startswith("3.0")
    fatal: list[Problem] = []
    warnings: list[Problem] = []
    for problem in problems:
        path = odcs_tuple(problem.location)
        tolerated = path[:1] == ("servers",) or (
            legacy
            and (path[:1] == ("team",) or _in_legacy_rule(raw, path) or _legacy_bound(raw, path))
        )
        (warnings if tolerated else fatal).append(problem)
    return fatal, warnings


def _newer_constructs(tree: LocatedTree, source: str | None) -> list[Problem]:
    """v3.1 constructs in a file that says v3.0.x: read as v3.1, with a warning (A.9.1)."""
    raw = tree.value
    version = str(raw.get("apiVersion", ""))
    if not version.lstrip("v").startswith("3.0"):
        return []
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(raw.get("team"), dict):
        found.append((("team",), "a v3.1 team object (v3.0 has a list of members)"))
    for path in _paths(raw.get("schema"), ("schema",)):
        node: Any = raw
        for part in path:
            node = node[part]
        if not isinstance(node, dict):
            continue
        if path[-2:-1] == ("quality",) and "metric" in node:
            found.append((path, "a v3.1 'metric:' quality rule (v3.0 says 'rule:')"))
        if node.get("logicalType") in ("timestamp", "time"):
            found.append((path, f"the v3.1 logical type {node['logicalType']!r}"))
    return [
        _located(tree, _path_text(path), f"{version} file uses {what}; read as v3.1", source)
        for path, what in found
    ]


def _path_text(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _legacy_bound(raw: Any, path: tuple[str | int, ...]) -> bool:
    """A v3.0 ``exclusiveMinimum: true``: the v3.0 schemas' boolean form, read by type (A.9.2)."""
    if path[-1:] not in (("exclusiveMinimum",), ("exclusiveMaximum",)):
        return False
    nodes = list(_along(raw, path))
    return len(nodes) == len(path) and isinstance(nodes[-1], bool)


def _in_legacy_rule(raw: Any, path: tuple[str | int, ...]) -> bool:
    return any(
        isinstance(node, dict) and "rule" in node and "metric" not in node
        for node in _along(raw, path)
    )


def _along(raw: Any, path: tuple[str | int, ...]) -> Iterator[Any]:
    """Each node of ``raw`` on ``path``, as far as the path leads."""
    node = raw
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
        yield node
