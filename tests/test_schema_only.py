"""``accord validate --schema-only``: what Parquet footers, Arrow schemas, CSV headers and the first
JSON Lines record show, with a full run's codes and messages, and never a data row read."""

# ruff: noqa: B008 - typer declares options as argument defaults (as src/accord/cli does)

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.ipc
import pyarrow.parquet as pq
import pytest
import typer

from accord.cli.app import main
from accord.cli.common import Exit, write_output
from accord.contract.loader import load_contract
from accord.errors import AccordError, DataReadError, UsageError
from accord.report.model import Report
from accord.run import csv_reader, sources
from accord.run.schema_only import SCHEMA_ONLY, UNTYPED, schema_report

CONTRACT = """accord: 1
name: orders
version: 1.0.0
dataset:
  columns: {columns}
  primary_key: [order_id]
  row_count: {{min: 1}}
  rules:
    - name: positive
      assert: "amount >= 0"
fields:
  order_id: {{type: int64, role: id}}
  amount: {{type: float64, checks: [{{between: {{min: 0, max: 100}}}}]}}
  placed_at: {{type: timestamp, tz: UTC}}
  note: {{type: string, nullable: true, required: false}}
  churned: {{type: bool, role: label, nullable: true}}
profiles:
  serving: {{forbid_roles: [label]}}
  scoring: {{require_roles: [prediction]}}
"""
# The codes a schema can judge, compared with a full run's (code, field, message) one for one.
JUDGED = (
    "field.missing",
    "field.unexpected",
    "field.type",
    "profile.forbidden_field",
    "profile.required_role",
    "dataset.duplicate_column",
)
UTC = dt.UTC


def contract_file(tmp_path: Path, columns: str = "closed", extra: str = "") -> Path:
    path = tmp_path / "orders.yaml"
    path.write_text(CONTRACT.format(columns=columns) + extra, encoding="utf-8")
    return path


def good_columns(rows: int = 3) -> dict[str, pl.Series]:
    return {
        "order_id": pl.Series(range(rows), dtype=pl.Int64),
        "amount": pl.Series([1.5] * rows, dtype=pl.Float64),
        "placed_at": pl.Series([dt.datetime(2026, 1, 1, tzinfo=UTC)] * rows),
        "note": pl.Series(["x"] * rows, dtype=pl.String),
        "churned": pl.Series([True] * rows, dtype=pl.Boolean),
    }


def parquet(tmp_path: Path, name: str = "data.parquet", /, **changes: pl.Series | None) -> Path:
    columns = good_columns()
    for column, series in changes.items():
        if series is None:
            del columns[column]
        else:
            columns[column] = series
    path = tmp_path / name
    pl.DataFrame(columns).write_parquet(path)
    return path


