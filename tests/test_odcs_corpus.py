"""Real public ODCS files (tests/fixtures/odcs_corpus, sources in SOURCES.md) import with exit 0,
or exit 2 with located problems when they are invalid; ODCS -> accord -> ODCS keeps every value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import accord
from accord.cli.app import main
from accord.contract.yaml_tree import parse_yaml
from accord.interop.odcs import export_odcs
from odcs_support import CORPUS

FILES = sorted(CORPUS.glob("*/*.yaml"))
# Invalid against the ODCS v3.1.0 JSON Schema (or not ODCS, or with nothing to import).
INVALID = {
    "bitol/roles_service-and-operational-roles.odcs.yaml": "no schema objects",
    "bitol/server_azure-server.odcs.yaml": "no schema objects",
    "bitol/sla_database-table-sla.odcs.yaml": "no schema objects",
    "bitol/stakeholders_basic-four-dpo.odcs.yaml": "no schema objects",
    "bitol/schema_kafka-schemaregistry.odcs.yaml": "declares no properties",
    "bitol/server_kafka-server.odcs.yaml": "declares no properties",
    "datacontract-cli/datacontract_schemas_odcs-3.1.0.init.yaml": "no schema objects",
    "datacontract-cli/dbt_import_expected_manifest_empty_columns_filtered.odcs.yaml": "declares no",
    "datacontract-cli/lint_invalid.odcs.yaml": "missing required key 'status'",
    "datacontract-cli/lint_invalid_multiple_errors.odcs.yaml": "missing required key 'version'",
    "datacontract-cli/lint_invalid_multiple_schema_errors.odcs.yaml": "null is not a string",
    "datacontract-cli/lint_odcs_with_extra_top_level.yaml": "unknown key 'change_management'",
    "datacontract-cli/markdown_export_multicolumn.odcs.yaml": "not an ODCS v3 document",
    "datacontract-cli/mysql_odcs.yaml": "unknown keys 'isNullable', 'isUnique'",
    "datacontract-cli/postgres_odcs.yaml": "unknown keys 'isNullable', 'isUnique'",
    "datacontract-cli/postgres_odcs_case_sensitive.odcs.yaml": "unknown keys 'isNullable'",
    "datacontract-cli/postgres_servicelevels.odcs.yaml": "unknown keys 'isNullable'",
    "datacontract-cli/redshift_odcs.yaml": "unknown keys 'isNullable'",
    "datacontract-cli/sodacl_datacontract.odcs.yaml": "declares no properties",
}


def test_the_corpus_is_large_and_documented() -> None:
    assert len(FILES) >= 30
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for path in FILES:
        assert path.relative_to(CORPUS).as_posix() in sources
    for folder in {path.parent for path in FILES}:
        assert (folder / "LICENSE").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_each_file_imports_or_fails_cleanly(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = path.relative_to(CORPUS).as_posix()
    code = main(["import", "odcs", str(path), "-o", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err
    if name in INVALID:
        assert code == 2
        assert INVALID[name] in captured.err
        assert f"{path}" in captured.err
        return
    assert code == 0, captured.err
    written = sorted((tmp_path / "out").glob("*.yaml"))
    # read as accord reads it: YAML 1.2 core, so 2022-10-03 stays text
    original = parse_yaml(path.read_text(encoding="utf-8"), source=None).value
    assert len(written) == len(original["schema"])  # one contract per object, none dropped
    for contract_path in written:
        contract = accord.load(contract_path)
        assert f"-> {contract.name} ({contract_path})" in captured.out
        exported = export_odcs(contract.model)
        obj = next(o for o in original["schema"] if _slug_of(o, contract.name, original))
        _assert_kept(original, exported, obj)


def _slug_of(obj: dict[str, Any], name: str, original: dict[str, Any]) -> bool:
    from accord.interop.odcs import slug

    names = [slug(o.get("name")) for o in original["schema"]]
    index = original["schema"].index(obj)
    taken = names[:index]
    expected = (
        names[index]
        if names[index] not in taken
        else f"{names[index]}_{taken.count(names[index]) + 1}"
    )
    return expected == name


def _assert_kept(original: dict[str, Any], exported: dict[str, Any], obj: dict[str, Any]) -> None:
    """Every value of the original document and object is in the export, compared as data."""
    for key, value in original.items():
        if key != "schema":
            assert exported.get(key) == value, key
    _assert_same_object(obj, exported["schema"][0], "schema[0]")


def _assert_same_object(before: dict[str, Any], after: dict[str, Any], where: str) -> None:
    for key, value in before.items():
        if key == "properties":
            by_name = {p.get("name"): p for p in after.get("properties") or []}
            for prop in value:
                _assert_same_object(prop, by_name[prop["name"]], f"{where}.{prop['name']}")
        elif key == "items" and isinstance(value, dict):
            _assert_same_object(value, after["items"], f"{where}.items")
        elif key == "logicalTypeOptions" and isinstance(value, dict):
            # the export may state more (the format of an int32), never less
            for option, setting in value.items():
                assert after[key].get(option) == setting, f"{where}.{key}.{option}"
        elif key == "customProperties":
            for entry in value:
                assert entry in after.get(key, []), f"{where}.{key}: {entry}"
        else:
            assert after.get(key) == value, f"{where}.{key}"
