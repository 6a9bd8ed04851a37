"""The imported contract as YAML that accord itself loads: types filled in, and every check the
loader refuses (a regex RE2 cannot run, a bound of the wrong type) moved under ``x-gx.unmapped``
with the loader's own message, so the file written is always a valid contract."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import yaml

from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.errors import ContractError
from accord.interop.gx_import import Imported
from accord.interop.gx_suite import Suite

_MOVABLE = re.compile(
    r"^(?:fields\.(?P<field>.+)\.checks\[(?P<check>\d+)\]|dataset\.(?P<list>rules|unique)"
    r"\[(?P<item>\d+)\])"
)
_TYPE_KEYS = ("type", "tz", "precision", "scale", "items", "fields")


def contract_text(
    imported: Imported,
    suite: Suite,
    types: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    source: str,
) -> tuple[str, ContractModel, list[tuple[str, str]]]:
    """The YAML text, the loaded contract, and (where, reason) of each check moved aside."""
    document = copy.deepcopy(imported.document)
    for name, spec in document["fields"].items():
        given = (types or {}).get(name)
        if "type" not in spec and given is not None:
            spec.update({k: v for k, v in given.items() if k in _TYPE_KEYS})
    moved: list[tuple[str, str]] = []
    for _ in range(1000):  # each round moves at least one check, so this ends
        text = dump(document)
        try:
            return text, load_text(text, source=source), moved
        except ContractError as error:
            removals = _removals(error, document)
            if not removals:
                raise
            for where, reason in removals:
                expectation = imported.origins.get(where)
                raw = suite.expectations[expectation].raw if expectation is not None else None
                if expectation is not None:
                    imported.moved.append(expectation)
                moved.append((where, reason))
                document["x-gx"].setdefault("unmapped", []).append(
                    {"expectation": raw, "reason": reason}
                )
            _remove(document, [w for w, _ in removals], imported)
    raise AssertionError("unreachable: every round removes a check")  # pragma: no cover


def dump(document: Mapping[str, Any]) -> str:
    return yaml.safe_dump(
        dict(document), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


def _removals(error: ContractError, document: Mapping[str, Any]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for problem in error.problems:
        match = _MOVABLE.match(problem.location)
        if match is None:
            return []
        if match.group("field") is not None:
            where = f"fields.{match.group('field')}.checks[{match.group('check')}]"
            if match.group("field") not in document["fields"]:
                return []
        else:
            where = f"dataset.{match.group('list')}[{match.group('item')}]"
        found.setdefault(where, problem.message)
    return list(found.items())


def _remove(document: dict[str, Any], paths: list[str], imported: Imported) -> None:
    """Drop the checks at ``paths``, renumbering what follows so origins still point right."""
    by_list: dict[tuple[str, ...], set[int]] = {}
    for path in paths:
        match = _MOVABLE.match(path)
        assert match is not None
        if match.group("field") is not None:
            key: tuple[str, ...] = ("fields", match.group("field"))
            by_list.setdefault(key, set()).add(int(match.group("check")))
        else:
            by_list.setdefault(("dataset", match.group("list")), set()).add(
                int(match.group("item"))
            )
    for key, drop in by_list.items():
        if key[0] == "fields":
            spec = document["fields"][key[1]]
            items, prefix = spec["checks"], f"fields.{key[1]}.checks"
            spec["checks"] = [c for i, c in enumerate(items) if i not in drop]
            if not spec["checks"]:
                del spec["checks"]
        else:
            items, prefix = document["dataset"][key[1]], f"dataset.{key[1]}"
            document["dataset"][key[1]] = [c for i, c in enumerate(items) if i not in drop]
            if not document["dataset"][key[1]]:
                del document["dataset"][key[1]]
        kept = [i for i in range(len(items)) if i not in drop]
        old = {i: imported.origins.pop(f"{prefix}[{i}]", None) for i in range(len(items))}
        for new_index, old_index in enumerate(kept):
            if old[old_index] is not None:
                imported.origins[f"{prefix}[{new_index}]"] = old[old_index]  # type: ignore[assignment]
