"""Constructs of real ODCS files that the JSON Schema leaves open (INTEROP A.9): allowed values in
customProperties, physical types with structure, date-time formats, dialect type tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.contract.yaml_tree import parse_yaml
from accord.interop.odcs import choose, export_odcs, import_document, to_model
from accord.interop.odcs.document import ImportedObject
from odcs_support import CORPUS

DCC = CORPUS / "datacontract-cli"


def imported(text: str, object_name: str | None = None) -> ImportedObject:
    tree = parse_yaml(text, source="t.odcs.yaml")
    objects, _ = import_document(tree, "t.odcs.yaml")
    return choose(objects, object_name, "t.odcs.yaml")


def field_of(path: Path, object_name: str, field: str) -> tuple[dict[str, Any], ImportedObject]:
    chosen = imported(path.read_text(encoding="utf-8"), object_name)
    return chosen.form["fields"][field], chosen


def exported_property(chosen: ImportedObject, text: str, field: str) -> dict[str, Any]:
    tree = parse_yaml(text, source="t.odcs.yaml")
    document = export_odcs(to_model(chosen, tree, "t.odcs.yaml"))
    props = document["schema"][0]["properties"]
    found: dict[str, Any] = next(
        p for p in props if field in (p.get("name"), p.get("physicalName"))
    )
    return found


def one_property(prop: str, *, servers: str = "") -> str:
    return (
        "apiVersion: v3.1.0\nkind: DataContract\nid: t\nversion: 1.0.0\nstatus: active\n"
        f"{servers}schema:\n  - name: t\n    properties:\n"
        + "".join(f"      {line}\n" for line in prop.strip().splitlines())
    )


# ------------------------------------------------------------------ A.9.7 allowed values


@pytest.mark.parametrize(
    ("file", "field"),
    [
        ("export_datacontract.odcs.yaml", "order_status"),  # a YAML list
        ("custom_export_model_datacontract.odcs.yaml", "order_status"),  # a JSON list in a string
        ("dbt_sync_orders.odcs.yaml", "order_status"),
    ],
)
def test_an_enum_custom_property_becomes_in_and_goes_back_as_it_was(file: str, field: str) -> None:
    path = DCC / file
    text = path.read_text(encoding="utf-8")
    form, chosen = field_of(path, "orders", field)
    assert [c["in"] for c in form["checks"] if "in" in c] == [["pending", "shipped", "delivered"]]
    assert any(n.kind == "mapped" and n.message == "in" for n in chosen.notes.items)
    obj = next(o for o in parse_yaml(text, source=None).value["schema"] if o["name"] == "orders")
    original = next(
        entry
        for prop in obj["properties"]
        if prop["name"] == field
        for entry in prop["customProperties"]
        if entry["property"] == "enum"
    )
    prop = exported_property(chosen, text, field)
    assert [e for e in prop["customProperties"] if e["property"] == "enum"] == [original]
    assert not any(r.get("metric") == "invalidValues" for r in prop.get("quality", []))


def test_protobuf_enum_values_give_their_names_as_an_approximation() -> None:
    form, chosen = field_of(DCC / "protobuf_expected_sample_data.odcs.yaml", "Product", "category")
    assert form["checks"] == [
        {
            "in": [
                "CATEGORY_UNKNOWN",
                "CATEGORY_ELECTRONICS",
                "CATEGORY_CLOTHING",
                "CATEGORY_HOME_APPLIANCES",
            ],
            "x-odcs": form["checks"][0]["x-odcs"],
        }
    ]
    assert any(
        n.kind == "approximated" and "names" in n.message and n.accord_path == "fields.category"
        for n in chosen.notes.items
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("[pending, null]", "null"),
        ("'not json ['", "neither a list"),
        ("[]", "non-empty"),
        ("[[1, 2]]", "scalars"),
    ],
)
def test_an_enum_accord_cannot_say_is_kept_and_reported(value: str, why: str) -> None:
    text = one_property(
        f"- name: s\n  logicalType: string\n  customProperties:\n"
        f"    - {{property: enum, value: {value}}}"
    )
    chosen = imported(text)
    form = chosen.form["fields"]["s"]
    assert "checks" not in form
    assert form["x-odcs"]["customProperties"][0]["property"] == "enum"
    assert any(n.kind == "kept" and why in n.message for n in chosen.notes.items)


def test_an_edited_enum_exports_the_new_values() -> None:
    text = one_property(
        "- name: s\n  logicalType: string\n  customProperties:\n"
        '    - {property: enum, value: \'["a", "b"]\'}'
    )
    chosen = imported(text)
    chosen.form["fields"]["s"]["checks"][0]["in"] = ["a", "b", "c"]
    prop = exported_property(chosen, text, "s")
    assert prop["customProperties"] == [{"property": "enum", "value": ["a", "b", "c"]}]


def test_an_enum_with_a_severity_is_written_as_a_quality_rule() -> None:
    text = one_property(
        "- name: s\n  logicalType: string\n  customProperties:\n    - {property: enum, value: [a]}"
    )
    chosen = imported(text)
    chosen.form["fields"]["s"]["checks"][0]["severity"] = "warning"
    prop = exported_property(chosen, text, "s")
    assert prop["quality"][0]["metric"] == "invalidValues"
    assert "customProperty" not in prop["quality"][0]


def test_data_outside_an_enum_custom_property_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli.app import main

    contract = tmp_path / "c.odcs.yaml"
    contract.write_text(
        one_property(
            "- name: s\n  logicalType: string\n  required: true\n  customProperties:\n"
            "    - {property: enum, value: [a, b]}"
        )
    )
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("s\na\nb\n")
    bad.write_text("s\na\nz\n")
    assert main(["validate", str(contract), str(good)]) == 0
    assert main(["validate", str(contract), str(bad), "--format", "json"]) == 1
    assert '"failure_count": 1' in capsys.readouterr().out
