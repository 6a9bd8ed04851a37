"""``accord export --to jsonschema`` and ``--to pandera-yaml``: what they write and what they say
they could not write."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from accord.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "contracts" / "transactions.yaml"
SMALL = """\
accord: 1
name: readings
version: 1.0.0
dataset:
  columns: closed
  primary_key: [id]
fields:
  id: {type: int32}
  site: {type: string, checks: [{in: [north, south]}]}
  code: {type: string, nullable: true, checks: [{pattern: "[A-Z]{3}"}, {length: {max: 3}}]}
  value:
    type: float64
    checks:
      - between: {min: 0, max: 10, inclusive: left}
      - mean_between: {min: 1, max: 2}
  taken: {type: timestamp, tz: UTC, required: false}
"""


def test_jsonschema_export_accepts_good_records_and_rejects_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "readings.yaml"
    contract.write_text(SMALL)
    assert main(["export", str(contract), "--to", "jsonschema"]) == 0
    captured = capsys.readouterr()
    schema = json.loads(captured.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    check = jsonschema.Draft202012Validator(schema, format_checker=None)
    good = {"id": 1, "site": "north", "code": None, "value": 0}
    assert list(check.iter_errors(good)) == []
    bad = [
        {**good, "id": 2**31},  # beyond int32
        {**good, "site": "east"},
        {**good, "code": "abcd"},
        {**good, "code": "AB"},
        {**good, "value": 10},  # inclusive: left
        {**good, "extra": 1},  # columns: closed
        {k: v for k, v in good.items() if k != "site"},  # required
        {**good, "id": None},  # primary key members are not null
    ]
    for record in bad:
        assert list(check.iter_errors(record)), record
    assert "taken" not in schema["required"]
    assert "warning: fields.value.checks[1] (mean_between): not expressible" in captured.err
    assert "warning: dataset.primary_key: a rule over many records" in captured.err


def test_pandera_yaml_export_lists_every_check_it_cannot_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for engine in ("pandas", "polars"):
        assert main(["export", str(EXAMPLE), "--to", "pandera-yaml", "--engine", engine]) == 0
        captured = capsys.readouterr()
        assert f"api: {engine}" in captured.out
        warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
        assert "checks are not in the YAML" in warnings[0]
        assert "fields.amount.checks[0]" in warnings[0]
        assert "roles, pii, contract lines and profile/drift settings" in warnings[1]
    assert main(["export", str(EXAMPLE), "--to", "pandera-yaml", "--engine", "pyspark"]) == 2
    assert "no YAML writer for the 'pyspark' engine" in capsys.readouterr().err


def test_pandera_yaml_reloads_in_pandera(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandera.pandas as pa

    out = tmp_path / "schema.yaml"
    assert main(["export", str(EXAMPLE), "--to", "pandera-yaml", "-o", str(out)]) == 0
    capsys.readouterr()
    schema = pa.DataFrameSchema.from_yaml(out.read_text())
    assert schema.name == "transactions"
    assert schema.strict is True  # columns: closed survives