def write_csv(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


CSV_ROWS = "1,2.5,2026-01-01T00:00:00Z,hi,true\n"


def judged(violations: list[dict[str, Any]]) -> list[tuple[str, str | None, str]]:
    return [(v["code"], v["field"], v["message"]) for v in violations if v["code"] in JUDGED]


def full_run(
    contract: Path, data: list[Path], capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any]]:
    code = main(["validate", str(contract), *map(str, data), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


# -- the CLI wiring proposed for validate_cmd.py, in a tiny app ------------------------------------
def schema_only_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """Force `validate` to be a subcommand, as in accord's app."""

    @app.command("validate")
    def validate(
        contract: Path = typer.Argument(...),
        data: list[str] = typer.Argument(...),
        profile: str | None = typer.Option(None, "--profile"),
        output_format: str = typer.Option("text", "--format"),
        output: Path | None = typer.Option(None, "--output"),
        fail_on: str = typer.Option("error", "--fail-on"),
        data_format: str | None = typer.Option(None, "--data-format"),
        ref: list[str] = typer.Option([], "--ref"),
        reference: Path | None = typer.Option(None, "--reference"),
        schema_only: bool = typer.Option(False, "--schema-only"),
    ) -> int:
        model = load_contract(contract)
        assert schema_only, "this app only tests the --schema-only branch"
        if reference is not None or ref:
            raise UsageError(
                "--schema-only reads no values, so it cannot measure drift (--reference) or "
                "check references (--ref); drop one of them"
            )
        from accord.run.schema_only import schema_report

        report = schema_report(
            data, model, profile=profile, data_format=data_format, fail_on=fail_on
        )
        if output_format == "text":
            from accord.report.render.text import render_text

            text = render_text(report, color=False)
        else:
            text = report.render(output_format)
        write_output(text, output)
        return Exit.OK if report.passed else Exit.VIOLATED

    return app


def run_app(args: list[str]) -> int:
    """accord.cli.app.main's exception-to-exit-code mapping, in short."""
    try:
        result = schema_only_app()(args=args, prog_name="accord", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except AccordError:
        return Exit.CANNOT_RUN
    return int(result)


def cli(
    contract: Path, data: list[Path], capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any]]:
    code = run_app(
        ["validate", str(contract), *map(str, data), "--schema-only", "--format", "json", *args]
    )
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


# -- Parquet: footers ------------------------------------------------------------------------------
def test_lost_key_field_in_parquet_fails_with_field_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = contract_file(tmp_path)
    data = parquet(tmp_path, order_id=None)
    code, report = cli(contract, [data], capsys)
    assert code == 1
    assert report["passed"] is False
    assert report["engine"] == "schema-only"
    assert report["dataset"] == {"sources": [str(data)], "rows": 3, "columns": 4}
    first = report["violations"][0]
    assert (first["code"], first["severity"]) == ("check.skipped", "info")
    assert (
        first["message"] == f"{SCHEMA_ONLY}: 4 value checks and 3 dataset rules were not evaluated"
    )
    assert ("field.missing", "order_id", "required field 'order_id' is missing") in judged(
        report["violations"]
    )
    full_code, full = full_run(contract, [data], capsys)
    assert full_code == code
    assert judged(report["violations"]) == judged(full["violations"])


def test_clean_parquet_passes_and_no_value_check_looks_passed(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    report = schema_report([parquet(tmp_path)], model)
    assert report.passed
    assert [v.code for v in report.violations] == ["check.skipped"]
    passed = {(c.check_id, c.check) for c in report.checks if c.status == "passed"}
    assert {check for _, check in passed} == {"required", "type"}
    skipped = {c.check_id: c.reason for c in report.checks if c.status == "skipped"}
    assert skipped == {
        "fields.order_id.nullable": SCHEMA_ONLY,
        "fields.amount.nullable": SCHEMA_ONLY,
        "fields.amount.checks[0]": SCHEMA_ONLY,
        "fields.placed_at.nullable": SCHEMA_ONLY,
        "dataset.primary_key": SCHEMA_ONLY,
        "dataset.row_count": SCHEMA_ONLY,
        "dataset.rules[0]": SCHEMA_ONLY,
    }
    assert report.summary.skipped == 7
    assert report.summary.failed == 0


@pytest.mark.parametrize(
    ("columns", "severity", "code"), [("closed", "error", 1), ("open", "info", 1)]
)
def test_renamed_column_closed_and_open(
    columns: str, severity: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = contract_file(tmp_path, columns)
    frame = pl.DataFrame(good_columns()).rename({"amount": "amount_eur"})
    data = tmp_path / "renamed.parquet"
    frame.write_parquet(data)
    got, report = cli(contract, [data], capsys)
    assert got == code  # the missing required field fails either way
    unexpected = [v for v in report["violations"] if v["code"] == "field.unexpected"]
    assert [(v["field"], v["severity"]) for v in unexpected] == [("amount_eur", severity)]
    assert (
        unexpected[0]["message"]
        == f"column 'amount_eur' is not in the contract (columns: {columns})"
    )
    _, full = full_run(contract, [data], capsys)
    assert judged(report["violations"]) == judged(full["violations"])


def test_only_an_unexpected_column_in_an_open_contract_passes(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path, "open"))
    report = schema_report([parquet(tmp_path, extra=pl.Series([1, 2, 3]))], model)
    assert report.passed
    assert [(v.code, v.severity) for v in report.violations][1:] == [("field.unexpected", "info")]


@pytest.mark.parametrize(
    ("column", "series", "actual"),
    [
        ("order_id", pl.Series(["1", "2", "3"]), "String"),
        (
            "placed_at",
            pl.Series([dt.datetime(2026, 1, 1)] * 3),
            "Datetime(time_unit='us', time_zone=None)",
        ),
        ("churned", pl.Series(["yes", "no", "yes"]).cast(pl.Categorical), "Categorical"),
    ],
    ids=["string-for-int64", "naive-for-utc", "categorical-for-bool"],
)
def test_retyped_parquet_column_is_field_type_as_in_a_full_run(
    column: str,
    series: pl.Series,
    actual: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = contract_file(tmp_path)
    data = parquet(tmp_path, **{column: series})
    code, report = cli(contract, [data], capsys)
    assert code == 1
    types = [v for v in report["violations"] if v["code"] == "field.type"]
    assert [v["field"] for v in types] == [column]
    assert types[0]["details"]["actual"] == actual
    check = next(c for c in report["checks"] if c["check_id"] == f"fields.{column}.type")
    assert check["status"] == "failed"
    full_code, full = full_run(contract, [data], capsys)
    assert full_code == 1
    assert judged(report["violations"]) == judged(full["violations"])


def test_float_stored_for_int_is_a_skipped_warning_never_passed(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    data = parquet(tmp_path, order_id=pl.Series([1.0, 2.0, 3.0]))
    report = schema_report([data], model)
    reason = "values must be read to judge a Float64 column declared int64"
    [warning] = report.warnings
    assert (warning.code, warning.field, warning.check) == ("check.skipped", "order_id", "type")
    assert warning.message == f"type skipped: {reason}"
    check = next(c for c in report.checks if c.check_id == "fields.order_id.type")
    assert (check.status, check.reason) == ("skipped", reason)
    assert report.passed  # a warning: the run fails only when asked to
    assert not schema_report([data], model, fail_on="warning").passed


def test_narrower_integer_needs_values_too_and_null_column_fits(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    path = tmp_path / "narrow.parquet"
    table = pa.table(
        {
            "order_id": pa.array([1, 2], pa.int64()),
            "amount": pa.array([1.0, 2.0]),
            "placed_at": pa.array([1, 2], pa.timestamp("us", "UTC")),
            "churned": pa.nulls(2),
        }
    )
    pq.write_table(table, path)
    narrow = model.model_copy(deep=True)
    narrow.fields["order_id"] = narrow.fields["order_id"].model_copy(update={"type": "int8"})
    report = schema_report([path], narrow)
    assert [(v.code, v.field) for v in report.warnings] == [("check.skipped", "order_id")]
    assert "an Int64 column declared int8" in report.warnings[0].message
    statuses = {c.check_id: c.status for c in report.checks if c.check == "type"}
    assert statuses["fields.churned.type"] == "passed"  # a column of nulls fits any type


def test_profile_forbidden_field_and_required_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = contract_file(tmp_path)
    data = parquet(tmp_path)
    for profile, code in (
        ("serving", "profile.forbidden_field"),
        ("scoring", "profile.required_role"),
    ):
        got, report = cli(contract, [data], capsys, "--profile", profile)
        assert got == 1
        assert report["profile"] == profile
        assert [v["code"] for v in report["violations"]][1] == code
        _, full = full_run(contract, [data], capsys, "--profile", profile)
        assert judged(report["violations"]) == judged(full["violations"])
    with pytest.raises(UsageError, match="no profile 'nope'"):
        schema_report([data], load_contract(contract), profile="nope")


def test_several_files_one_lacks_a_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = contract_file(tmp_path)
    first = parquet(tmp_path, "a.parquet")
    second = parquet(tmp_path, "b.parquet", amount=None)
    code, report = cli(contract, [first, second], capsys)
    assert code == 1
    [missing] = [v for v in report["violations"] if v["code"] == "field.missing"]
    assert missing["message"] == "field 'amount' is missing from 1 of the files read"
    assert missing["details"] == {"files": [str(second)]}
    assert report["dataset"]["rows"] == 6
    _, full = full_run(contract, [first, second], capsys)
    assert judged(report["violations"]) == judged(full["violations"])


TYPE_ZOO = {
    "i8": pa.array([1], pa.int8()),
    "u64": pa.array([1], pa.uint64()),
    "f32": pa.array([1.0], pa.float32()),
    "large_string": pa.array(["a"], pa.large_string()),
    "dictionary": pa.array(["a"]).dictionary_encode(),
    "int_dictionary": pa.array([1]).dictionary_encode(),
    "date": pa.array([dt.date(2020, 1, 1)]),
    "date64": pa.array([dt.date(2020, 1, 1)], pa.date64()),
    "time": pa.array([1], pa.time32("s")),
    "ns_naive": pa.array([1], pa.timestamp("ns")),
    "ms_oslo": pa.array([1], pa.timestamp("ms", "Europe/Oslo")),
    "duration": pa.array([1], pa.duration("s")),
    "decimal": pa.array([1], pa.decimal128(10, 2)),
    "binary": pa.array([b"x"], pa.large_binary()),
    "list": pa.array([[1]], pa.large_list(pa.int64())),
    "struct": pa.array([{"a": 1}]),
    "nulls": pa.nulls(1),
}


def write_zoo(path: Path, how: str) -> None:
    table = pa.table(TYPE_ZOO)
    if how.startswith("ipc"):
        new = pyarrow.ipc.new_file if how == "ipc-file" else pyarrow.ipc.new_stream
        with new(str(path), table.schema) as writer:
            writer.write_table(table)
        return
    int96, store_schema = how == "int96", how != "no-arrow-schema"
    pq.write_table(table, path, store_schema=store_schema, use_deprecated_int96_timestamps=int96)


@pytest.mark.parametrize("how", ["parquet", "no-arrow-schema", "int96", "ipc-file", "ipc-stream"])
def test_schema_types_are_the_types_a_full_run_reads(
    how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Declared bool, every column shows its type in a field.type message: the same text as a
    full run's means the schema is read into the dtypes the full reader produces."""
    fields = "".join(f"\n  {name}: {{type: bool, nullable: true}}" for name in TYPE_ZOO)
    contract = tmp_path / "zoo.yaml"
    contract.write_text(f"accord: 1\nname: zoo\nversion: 1.0.0\nfields:{fields}\n")
    data = tmp_path / ("zoo.arrow" if how.startswith("ipc") else "zoo.parquet")
    write_zoo(data, how)
    code, report = cli(contract, [data], capsys)
    full_code, full = full_run(contract, [data], capsys)
    assert (code, full_code) == (1, 1)
    assert len(judged(report["violations"])) == len(TYPE_ZOO) - 1  # nulls fit any type
    assert judged(report["violations"]) == judged(full["violations"])


def test_files_that_disagree_on_a_type_fail_as_a_full_run_does(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    first = parquet(tmp_path, "a.parquet")
    second = parquet(tmp_path, "b.parquet", amount=pl.Series(["1", "2", "3"]))
    with pytest.raises(DataReadError) as full:
        sources.read_dataset([first, second], model)
    with pytest.raises(DataReadError) as schema:
        schema_report([first, second], model)
    assert str(schema.value) == str(full.value)


def test_wide_integers_across_files_combine_as_in_a_full_run(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    first = parquet(tmp_path, "a.parquet", order_id=pl.Series([1, 2, 3], dtype=pl.Int32))
    second = parquet(tmp_path, "b.parquet", order_id=pl.Series([1, 2, 3], dtype=pl.UInt32))
    report = schema_report([first, second], model)
    assert report.passed
    assert [c.status for c in report.checks if c.check_id == "fields.order_id.type"] == ["passed"]


def test_corrupt_parquet_is_a_read_error_in_the_full_readers_words(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(parquet(tmp_path).read_bytes()[:-20])
    with pytest.raises(DataReadError) as full:
        sources.read_dataset([cut], model)
    with pytest.raises(DataReadError) as schema:
        schema_report([cut], model)
    assert str(schema.value) == str(full.value)


# -- Arrow IPC and JSON Lines ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["file", "stream"])
def test_arrow_ipc_schema_only(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = contract_file(tmp_path)
    table = pl.DataFrame(good_columns()).with_columns(pl.col("order_id").cast(pl.String)).to_arrow()
    data = tmp_path / "data.arrow"
    open_writer = pyarrow.ipc.new_file if kind == "file" else pyarrow.ipc.new_stream
    with open_writer(str(data), table.schema) as writer:
        writer.write_table(table)
    code, report = cli(contract, [data], capsys)
    assert code == 1
    assert [(v["code"], v["field"]) for v in report["violations"] if v["severity"] == "error"] == [
        ("field.type", "order_id")
    ]
    _, full = full_run(contract, [data], capsys)
    assert judged(report["violations"]) == judged(full["violations"])


def test_jsonl_sees_the_keys_of_the_first_record_only(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path, "open"))
    data = tmp_path / "data.jsonl"
    first = {"order_id": 1, "amount": 1.5, "placed_at": "2026-01-01T00:00:00Z", "churned": None}
    data.write_text("\n" + json.dumps(first) + "\n" + json.dumps({**first, "later": 1}) + "\n")
    report = schema_report([data], model)
    assert report.passed
    assert not [v for v in report.violations if v.code == "field.unexpected"]  # "later" unseen
    types = {c.check_id: (c.status, c.reason) for c in report.checks if c.check == "type"}
    assert types["fields.order_id.type"] == ("skipped", UNTYPED["jsonl"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1, 2]\n")
    with pytest.raises(DataReadError, match="line 1: expected a JSON object, found list"):
        schema_report([bad], model)


# -- CSV: headers ----------------------------------------------------------------------------------
def test_csv_header_missing_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = contract_file(tmp_path)
    data = write_csv(tmp_path, "order_id,amount,note,churned\n1,2.5,hi,true\n")
    code, report = cli(contract, [data], capsys)
    assert code == 1
    assert report["dataset"]["rows"] == 0  # a CSV header does not know its rows
    types = {c["check_id"]: c for c in report["checks"] if c["check"] == "type"}
    assert {c["status"] for c in types.values()} == {"skipped"}
    assert {c["severity"] for c in types.values()} == {"info"}
    assert {c["reason"] for c in types.values()} == {UNTYPED["csv"]}
    _, full = full_run(contract, [data], capsys)
    assert judged(report["violations"]) == judged(full["violations"])
    assert ("field.missing", "placed_at") in {(v["code"], v["field"]) for v in report["violations"]}


def test_csv_duplicate_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = contract_file(tmp_path)
    data = write_csv(tmp_path, "order_id,amount,placed_at,amount,churned\n" + CSV_ROWS)
    code, report = cli(contract, [data], capsys)
    assert code == 1
    duplicates = [v for v in report["violations"] if v["code"] == "dataset.duplicate_column"]
    assert [v["field"] for v in duplicates] == ["amount"]
    _, full = full_run(contract, [data], capsys)
    assert judged(report["violations"]) == judged(full["violations"])


def test_csv_header_with_bom_and_crlf_passes(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    data = tmp_path / "bom.csv"
    data.write_bytes(b"\xef\xbb\xbforder_id,amount,placed_at,note,churned\r\n" + CSV_ROWS.encode())
    report = schema_report([data], model)
    assert report.passed, report.violations
    assert report.dataset.columns == 5


def test_csv_options_delimiter_quotes_tsv_and_encoding(tmp_path: Path) -> None:
    options = 'source:\n  csv: {delimiter: ";", encoding: latin-1}\n'
    model = load_contract(contract_file(tmp_path, extra=options))
    data = tmp_path / "semi.csv"
    header = 'order_id;"amount";placed_at;"no\nte";churned;prisé\n1;2;3;4;5;6\n'
    data.write_bytes(header.encode("latin-1"))
    report = schema_report([data], model)
    unexpected = [v.field for v in report.violations if v.code == "field.unexpected"]
    assert unexpected == ["no\nte", "prisé"]
    tsv = tmp_path / "data.tsv"
    tsv.write_text("order_id\tamount\tplaced_at\tchurned\n")
    plain = load_contract(contract_file(tmp_path))
    assert schema_report([tsv], plain).passed


def test_wrong_delimiter_is_the_full_readers_read_error(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    data = write_csv(tmp_path, "order_id;amount;placed_at;note;churned\n1;2;3;4;5\n")
    with pytest.raises(DataReadError) as full:
        sources.read_dataset([data], model)
    with pytest.raises(DataReadError) as schema:
        schema_report([data], model)
    assert str(schema.value) == str(full.value)
    assert "is the delimiter ';'?" in str(schema.value)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"\n1,2\n", b'"order_id,amount\n', b"order\xff_id,amount\n1,2\n"],
    ids=["empty", "bom-only", "blank-header", "unterminated-quote", "bad-byte-in-header"],
)
def test_unreadable_csv_headers_fail_as_in_a_full_run(content: bytes, tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    data = tmp_path / "bad.csv"
    data.write_bytes(content)
    with pytest.raises(DataReadError) as full:
        sources.read_dataset([data], model)
    with pytest.raises(DataReadError) as schema:
        schema_report([data], model)
    assert str(schema.value) == str(full.value)


def test_headerless_csv_is_checked_for_width(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path, extra="source:\n  csv: {header: false}\n"))
    assert schema_report([write_csv(tmp_path, CSV_ROWS)], model).passed
    narrow = write_csv(tmp_path, "1,2,3\n", "narrow.csv")
    with pytest.raises(DataReadError) as full:
        sources.read_dataset([narrow], model)
    with pytest.raises(DataReadError) as schema:
        schema_report([narrow], model)
    assert str(schema.value) == str(full.value)
    assert str(schema.value).endswith(f"{narrow}: line 1: expected 5 fields, found 3")


def test_bad_data_rows_are_not_read(tmp_path: Path) -> None:
    """A broken row after the header fails a full run (exit 2) but is no business of the header."""
    model = load_contract(contract_file(tmp_path))
    header = "order_id,amount,placed_at,note,churned\n"
    data = tmp_path / "rows.csv"
    data.write_bytes(header.encode() + CSV_ROWS.encode() + b"2,\xff\xfe,x\n")
    with pytest.raises(DataReadError):
        sources.read_dataset([data], model)
    assert schema_report([data], model).passed


# -- reading nothing but schemas -------------------------------------------------------------------
def forbid(monkeypatch: pytest.MonkeyPatch, owner: Any, *names: str) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("a schema-only run read data rows")

    for name in names:
        monkeypatch.setattr(owner, name, refuse)


def test_no_data_reader_is_called(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_contract(contract_file(tmp_path, "open"))
    big = tmp_path / "big.parquet"
    rows = 2_000_000
    pl.DataFrame(
        {"order_id": pl.int_range(rows, eager=True), "amount": pl.repeat(1.5, rows, eager=True)}
    ).write_parquet(big, row_group_size=250_000)
    csv_file = write_csv(tmp_path, "order_id,amount\n" + "1,2\n" * 10_000)
    jsonl = tmp_path / "data.jsonl"
    jsonl.write_text('{"order_id": 1}\n' * 10_000)
    arrow = tmp_path / "data.arrow"
    pl.DataFrame({"order_id": [1, 2]}).write_ipc(arrow)
    forbid(monkeypatch, pl, "read_parquet", "scan_parquet", "read_csv", "scan_csv", "read_ipc")
    forbid(monkeypatch, pl, "read_ipc_stream", "scan_ipc", "read_ndjson", "scan_ndjson")
    forbid(monkeypatch, pq, "read_table", "ParquetDataset")
    forbid(monkeypatch, pq.ParquetFile, "read", "read_row_group", "read_row_groups", "iter_batches")
    forbid(monkeypatch, sources, "read_dataset", "_read_parquet", "_read_arrow", "_read_jsonl")
    forbid(monkeypatch, csv_reader, "read_csv_text", "_scan", "_polars_frame", "_python_frame")
    report = schema_report([big], model)
    assert report.dataset.rows == rows  # from the footer
    for path in (csv_file, jsonl, arrow):
        assert schema_report([path], model).dataset.rows == 0


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="reads /proc/self/io (Linux)")
def test_a_big_parquet_costs_its_footer_only(tmp_path: Path) -> None:
    """Bytes read by system calls and pages touched through memory maps both stay far below the
    file's size: the row groups are never read."""
    import resource

    model = load_contract(contract_file(tmp_path, "open"))
    big = tmp_path / "big.parquet"
    rows = 2_000_000
    pl.DataFrame(
        {"order_id": pl.int_range(rows, eager=True), "amount": pl.int_range(rows, eager=True) / 7}
    ).write_parquet(big, row_group_size=250_000, compression="uncompressed")
    size = big.stat().st_size
    schema_report([parquet(tmp_path)], model)  # warm up: imports and thread pools

    def read_bytes() -> int:
        line = next(
            x for x in Path("/proc/self/io").read_text().splitlines() if x.startswith("rchar")
        )
        return int(line.split()[1])

    before_bytes, before_pages = read_bytes(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    schema_report([big], model)
    pages = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before_pages
    assert read_bytes() - before_bytes < size / 10
    assert pages * resource.getpagesize() < size / 4


def test_no_pandas_or_pandera_is_loaded(tmp_path: Path) -> None:
    """Their imports cost more than the half second a schema-only run has; no check runs here."""
    contract = contract_file(tmp_path)
    data = [parquet(tmp_path), write_csv(tmp_path, "order_id\n1\n")]
    script = (
        "import sys\n"
        "from accord.contract.loader import load_contract\n"
        "from accord.run.schema_only import schema_report\n"
        f"for path in {[str(p) for p in data]!r}:\n"
        f"    schema_report([path], load_contract({str(contract)!r}))\n"
        "print(sorted(m for m in ('pandas', 'pandera') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# -- requests that cannot run ----------------------------------------------------------------------
def test_bad_requests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = contract_file(tmp_path)
    model = load_contract(contract)
    data = parquet(tmp_path)
    with pytest.raises(DataReadError, match="mix formats"):
        schema_report([data, write_csv(tmp_path, "order_id\n")], model)
    with pytest.raises(UsageError, match="unknown data format 'xml'"):
        schema_report([data], model, data_format="xml")
    with pytest.raises(UsageError, match="fail_on"):
        schema_report([data], model, fail_on="never")
    assert (
        run_app(["validate", str(contract), str(tmp_path / "none.parquet"), "--schema-only"]) == 2
    )
    assert run_app(["validate", str(contract), str(data), "--schema-only", "--ref", "a=b.csv"]) == 2
    stats = str(tmp_path / "stats.json")
    assert (
        run_app(["validate", str(contract), str(data), "--schema-only", "--reference", stats]) == 2
    )


def test_data_format_overrides_the_suffix(tmp_path: Path) -> None:
    model = load_contract(contract_file(tmp_path))
    data = parquet(tmp_path).rename(tmp_path / "extract.bin")
    with pytest.raises(DataReadError, match=r"unknown data format for suffix '\.bin'"):
        schema_report([data], model)
    assert schema_report([data], model, data_format="parquet").passed


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "markdown", "github", "html"])
def test_every_format_renders_to_output(fmt: str, tmp_path: Path) -> None:
    contract = contract_file(tmp_path)
    data = parquet(tmp_path, order_id=None)
    output = tmp_path / f"report.{fmt}"
    args = ["validate", str(contract), str(data), "--schema-only", "--format", fmt]
    assert run_app([*args, "--output", str(output)]) == 1
    text = output.read_text(encoding="utf-8")
    assert "required field" in text
    if fmt == "json":
        assert Report.from_json(text).violations[0].message.startswith(SCHEMA_ONLY)


# -- found by the hostile-input fuzzer (tests/test_fuzz_hostile.py) --------------------------------
@pytest.mark.parametrize("kind", ["parquet", "arrow file", "arrow stream"])
@pytest.mark.parametrize("nested", [False, True])
def test_decimals_wider_than_38_digits_are_refused_naming_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, nested: bool
) -> None:
    """Polars reads a decimal256 schema but can build no frame of it: this was an internal
    error; it is a clear exit 2 naming the file, the column and the fix."""
    from decimal import Decimal

    wide = pa.decimal256(40, 1)
    array = pa.array(
        [[Decimal("1.5")]] if nested else [Decimal("1.5")], pa.list_(wide) if nested else wide
    )
    table = pa.table({"amount": array})
    data = tmp_path / ("d.parquet" if kind == "parquet" else "d.arrow")
    if kind == "parquet":
        pq.write_table(table, data)
    else:
        opener = pyarrow.ipc.new_file if kind == "arrow file" else pyarrow.ipc.new_stream
        with opener(data, table.schema) as writer:
            writer.write_table(table)
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  amount: {type: decimal}\n",
        encoding="utf-8",
    )
    code = main(["validate", str(contract), str(data), "--schema-only"])
    err = capsys.readouterr().err
    assert code == Exit.CANNOT_RUN
    assert "internal error" not in err
    assert str(data) in err
    assert "column 'amount' holds decimals of precision 40" in err
    assert "precision 38 or less" in err
