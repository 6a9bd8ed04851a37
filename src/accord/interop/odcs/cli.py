"""What ``accord import odcs`` and ``accord export --to odcs`` need beyond the mapping itself:
reading the file, writing readable YAML with comments, and the report text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.contract.loader import load_text, read_contract_text
from accord.contract.model import ContractModel
from accord.contract.yaml_tree import YamlSyntaxError, parse_yaml
from accord.errors import ContractError, Problem
from accord.interop.odcs import choose, export_odcs_as, import_as, import_document, to_model
from accord.interop.odcs.fields import DEFAULT_PII
from accord.interop.odcs.notes import render_notes
from accord.interop.odcs.schema import is_odcs, odcs_schema
from accord.interop.yaml_out import to_yaml


def import_file(
    path: Path, object_name: str | None, pii: frozenset[str] | None, name: str | None = None
) -> list[tuple[str, str, str, list[str]]]:
    """(name, YAML text, report, warnings) per object; ``ContractError`` when one cannot be.

    ``name`` replaces the slug of the object's name; it needs exactly one object.
    """
    source = str(path)
    text = read_contract_text(path)
    try:
        tree = parse_yaml(text, source=source)
    except YamlSyntaxError as error:
        raise ContractError([error.problem], source=source) from None
    if not isinstance(tree.value, dict) or not is_odcs(tree.value):
        raise ContractError(
            [
                Problem(
                    "not an ODCS v3 document: it needs 'apiVersion' (v3.0.x or v3.1.0) and "
                    "'kind: DataContract' at the top",
                    line=1,
                    column=1,
                    source=source,
                )
            ],
            source=source,
        )
    imported, warnings = import_document(tree, source, pii_classifications=pii or DEFAULT_PII)
    chosen = [choose(imported, object_name, source)] if object_name is not None else imported
    if name is not None:
        if len(chosen) != 1:
            names = ", ".join(o.odcs_name for o in chosen)
            raise ContractError(
                [
                    Problem(
                        f"--name names one contract, but the file holds {len(chosen)} objects "
                        f"({names}); add --object NAME",
                        location="schema",
                        source=source,
                    )
                ],
                source=source,
            )
        chosen = [import_as(tree, chosen[0], name, source, pii or DEFAULT_PII)]
    problems = [p for o in chosen for p in o.problems]
    models: list[ContractModel] = []
    for item in chosen:
        if item.problems:
            continue
        try:
            models.append(to_model(item, tree, source))
        except ContractError as error:
            problems.extend(error.problems)
    if problems:
        raise ContractError(problems, source=source)
    out = []
    for item, model in zip(chosen, models, strict=True):
        approximated = [n for n in item.notes.items if n.kind == "approximated"]
        header = [
            f"Imported by `accord import odcs` from {path.name}, object {item.odcs_name!r} "
            f"(ODCS {tree.value.get('apiVersion')}).",
            "Values under x-odcs are ODCS facts accord does not use; `accord export --to odcs`",
            "writes them back as they were.",
        ]
        if approximated:
            header += ["", "Approximated (check these):"]
            header += [
                f"  {n.accord_path or n.odcs_path} (line {_line(tree, n.odcs_path)}): {n.message}"
                for n in approximated
            ]
        yaml_text = to_yaml(item.form, header=header)
        # The written text must load back to the very contract the report describes.
        again = load_text(yaml_text, source=f"{item.name}.yaml")
        assert again.model_dump() == model.model_dump(), "the written contract loads differently"
        report = render_notes(
            item.notes.items, title=f"imported {item.odcs_name!r} -> {item.name} ({{target}})"
        )
        out.append((item.name, yaml_text, report, [str(w) for w in warnings]))
    return out


def _line(tree: Any, odcs_path: str) -> str:
    from accord.interop.odcs import odcs_tuple  # noqa: PLC0415

    path = odcs_tuple(odcs_path)
    for end in range(len(path), -1, -1):
        found = tree.positions.get(path[:end])
        if found:
            return str(found[0])
    return "?"


def export_text(model: ContractModel, version: str = "3.1.0") -> tuple[str, list[str]]:
    """The ODCS document as YAML, and what the chosen version could not hold natively."""
    import jsonschema  # noqa: PLC0415 - only ODCS exports pay for it

    document, warnings = export_odcs_as(model, version)
    validator = jsonschema.Draft201909Validator(odcs_schema(version))
    # a guard, not a filter: an export the schema refuses is a bug, and the user hears of it
    warnings += [
        f"the export does not validate against ODCS {version}: "
        f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    return to_yaml(document), warnings
