"""JSON Lines read by Spark itself (``engines.spark_jsonl``) gives polars' report: the same codes,
counts, examples, rows, reasons and exit codes, every line parsed in Spark and accord's JSON Lines
rules applied there, with no line read on the driver; where Spark could read a file otherwise,
the driver reads it, saying why on stderr.

Every case shares the session-scoped ``spark`` fixture: the CLI finds it active and uses it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fault_support import Run, summary, validate, write, write_contract
from spark_support import comparable

pytestmark = pytest.mark.spark

WARNING = "warning: the data is read on this machine by accord's reader, not by Spark"


def same_report(capsys: pytest.CaptureFixture[str], contract: Path, data: Any, *extra: Any) -> Run:
    """Validate on Spark and on polars; assert both give one report (or one refusal); the
    Spark run."""
    on_spark = validate(capsys, contract, data, "pyspark", "--max-examples", "10", *extra)
    on_polars = validate(
        capsys, contract, data, "polars", "--batch-rows", "0", "--max-examples", "10", *extra
    )
    assert on_spark.code == on_polars.code, on_spark.err
    if on_polars.code == 2:
        assert _error(on_spark.err) == _error(on_polars.err)
        return on_spark
    assert comparable(json.loads(on_spark.out)) == comparable(json.loads(on_polars.out))
    return on_spark


def _error(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error")]


def on_spark_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: Any
) -> Run:
    """``validate(capsys, *args)`` on Spark, accord's JSON Lines readers failing it if called."""
    from accord.run import sources
    from accord.run.io import jsonl

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the driver read the JSON lines")

    with monkeypatch.context() as patched:
        for name in ("read_file", "_read_jsonl", "jsonl_schema", "open_file"):
            patched.setattr(jsonl, name, refuse)
        patched.setattr(sources, "read_dataset", refuse)
        return validate(capsys, *args)


TYPED = """\
fields:
  id: {type: int64}
  small: {type: int8, nullable: true}
  x: {type: float64, nullable: true}
  n: {type: number, nullable: true}
  day: {type: date, nullable: true}
  at: {type: timestamp, tz: UTC, nullable: true}
  ok: {type: bool, nullable: true}
  price: {type: decimal, precision: 6, scale: 2, nullable: true}
  name: {type: string, nullable: true}
"""

TYPED_LINES = [
    '{"id": 1, "small": 1, "x": 1.5, "n": 1, "day": "2024-01-01", "at": "2024-01-01T00:00:00Z",'
    ' "ok": true, "price": 1.5, "name": "a"}',
    '{"id": 1.0, "small": 200, "x": 1e3, "n": 2.5, "day": "01/02/2024",'
    ' "at": "2024-01-01T00:00:00", "ok": 1, "price": 1.555, "name": "b"}',
    "",
    '  {"id": 1e3, "small": "x", "x": 0.30000000000000004, "n": null, "day": null, "ok": "yes",'
    ' "price": "12345.6", "name": null}  ',
    '{"id": 9223372036854775808, "small": -0, "x": "abc", "n": 1e-7, "day": 20240101, "at": 5,'
    ' "ok": false, "price": -0.1, "name": "d"}',
    '{"id": 2.5, "small": 1.0, "x": null, "n": 3, "day": "2024-02-30", "at": null, "name": "e"}',
    '{"id": 12345678901234567890123456789, "small": 1.5e2, "x": -2, "day": "2024-02-29",'
    ' "at": "2024-01-01 10:00:00.1234567Z", "price": 1e-2, "name": "\\u00e9\\ud83d\\ude00"}',
]


