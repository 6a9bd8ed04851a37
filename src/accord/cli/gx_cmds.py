"""``accord export --to gx`` and ``accord import gx``: Great Expectations suites out and in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.cli.common import Exit, warn, write_output
from accord.compile.gx_suite import export_gx as build_suite
from accord.contract.loader import load_contract, load_text
from accord.errors import UsageError
from accord.interop.gx_contract import contract_text
from accord.interop.gx_import import contract_from_suite
from accord.interop.gx_suite import read_suite


def export_gx(contract_path: Path, profile: str | None, output: Path | None, strict: bool) -> int:
    """The suite as JSON on stdout or in ``output``; each check GX cannot express is one
    ``path: reason`` line on stderr, and with ``strict`` a reason to exit 2 (column types stay
    with accord's schema pass and do not count)."""
    contract = load_contract(contract_path)
    exported = build_suite(contract, profile=profile, path=str(contract_path))
    types = [item.path for item in exported.unexported if item.kind == "type"]
    if types:
        # one line, not one per field: every type is left to accord's schema pass alike
        warn(
            f"fields.*.type: {len(types)} column types stay with accord's schema pass "
            "(GX's ExpectColumnTypeToBe names one pandas dtype; accord accepts several); "
            "they are in meta.accord.fields"
        )
    for item in exported.unexported:
        if item.kind != "type":
            warn(f"{item.path}: {item.reason}")
    refused = [item for item in exported.unexported if item.kind == "check"]
    if strict and refused:
        warn(
            f"error: {len(refused)} check{'s' if len(refused) != 1 else ''} cannot be expressed "
            "in a GX suite (--strict)"
        )
        return Exit.CANNOT_RUN
    write_output(json.dumps(exported.suite, indent=2, ensure_ascii=False), output)
    return Exit.OK


def import_gx(suite_path: Path, output: Path | None, data: Path | None) -> int:
    """The contract for a GX suite on stdout or in ``output``. Each expectation without an accord
    form is one line on stderr and is kept under ``x-gx.unmapped``; columns the suite gives no
    type need ``data`` to infer them, else exit 2 naming them."""
    suite = read_suite(_read_json(suite_path), str(suite_path))
    imported = contract_from_suite(suite, fallback_name=suite_path.stem)
    for where, reason in imported.unmapped:
        warn(f"{where}: {reason}")
    fields = imported.document["fields"]
    types: dict[str, dict[str, Any]] = {}
    if not fields and data is None:
        raise UsageError(
            f"{suite_path}: no expectation names a column accord can check "
            f"({len(imported.unmapped)} kept under x-gx); pass --data FILE to declare the "
            "data's columns"
        )
    if imported.untyped and data is None:
        raise UsageError(
            f"{suite_path}: the suite states no type for {_columns(imported.untyped)}; pass "
            "--data FILE (a sample of the data) to infer them"
        )
    if data is not None:
        types = _inferred_types(data)
        if not fields:
            for name in types:
                fields[name] = {"nullable": True}
            imported.notes.append(f"no column is checked by the suite; the columns of {data}")
        still = [name for name in imported.untyped if name not in types]
        if still:
            raise UsageError(
                f"{data}: has no column {', '.join(still)}, which the suite checks; "
                "no type can be inferred for them"
            )
    text, _, moved = contract_text(imported, suite, types, source=f"{suite_path} (imported)")
    for where, reason in moved:
        warn(f"{where}: {reason}")
    for note in imported.notes:
        warn(f"note: {note}")
    write_output(text, output)
    return Exit.OK


def _columns(names: list[str]) -> str:
    shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
    return f"{len(names)} column{'s' if len(names) != 1 else ''} ({shown})"


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})"
        ) from None


def _inferred_types(data: Path) -> dict[str, dict[str, Any]]:
    """Column types as ``accord infer`` drafts them from ``data``."""
    from accord.infer import infer_contract  # noqa: PLC0415 - loads polars

    drafted = load_text(infer_contract(data), source=f"types inferred from {data}")
    return {
        name: spec.model_dump(
            include={"type", "tz", "precision", "scale", "items", "fields"}, exclude_none=True
        )
        for name, spec in drafted.fields.items()
    }
