"""Constructs of real ODCS files that the JSON Schema leaves open (INTEROP A.9): allowed values in
customProperties, physical types with structure, date-time formats, dialect type tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.contract.yaml_tree import parse_yaml
from accord.interop.odcs import choose, export_odcs, import_document, to_model
from accord.interop.odcs.document import ImportedObject
from accord.interop.odcs.formats import strftime
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


# ------------------------------------------------------------------ A.9.11 date-time formats


@pytest.mark.parametrize(
    ("jdk", "expected"),
    [
        ("yyyy-MM-dd", "%Y-%m-%d"),
        ("yyyy-MM-dd'T'HH:mm:ss", "%Y-%m-%dT%H:%M:%S"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSxxx", "%Y-%m-%dT%H:%M:%S.%3f%:z"),
        ("yyyy-MM-dd HH:mm:ssZ", "%Y-%m-%d %H:%M:%S%z"),
        ("dd/MM/yy hh:mm a", "%d/%m/%y %I:%M %p"),
        ("yyyy-MM-dd'T'HH:mm:ss'Z'", "%Y-%m-%dT%H:%M:%SZ"),  # a quoted Z is a literal
        ("HH 'o''clock'", "%H o'clock"),
        ("yyyy'%'MM", "%Y%%%m"),
        ("HH''mm", "%H'%M"),
    ],
)
def test_jdk_formats_map_exactly(jdk: str, expected: str) -> None:
    assert strftime(jdk) == (expected, None)


@pytest.mark.parametrize("run", ["XXX", "XX", "X"])
def test_offsets_that_write_z_are_approximated_with_a_reason(run: str) -> None:
    converted, note = strftime(f"yyyy-MM-dd'T'HH:mm:ss{run}")
    assert converted == "%Y-%m-%dT%H:%M:%S%#z"
    assert note is not None and f"offset {run} also writes UTC as 'Z'" in note


@pytest.mark.parametrize(
    ("jdk", "why"),
    [
        ("yyyy-MM-ddTHH:mm", "'T' in date-time format"),  # unquoted T: the JDK refuses it too
        ("EEE, dd MMM yyyy", "'EEE'"),
        ("yyyy-MM-dd'T", "unclosed quote"),
    ],
)
def test_formats_without_an_equivalent_are_not_mapped(jdk: str, why: str) -> None:
    converted, note = strftime(jdk)
    assert converted is None
    assert note is not None and why in note


def test_mapped_formats_read_what_the_jdk_pattern_writes() -> None:
    """The point of the mapping: values written by the JDK pattern parse, others do not."""
    pl = pytest.importorskip("polars")
    cases = [
        ("yyyy-MM-dd'T'HH:mm:ssXXX", ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+01:00"], []),
        (
            "yyyy-MM-dd'T'HH:mm:ss.SSSxxx",
            ["2024-01-02T03:04:05.123+01:00"],
            ["2024-01-02T03:04:05Z"],
        ),
        ("yyyy-MM-dd HH:mm:ss", ["2024-01-02 03:04:05"], ["2024-01-02T03:04:05"]),
    ]
    for jdk, good, bad in cases:
        converted, _ = strftime(jdk)
        assert converted is not None
        parsed = pl.Series([*good, *bad]).str.to_datetime(converted, strict=False, exact=True)
        assert parsed.is_null().to_list() == [False] * len(good) + [True] * len(bad), jdk


def test_the_bitol_data_types_example_imports_its_formats() -> None:
    path = CORPUS / "bitol" / "data-types_all-data-types.odcs.yaml"
    chosen = imported(path.read_text(encoding="utf-8"))
    fields = chosen.form["fields"]
    assert fields["txn_ref_date"]["format"] == "%Y-%m-%d"
    assert fields["txn_timestamp"]["format"] == "%Y-%m-%d %H:%M:%S"
    assert fields["txn_timestamp_tz"]["format"] == "%Y-%m-%d %H:%M:%S%z"
    assert fields["txn_time"]["format"] == "%H:%M:%S"


def test_an_iso_offset_format_validates_text_and_the_approximation_is_a_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli.app import main

    source = tmp_path / "events.odcs.yaml"
    source.write_text(
        one_property(
            "- name: at\n  logicalType: timestamp\n  required: true\n"
            "  logicalTypeOptions: {format: \"yyyy-MM-dd'T'HH:mm:ssXXX\", timezone: true}"
        )
    )
    target = tmp_path / "t.yaml"
    assert main(["import", "odcs", str(source), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "fields.at.format" in out and "also writes UTC as 'Z'" in out
    text = target.read_text()
    assert "#   fields.at.format (line " in text
    data = tmp_path / "e.csv"
    data.write_text("at\n2024-01-02T03:04:05Z\n2024-01-02T03:04:05+01:00\n2024-01-02 03:04:05\n")
    assert main(["validate", str(source), str(data), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [v["examples"][0]["row"] for v in report["violations"]] == [2]


# ------------------------------------------------------------------ A.9.13 dialects


def typed(server: str | None, logical: str | None, physical: str) -> dict[str, Any]:
    servers = f"servers:\n  - {{server: s, type: {server}}}\n" if server else ""
    prop = f"- name: c\n  physicalType: '{physical}'\n" + (
        f"  logicalType: {logical}\n" if logical else ""
    )
    form: dict[str, Any] = imported(one_property(prop, servers=servers)).form["fields"]["c"]
    return {k: form[k] for k in ("type", "tz", "precision", "scale") if k in form}


@pytest.mark.parametrize(
    ("server", "logical", "physical", "expected"),
    [
        # int8: 64-bit in Postgres and DuckDB, ambiguous without a dialect
        ("postgres", "integer", "int8", {"type": "int64"}),
        ("duckdb", "integer", "INT8", {"type": "int64"}),
        (None, "integer", "int8", {"type": "integer"}),
        # float: 32-bit in Spark and DuckDB, 64-bit in Postgres, Snowflake, SQL Server, BigQuery
        ("databricks", "number", "FLOAT", {"type": "float32"}),
        ("duckdb", "number", "float", {"type": "float32"}),
        ("postgresql", "number", "float", {"type": "float64"}),
        ("snowflake", "number", "FLOAT", {"type": "float64"}),
        ("sqlserver", "number", "float", {"type": "float64"}),
        ("bigquery", "number", "FLOAT", {"type": "float64"}),
        (None, "number", "float", {"type": "number"}),
        # Snowflake's REAL is a double; everyone else's is 32-bit
        ("snowflake", "number", "REAL", {"type": "float64"}),
        ("postgres", "number", "real", {"type": "float32"}),
        # integers: Snowflake's are NUMBER(38,0), BigQuery's INT64, SQL Server's tinyint unsigned
        ("snowflake", "integer", "INT", {"type": "integer"}),
        ("snowflake", "number", "NUMBER", {"type": "integer"}),
        ("bigquery", "integer", "INTEGER", {"type": "int64"}),
        ("sqlserver", "integer", "tinyint", {"type": "uint8"}),
        ("spark", "integer", "tinyint", {"type": "int8"}),
        ("duckdb", "integer", "UBIGINT", {"type": "uint64"}),
        # timestamp: an instant in Spark and BigQuery, naive in Postgres, Snowflake, DuckDB
        ("databricks", "timestamp", "timestamp", {"type": "timestamp", "tz": "UTC"}),
        ("bigquery", "timestamp", "TIMESTAMP", {"type": "timestamp", "tz": "UTC"}),
        ("bigquery", "timestamp", "DATETIME", {"type": "timestamp"}),
        ("postgres", "timestamp", "timestamp", {"type": "timestamp"}),
        ("snowflake", "timestamp", "TIMESTAMP", {"type": "timestamp"}),
        ("snowflake", "timestamp", "TIMESTAMP_LTZ", {"type": "timestamp", "tz": "UTC"}),
        ("sqlserver", "timestamp", "datetimeoffset", {"type": "timestamp", "tz": "UTC"}),
        ("oracle", "timestamp", "TIMESTAMP(6) WITH TIME ZONE", {"type": "timestamp", "tz": "UTC"}),
        ("oracle", "date", "DATE", {"type": "timestamp"}),  # an Oracle DATE has a time of day
        # no logical type: the physical type alone, in the dialect
        ("sqlserver", None, "bit", {"type": "bool"}),
        ("postgres", None, "int8", {"type": "int64"}),
        ("bigquery", None, "NUMERIC(10, 2)", {"type": "decimal", "precision": 10, "scale": 2}),
    ],
)
def test_physical_types_are_read_in_the_dialect_of_the_server(
    server: str | None, logical: str | None, physical: str, expected: dict[str, Any]
) -> None:
    assert typed(server, logical, physical) == expected


def test_servers_that_disagree_fall_back_to_the_shared_readings_with_a_note() -> None:
    path = DCC / "examples_orders_orders.odcs.yaml"  # a snowflake and a bigquery server
    form, chosen = field_of(path, "orders", "order_timestamp")
    assert form["tz"] == "UTC"  # the generic reading: no signal, the ODCS default
    assert any(
        n.odcs_path == "servers"
        and "bigquery, snowflake read physical types differently" in n.message
        for n in chosen.notes.items
    )


@pytest.mark.parametrize(
    ("file", "obj", "field", "expected"),
    [
        ("export_datacontract.large.odcs.yaml", "orders", "order_placed_at", None),  # snowflake
        ("dqx_datacontract.odcs.yaml", None, "interaction_timestamp", "UTC"),  # databricks
        ("bigquery_export_datacontract.odcs.yaml", None, "timestamp_ntz_field", None),  # DATETIME
    ],
)
def test_real_files_read_timestamps_in_their_dialect(
    file: str, obj: str | None, field: str, expected: str | None
) -> None:
    path = DCC / file
    name = obj or imported(path.read_text(encoding="utf-8")).odcs_name
    form, _ = field_of(path, name, field)
    assert form["type"] == "timestamp"
    assert form.get("tz") == expected


def test_the_export_reads_kept_physical_types_in_the_same_dialect() -> None:
    """ODCS -> accord -> ODCS on a Snowflake file keeps the physical type of a naive timestamp."""
    text = one_property(
        "- name: at\n  logicalType: timestamp\n  physicalType: TIMESTAMP",
        servers="servers:\n  - {server: s, type: snowflake}\n",
    )
    chosen = imported(text)
    assert "tz" not in chosen.form["fields"]["at"]
    prop = exported_property(chosen, text, "at")
    assert prop["physicalType"] == "TIMESTAMP"


# ------------------------------------------------------------------ A.9.9 structured physical types

BIGQUERY_RECORDS = DCC / "bigquery_datacontract_tablename_starting_with_number.odcs.yaml"


def test_structured_physical_types_give_what_the_properties_say() -> None:
    """A real BigQuery file states both; without the properties the physical type alone gives
    the same struct and list fields."""
    text = BIGQUERY_RECORDS.read_text(encoding="utf-8")
    full = imported(text).form["fields"]
    document = parse_yaml(text, source=None).value
    for prop in document["schema"][0]["properties"]:
        prop.pop("properties", None)
        prop.pop("items", None)
    bare = imported(json.dumps(document)).form["fields"]
    for name in ("some_record", "some_array_of_strings", "some_array_of_records"):
        assert strip(bare[name]) == strip(full[name]), name
    assert bare["some_record"]["fields"].keys() == {"some_field_1", "some_field_2"}
    assert bare["some_array_of_records"]["items"]["type"] == "struct"


def strip(form: Any) -> Any:
    """A field form without x-odcs and descriptions, nullable as loaded."""
    if isinstance(form, dict):
        return {k: strip(v) for k, v in form.items() if k not in ("x-odcs", "description", "tags")}
    return form


@pytest.mark.parametrize(
    ("server", "physical", "expected"),
    [
        (
            "databricks",
            "STRUCT<a: INT, b: ARRAY<STRING>>",
            {
                "a": {"type": "int32", "nullable": True},
                "b": {
                    "type": "list",
                    "nullable": True,
                    "items": {"type": "string", "nullable": True},
                },
            },
        ),
        (
            "bigquery",
            "struct<`first name` STRING NOT NULL, amount numeric(10, 2), at TIMESTAMP>",
            {
                "first name": {"type": "string", "nullable": False},
                "amount": {"type": "decimal", "precision": 10, "scale": 2, "nullable": True},
                "at": {"type": "timestamp", "tz": "UTC", "nullable": True},
            },
        ),
        (
            "databricks",
            "Struct<inner: struct<x: float COMMENT 'metres'>>",
            {
                "inner": {
                    "type": "struct",
                    "nullable": True,
                    "fields": {"x": {"type": "float32", "nullable": True, "description": "metres"}},
                }
            },
        ),
    ],
)
def test_struct_physical_types_of_each_dialect_are_parsed(
    server: str, physical: str, expected: dict[str, Any]
) -> None:
    text = one_property(
        f'- name: c\n  logicalType: object\n  physicalType: "{physical}"',
        servers=f"servers:\n  - {{server: s, type: {server}}}\n",
    )
    chosen = imported(text)
    form = chosen.form["fields"]["c"]
    assert form["type"] == "struct"
    assert form["fields"] == expected
    assert form["x-odcs"]["physicalType"] == physical  # kept as written, exported back
    model = to_model(chosen, parse_yaml(text, source="t"), "t")  # a valid accord contract
    assert model.fields["c"].type == "struct"


def test_parts_accord_cannot_express_are_kept_with_the_reason() -> None:
    text = one_property(
        "- name: c\n  physicalType: 'STRUCT<tags: MAP<STRING,INT>, shape: GEOGRAPHY, n: BIGINT>'"
    )
    chosen = imported(text)
    members = chosen.form["fields"]["c"]["fields"]
    assert members["tags"] == {
        "type": "string",
        "nullable": True,
        "x-odcs": {"physicalType": "MAP<STRING,INT>"},
    }
    assert members["shape"]["x-odcs"] == {"physicalType": "GEOGRAPHY"}
    assert members["n"] == {"type": "int64", "nullable": True}
    reasons = [n.message for n in chosen.notes.items if n.kind == "approximated"]
    assert any("fields.tags (MAP<STRING,INT>): accord has no map type" in r for r in reasons)
    assert any("fields.shape (GEOGRAPHY): accord does not know this type" in r for r in reasons)
    # and the export gives every kept physical type back
    prop = exported_property(chosen, text, "c")
    assert prop["physicalType"] == "STRUCT<tags: MAP<STRING,INT>, shape: GEOGRAPHY, n: BIGINT>"
    by_name = {p["name"]: p for p in prop["properties"]}
    assert by_name["tags"]["physicalType"] == "MAP<STRING,INT>"


@pytest.mark.parametrize(
    "physical", ["STRUCT<a INT", "STRUCT<>", "ARRAY<>", "STRUCT<a: INT, a: INT>", "STRUCT<1: INT>"]
)
def test_a_physical_type_that_does_not_parse_is_noted_never_an_empty_struct(physical: str) -> None:
    chosen = imported(
        one_property(f"- name: c\n  logicalType: object\n  physicalType: '{physical}'")
    )
    form = chosen.form["fields"]["c"]
    assert form["type"] == "string"
    assert form["x-odcs"]["physicalType"] == physical
    assert any("not parsed" in n.message for n in chosen.notes.items)


def test_a_parsed_struct_validates_nested_data(tmp_path: Path) -> None:
    from accord.cli.app import main

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    contract = tmp_path / "c.odcs.yaml"
    contract.write_text(
        one_property(
            "- name: c\n  logicalType: object\n  required: true\n"
            "  physicalType: 'STRUCT<a: BIGINT, b: ARRAY<STRING>>'",
            servers="servers:\n  - {server: s, type: databricks}\n",
        )
    )
    good = pa.table({"c": [{"a": 1, "b": ["x"]}, {"a": 2, "b": []}]})
    bad = pa.table({"c": [{"a": "one", "b": ["x"]}]})
    pq.write_table(good, tmp_path / "good.parquet")
    pq.write_table(bad, tmp_path / "bad.parquet")
    assert main(["validate", str(contract), str(tmp_path / "good.parquet")]) == 0
    assert main(["validate", str(contract), str(tmp_path / "bad.parquet")]) == 1