def test_typed_values_match_polars_without_a_driver_read(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Numbers read as polars writes them (1.0 and 1e3 are integers, 1e-7 is 0.0000001), texts
    converted by the CSV rules, failures on their rows with their text, a blank line no row."""
    contract = write_contract(tmp_path, TYPED)
    data = write(tmp_path / "d.jsonl", "\n".join(TYPED_LINES) + "\n")
    run = on_spark_alone(monkeypatch, capsys, contract, data, "pyspark", "--max-examples", "10")
    assert run.code == 1 and "warning" not in run.err, run.err
    report = json.loads(run.out)
    assert report["dataset"]["rows"] == 6
    typed = {v["field"]: v for v in report["violations"] if v["code"] == "field.type"}
    assert [(e["row"], e["value"]) for e in typed["id"]["examples"]] == [
        (3, "9223372036854775808"),
        (4, "2.5"),
        (5, "12345678901234567890123456789"),
    ]
    assert [(e["row"], e["value"]) for e in typed["small"]["examples"]] == [
        (1, "200"),
        (2, "x"),
        (5, "150"),
    ]
    assert [e["value"] for e in typed["day"]["examples"]] == [
        "01/02/2024",
        "20240101",
        "2024-02-30",
    ]
    assert [e["value"] for e in typed["price"]["examples"]] == ["1.555", "12345.6"]
    assert [e["value"] for e in typed["x"]["examples"]] == ["abc"]
    assert "naive timestamp for a tz=UTC field" in typed["at"]["message"]


def test_typed_values_match_polars_exactly(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, TYPED)
    data = write(tmp_path / "d.jsonl", "\n".join(TYPED_LINES) + "\n")
    assert same_report(capsys, contract, data).code == 1


KEYS = """\
fields:
  id: {type: int64, checks: [{less_than: 100}]}
  name: {type: string, nullable: true}
  score: {type: float64, nullable: true, checks: [{min: 0}]}
dataset:
  primary_key: [id]
"""


def test_missing_unknown_and_null_keys_several_files_and_splits_match_polars(
    spark: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_splits: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three files (a directory, discover order), 64-byte splits: rows placed in file order; a
    key a line lacks is null; a key no contract field names is unexpected; a file lacking a
    field is named; an empty file and a file of blank lines are no rows."""
    contract = write_contract(tmp_path, KEYS)
    folder = tmp_path / "parts"
    folder.mkdir()
    rows = [{"id": i, "name": f"n{i}", "score": (i % 5) - 1.5, "extra": i} for i in range(40)]
    rows[7]["id"] = 3  # a duplicate key
    rows[31]["id"] = 130
    del rows[12]["score"]
    write(folder / "a.jsonl", "".join(json.dumps(r) + "\n" for r in rows[:20]))
    write(folder / "b.jsonl", "")
    write(folder / "c.jsonl", "\n \r\n")
    write(folder / "d.jsonl", "\r\n".join(json.dumps(r) for r in rows[20:]))
    lacking = [{"id": 200 + i, "score": 1.0} for i in range(3)]
    write(folder / "e.jsonl", "".join(json.dumps(r) + "\n" for r in lacking))
    alone = on_spark_alone(monkeypatch, capsys, contract, folder, "pyspark", "--max-examples", "10")
    assert alone.code == 1 and "warning" not in alone.err, alone.err
    run = same_report(capsys, contract, folder)
    assert comparable(json.loads(run.out)) == comparable(json.loads(alone.out))
    report = json.loads(run.out)
    assert report["dataset"]["rows"] == 43
    found = {(v["code"], v["field"]): v for v in report["violations"]}
    assert found[("field.missing", "name")]["details"]["files"] == [
        str(folder / n) for n in ("b.jsonl", "c.jsonl", "e.jsonl")
    ]
    assert ("field.unexpected", "extra") in found
    lows = found[("check.failed", "score")]["examples"]
    assert [(e["file"], e["row"]) for e in lows][:2] == [
        (str(folder / "a.jsonl"), 0),
        (str(folder / "a.jsonl"), 1),
    ]
    high = found[("check.failed", "id")]["examples"]
    assert [(e["file"], e["row"], e["value"]) for e in high] == [
        (str(folder / "d.jsonl"), 11, 130),
        *[(str(folder / "e.jsonl"), i, 200 + i) for i in range(3)],
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": 1}\n{"id": 2\n{"id": 3}\n', "line 2: not valid JSON"),
        (b'{"id": 1}\n[1, 2]\n', "line 2: expected a JSON object, found list"),
        (b'{"id": 1}\n{"id": 1} {"id": 2}\n', "line 2: not valid JSON"),
        (b'{"id": 1}\n{"id": 1}}\n', "line 2: not valid JSON"),
        (b'{"id": 1}\n{"id": 1e400}\n', "line 2: not valid JSON (the number 1e400 is too large)"),
        (b'{"id": 1}\n{"id": NaN}\n', "line 2: not valid JSON"),
        (b'{"id": 1}\n{"id": "\xe9"}\n', "not valid utf-8 at byte offset 18"),
        (b'{"id": 1}\n{"id": 1, "deep": ' + b"[" * 30 + b"]" * 30 + b"}\n", "nested more than 20"),
        (b'{"id": 1}\n{"id": ' + b"9" * 40 + b"}\n", "is too large"),
    ],
    ids=[
        "unclosed",
        "list",
        "two objects",
        "extra brace",
        "huge float",
        "nan",
        "latin-1",
        "deep",
        "huge int",
    ],
)
def test_malformed_lines_are_refused_naming_the_line_as_on_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    contract = write_contract(tmp_path, "fields:\n  id: {type: int64}\n")
    path = write(tmp_path / "d.jsonl", data)
    run = same_report(capsys, contract, path)
    assert run.code == 2
    assert message in run.err and "d.jsonl" in run.err, run.err


