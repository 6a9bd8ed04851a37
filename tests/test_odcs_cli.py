"""``accord import odcs`` and ``accord export --to odcs`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import accord
from accord.cli.app import main
from accord.interop.odcs.forms import strip_extensions
from accord.interop.odcs.schema import odcs_schema
from odcs_support import CORPUS

MULTI = CORPUS / "datacontract-cli" / "examples_orders_orders.odcs.yaml"
SINGLE = CORPUS / "bitol" / "schema_table-column.odcs.yaml"
ORDERS = """\
apiVersion: v3.1.0
kind: DataContract
id: orders-1
version: "1.0"
status: active
schema:
  - name: Orders Table
    properties:
      - name: order_id
        logicalType: string
        required: true
        logicalTypeOptions: {pattern: "^[A-Z]+"}
        classification: internal
      - name: amount
        logicalType: number
        quality:
          - {metric: nullValues, mustBeLessOrEqualTo: 5, unit: percent}
          - {type: sql, query: "SELECT 1", mustBe: 1}
"""


def test_import_one_object_to_stdout_with_the_report_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", "odcs", str(SINGLE)]) == 0
    captured = capsys.readouterr()
    contract = accord.load(captured.out)
    assert contract.name == "tbl"
    assert captured.out.startswith("# Imported by `accord import odcs`")
    assert "-> tbl (stdout)" in captured.err
    assert "mapped:" in captured.err and "kept unmapped under x-odcs" in captured.err


def test_import_writes_approximations_as_comments_and_reports_every_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "orders.odcs.yaml"
    source.write_text(ORDERS)
    target = tmp_path / "orders.yaml"
    assert main(["import", "odcs", str(source), "-o", str(target)]) == 0
    report = capsys.readouterr().out
    text = target.read_text()
    assert "#   version (line 4): '1.0' padded to semantic version 1.0.0" in text
    assert "#   fields.order_id (line 12): ODCS patterns search" in text
    model = accord.load(target).model
    assert model.name == "orders_table"
    assert model.version == "1.0.0"
    (pattern,) = model.fields["order_id"].checks
    assert pattern.value == "(?s:.*)(?:^[A-Z]+)(?s:.*)"  # type: ignore[union-attr]
    (fraction,) = model.fields["amount"].checks
    assert fraction.value == 0.05  # type: ignore[union-attr]
    assert model.fields["amount"].extensions["x-odcs"]["quality"][1]["type"] == "sql"
    assert "schema[0].properties[1].quality[0] -> fields.amount: max_null_fraction" in report
    assert "schema[0].properties[1].quality[1]: sql rule not mapped" in report
    assert model.fields["order_id"].pii is False


def test_pii_classifications_decide_which_fields_are_pii(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "orders.odcs.yaml"
    source.write_text(ORDERS)
    target = tmp_path / "orders.yaml"
    args = ["import", "odcs", str(source), "-o", str(target)]
    assert main([*args, "--pii-classifications", "Internal,secret"]) == 0
    assert accord.load(target).model.fields["order_id"].pii is True
    capsys.readouterr()


def test_several_objects_need_a_directory_or_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "odcs", str(MULTI)]) == 2
    assert "holds 2 objects (orders, line_items)" in capsys.readouterr().err
    assert main(["import", "odcs", str(MULTI), "-o", str(tmp_path / "one.yml")]) == 2
    assert not (tmp_path / "one.yml").exists()
    capsys.readouterr()
    out = tmp_path / "new" / "dir"
    assert main(["import", "odcs", str(MULTI), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["line_items.yaml", "orders.yaml"]
    assert "-> orders (" in capsys.readouterr().out
    assert main(["import", "odcs", str(MULTI), "--object", "line_items"]) == 0
    assert accord.load(capsys.readouterr().out).name == "line_items"
    assert main(["import", "odcs", str(MULTI), "--object", "nope"]) == 2
    assert "no object named 'nope'" in capsys.readouterr().err


def test_files_that_are_not_odcs_v3_are_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accord_contract = Path(__file__).parents[1] / "contracts" / "transactions.yaml"
    assert main(["import", "odcs", str(accord_contract)]) == 2
    assert "not an ODCS v3 document" in capsys.readouterr().err
    old = tmp_path / "v2.yaml"
    old.write_text("apiVersion: 2.2.2\nkind: DataContract\nuuid: x\n")
    assert main(["import", "odcs", str(old)]) == 2
    assert f"{old}:1:1 apiVersion: unsupported ODCS version '2.2.2'" in capsys.readouterr().err
    assert main(["import", "soda", str(old)]) == 2
    assert "unknown import format 'soda'" in capsys.readouterr().err


def test_validate_reports_name_the_odcs_file_and_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "orders.odcs.yaml"
    source.write_text(ORDERS)
    data = tmp_path / "orders.csv"
    data.write_text("order_id,amount\nAB,1.5\n,2\n")
    assert main(["validate", str(source), str(data), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["contract"]["path"] == str(source)
    (violation,) = [v for v in report["violations"] if v["severity"] == "error"]
    assert (violation["field"], violation["contract_line"]) == (
        "order_id",
        11,
    )  # its `required: true`


def test_export_to_odcs_is_valid_and_gives_x_odcs_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "orders.odcs.yaml"
    source.write_text(ORDERS)
    imported = tmp_path / "orders.yaml"
    assert main(["import", "odcs", str(source), "-o", str(imported)]) == 0
    exported = tmp_path / "again.odcs.yaml"
    assert main(["export", str(imported), "--to", "odcs", "-o", str(exported)]) == 0
    document = yaml.safe_load(exported.read_text())
    jsonschema.validate(document, odcs_schema())
    assert document["id"] == "orders-1"
    assert document["version"] == "1.0"
    obj = document["schema"][0]
    assert obj["name"] == "Orders Table"
    order_id, amount = obj["properties"]
    assert order_id["logicalTypeOptions"] == {"pattern": "^[A-Z]+"}
    assert order_id["classification"] == "internal"
    assert amount["quality"][1] == {"type": "sql", "query": "SELECT 1", "mustBe": 1}
    capsys.readouterr()
    assert main(["export", str(imported), "--to", "nope"]) == 2
    assert "unknown export format 'nope'" in capsys.readouterr().err


def test_edits_win_over_the_original_odcs_values(tmp_path: Path) -> None:
    """x-odcs keeps the original pattern, but a contract edited since exports the edit."""
    source = tmp_path / "orders.odcs.yaml"
    source.write_text(ORDERS)
    imported = tmp_path / "orders.yaml"
    assert main(["import", "odcs", str(source), "-o", str(imported)]) == 0
    text = imported.read_text().replace("(?s:.*)(?:^[A-Z]+)(?s:.*)", "'[A-Z]{2}'")
    imported.write_text(text)
    out = tmp_path / "edited.odcs.yaml"
    assert main(["export", str(imported), "--to", "odcs", "-o", str(out)]) == 0
    order_id = yaml.safe_load(out.read_text())["schema"][0]["properties"][0]
    assert order_id["logicalTypeOptions"]["pattern"] == "^(?:[A-Z]{2})$"


def test_odcs_lint_import_and_export_load_no_dataframe_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from accord.cli.app import main\n"
        f"assert main(['lint', {str(SINGLE)!r}]) == 0\n"
        f"assert main(['import', 'odcs', {str(MULTI)!r}, '-o', {str(tmp_path)!r}]) == 0\n"
        f"assert main(['export', {str(tmp_path / 'orders.yaml')!r}, '--to', 'odcs']) == 0\n"
        "heavy = ('pandas', 'polars', 'pandera', 'pyarrow', 'numpy')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_v3_1_constructs_in_a_v3_0_file_are_read_with_one_warning_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old.odcs.yaml"
    source.write_text(
        ORDERS.replace("v3.1.0", "v3.0.2").replace("logicalType: number", "logicalType: timestamp")
    )
    assert main(["import", "odcs", str(source), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 2
    assert f"{source}:14:9 schema[0].properties[1]: v3.0.2 file uses the v3.1 logical type" in err
    assert "v3.1 'metric:' quality rule" in err
    assert accord.load(tmp_path / "out" / "orders_table.yaml").model.fields["amount"].type == (
        "timestamp"
    )


def test_name_renames_one_imported_object_and_keeps_its_odcs_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sales.yaml"
    code = main(
        ["import", "odcs", str(MULTI), "--object", "orders", "--name", "sales", "-o", str(target)]
    )
    assert code == 0, capsys.readouterr().err
    contract = accord.load(target)
    assert contract.name == "sales"
    assert "-> sales (" in capsys.readouterr().out
    # the ODCS object is still called orders on the way back
    assert main(["export", str(target), "--to", "odcs"]) == 0
    document = yaml.safe_load(capsys.readouterr().out)
    assert document["schema"][0]["name"] == "orders"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--name", "sales"], "--name names one contract, but the file holds 2 objects"),
        (["--object", "orders", "--name", "Sales Orders"], "is not a contract name"),
    ],
)
def test_name_needs_one_object_and_a_valid_name(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "odcs", str(MULTI), *arguments, "-o", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_export_odcs_302_is_valid_against_the_302_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.odcs.yaml"
    contract = "contracts/transactions.yaml"
    assert (
        main(["export", contract, "--to", "odcs", "--odcs-version", "3.0.2", "-o", str(target)])
        == 0
    )
    assert "warning" not in capsys.readouterr().err
    document = yaml.safe_load(target.read_text())
    assert document["apiVersion"] == "v3.0.2"
    assert list(jsonschema.Draft201909Validator(odcs_schema("3.0.2")).iter_errors(document)) == []
    assert main(["lint", str(target)]) == 0
    # and it is the contract accord reads (x-odcs records the v3.0 spelling of a timestamp)
    assert strip_extensions(accord.load(target).model.model_dump()["fields"]) == strip_extensions(
        accord.load(contract).model.model_dump()["fields"]
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--to", "odcs", "--odcs-version", "2.2.2"], "choose one of: 3.1.0, 3.0.2"),
        (["--to", "jsonschema", "--odcs-version", "3.0.2"], "applies to --to odcs only"),
    ],
)
def test_odcs_version_is_checked(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "contracts/transactions.yaml", *arguments]) == 2
    assert message in capsys.readouterr().err


CITIES = CORPUS / "datacontract-cli" / "schema-evolution_odcs-datacontract-cities-version-{}.yaml"


def test_validate_diff_and_export_print_the_warnings_lint_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On stderr only: the report JSON schema has no code for a contract warning."""
    v1, v2 = (Path(str(CITIES).format(n)) for n in (1, 2))
    assert main(["lint", str(v2)]) == 0
    expected = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    assert len(expected) == 3 and "servers[8]: unknown key 'delimiter'" in expected[0]
    data = tmp_path / "cities.csv"
    data.write_text("city_id,name,population\nc1,Berlin,3600000\n")
    assert main(["validate", str(v2), str(data), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == expected
    assert "unknown key" not in captured.out and json.loads(captured.out)["passed"] is True
    code = main(["diff", str(v1), str(v2), "--format", "json"])
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert captured.err.splitlines() == expected  # v1 has none of its own
    assert "unknown key" not in captured.out
    assert main(["export", str(v2), "--to", "jsonschema"]) == 0
    assert capsys.readouterr().err.splitlines()[:3] == expected