@pytest.mark.parametrize(
    ("lines", "contract", "why"),
    [
        (
            ['{"id": 1, "id": 2}', '{"id": 3}'],
            "fields:\n  id: {type: int64}\n",
            "a key given twice",
        ),
        (
            ['{"id": 1, "a": 1, "b": 2}', '{"b": 1, "id": 2, "a": 3}'],
            "fields:\n  id: {type: int64}\n",
            "list their keys in different orders",
        ),
        (['{"id": [1, 2]}', '{"id": 3}'], "fields:\n  id: {type: int64}\n", "writes otherwise"),
        (
            ['{"id": 1, "s": 5}'],
            "fields:\n  id: {type: int64}\n  s: {type: string}\n",
            "not strings",
        ),
        (['{"id": -0.0}'], "fields:\n  id: {type: int64}\n", "negative zero"),
        (
            ['{"id": 1, "x": true}', '{"id": 2, "x": 3}'],
            "fields:\n  id: {type: int64}\n",
            "several kinds",
        ),
    ],
    ids=[
        "duplicate key",
        "key order",
        "list in int",
        "number in string",
        "-0.0",
        "bool and int",
    ],
)
def test_what_spark_could_read_otherwise_is_read_on_the_driver_saying_why(
    spark: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lines: list[str],
    contract: str,
    why: str,
) -> None:
    path = write(tmp_path / "d.jsonl", "\n".join(lines) + "\n")
    contract_path = write_contract(tmp_path, contract)
    if why == "not strings":  # a number column: each engine names its type in the messages
        runs = [validate(capsys, contract_path, path, e) for e in ("pyspark", "polars")]
        assert [r.code for r in runs] == [1, 1]
        assert summary(json.loads(runs[0].out)) == summary(json.loads(runs[1].out))
        run = runs[0]
    else:
        run = same_report(capsys, contract_path, path)
    assert WARNING in run.err and why in run.err, run.err


def test_keys_in_one_order_with_some_missing_are_read_by_spark(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lines lacking some keys list the others in different sequences, but with one undeclared
    key the column order cannot show: Spark reads them."""
    lines = [
        '{"id": 1, "name": "a", "extra": 1}',
        '{"id": 2, "extra": 2}',
        '{"name": "c", "id": 3}',
    ]
    contract = write_contract(
        tmp_path, "fields:\n  id: {type: int64}\n  name: {type: string, nullable: true}\n"
    )
    run = same_report(capsys, contract, write(tmp_path / "d.jsonl", "\n".join(lines)))
    assert run.code == 0 and "warning" not in run.err, run.err
