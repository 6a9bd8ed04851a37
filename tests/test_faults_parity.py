"""FAULTS.md rows 34-38: contract evolution, paths in contracts, and one verdict on every engine.

Row 38 is tested on polars, on pandas fed two ways (numpy-backed ``to_pandas()`` and
arrow-backed), and on Spark (the ``spark`` extra; one shared local session), through the API and
the CLI; great_expectations runs as ``--engine gx``, held to pandas in ``test_gx_engine.py``. The
random version of this suite is ``tests/test_fuzz_parity.py``.
"""

from __future__ import annotations

import builtins
import datetime as dt
import io
import math
import os
import socket
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import accord
from conftest import spark_frame
from fault_support import api_summary, cli, contract_text, validate, write, write_contract

# -- row 34 -----------------------------------------------------------------------------------

BASE = {
    "dataset": "dataset: {primary_key: [id]}\n",
    "id": "  id: {type: int64}\n",
    "status": "  status: {type: string, checks: [{in: [new, paid]}]}\n",
    "amount": "  amount: {type: float64, checks: [{between: {min: 0, max: 100}}]}\n",
    "code": "  code: {type: string, checks: [{pattern: '^[A-Z]+$'}]}\n",
    "note": "  note: {type: string, required: false}\n",
    "qty": "  qty: {type: int32}\n",
}


def version(number: str, **changes: str) -> str:
    parts = {**BASE, **changes}
    head = f"accord: 1\nname: orders\nversion: {number}\n" + parts.pop("dataset")
    return head + "fields:\n" + "".join(parts.values())


# (change, its edit, [(path, kind, direction)], bump required in full mode, in backward mode)
CHANGES: list[tuple[str, dict[str, str], list[tuple[str, str, str]], str, str]] = [
    ("field removed", {"qty": ""}, [("fields.qty", "field.removed", "relaxed")], "major", "minor"),
    (
        "optional field added",
        {"extra": "  extra: {type: string, required: false}\n"},
        [("fields.extra", "field.added", "added")],
        "minor",
        "minor",
    ),
    (
        "type widened",
        {"qty": "  qty: {type: int64}\n"},
        [("fields.qty.type", "field.type", "relaxed")],
        "major",
        "minor",
    ),
    (
        "type changed",
        {"qty": "  qty: {type: string}\n"},
        [("fields.qty.type", "field.type", "changed")],
        "major",
        "major",
    ),
    (
        "optional to required",
        {"note": "  note: {type: string}\n"},
        [("fields.note.required", "field.required", "tightened")],
        "major",
        "major",
    ),
    (
        "enum value removed",
        {"status": "  status: {type: string, checks: [{in: [new]}]}\n"},
        [("fields.status.checks[0].in", "check.param", "tightened")],
        "major",
        "major",
    ),
    (
        "enum value added",
        {"status": "  status: {type: string, checks: [{in: [new, paid, lost]}]}\n"},
        [("fields.status.checks[0].in", "check.param", "relaxed")],
        "major",
        "minor",
    ),
    (
        "pattern changed",
        {"code": "  code: {type: string, checks: [{pattern: '^[A-Z0-9]+$'}]}\n"},
        [("fields.code.checks[0].pattern", "check.param", "changed")],
        "major",
        "major",
    ),
    (
        "range tightened",
        {"amount": "  amount: {type: float64, checks: [{between: {min: 0, max: 50}}]}\n"},
        [("fields.amount.checks[0].between.max", "check.param", "tightened")],
        "major",
        "major",
    ),
    (
        "range widened",
        {"amount": "  amount: {type: float64, checks: [{between: {min: 0, max: 500}}]}\n"},
        [("fields.amount.checks[0].between.max", "check.param", "relaxed")],
        "major",
        "minor",
    ),
    (
        "primary key changed",
        {"dataset": "dataset: {primary_key: [id, status]}\n"},
        [("dataset.primary_key", "dataset.primary_key", "changed")],
        "major",
        "major",
    ),
    (
        "rename without previous_names",
        {"qty": "", "quantity": "  quantity: {type: int32}\n"},
        [
            ("fields.quantity", "field.added", "tightened"),
            ("fields.qty", "field.removed", "relaxed"),
        ],
        "major",
        "major",
    ),
    (
        "rename declared in previous_names",
        {"qty": "", "quantity": "  quantity: {type: int32, previous_names: [qty]}\n"},
        [
            ("fields.quantity", "field.renamed", "changed"),
            ("fields.quantity.previous_names", "metadata", "neutral"),
        ],
        "major",
        "major",
    ),
    (
        "description only",
        {"qty": "  qty: {type: int32, description: units}\n"},
        [("fields.qty.description", "metadata", "neutral")],
        "patch",
        "patch",
    ),
]
BUMPS = {"patch": "1.0.1", "minor": "1.1.0", "major": "2.0.0"}


@pytest.mark.parametrize(
    ("change", "edit", "expected", "full", "backward"), CHANGES, ids=[c[0] for c in CHANGES]
)
def test_fault_34_contract_changes_are_classified_and_judged(
    change: str,
    edit: dict[str, str],
    expected: list[tuple[str, str, str]],
    full: str,
    backward: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = write(tmp_path / "old.yaml", version("1.0.0"))
    for mode, required in (("full", full), ("backward", backward)):
        for declared, number in BUMPS.items():
            new = write(tmp_path / "new.yaml", version(number, **edit))
            run = cli(capsys, "diff", old, new, "--format", "json", "--mode", mode)
            result = run.report
            found = [(c["path"], c["kind"], c["direction"]) for c in result["changes"]]
            assert found == expected, change
            assert (result["required_bump"], result["declared_bump"]) == (required, declared)
            big_enough = list(BUMPS).index(declared) >= list(BUMPS).index(required)
            assert run.code == (0 if big_enough else 1), (mode, declared)
            assert result["passed"] is big_enough
    api = accord.diff(old, tmp_path / "new.yaml")
    assert [(c.path, c.direction) for c in api.changes] == [(p, d) for p, _, d in expected]


# -- row 35 -----------------------------------------------------------------------------------


def test_fault_35_diff_of_broken_identical_or_unrelated_contracts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "good.yaml", version("1.0.0"))
    broken = write(tmp_path / "broken.yaml", "accord: 1\nname: [orders\n")
    for args in ([good, broken], [broken, good]):
        run = cli(capsys, "diff", *args)
        assert run.code == 2 and run.out == ""
        assert f"{broken}:3:1 YAML syntax error" in run.err
    run = cli(capsys, "diff", good, tmp_path / "absent.yaml")
    assert run.code == 2 and "absent.yaml contract file not found" in run.err
    assert cli(capsys, "diff", good).code == 2
    same = cli(capsys, "diff", good, write(tmp_path / "copy.yaml", version("1.0.0")))
    assert same.code == 0 and "0 changes" in same.out
    other = write(
        tmp_path / "other.yaml", version("1.0.0").replace("name: orders", "name: invoices")
    )
    run = cli(capsys, "diff", good, other)
    assert run.code == 1
    assert "contract names differ: 'orders' and 'invoices' are different contracts" in run.out
    as_json = cli(capsys, "diff", good, other, "--format", "json")
    assert as_json.code == 1 and as_json.report["passed"] is False
    with pytest.raises(accord.ContractError):
        accord.diff(good, broken)


# -- row 37 -----------------------------------------------------------------------------------


class Recorder:
    """Every file the process opens, stats or reads, and every socket it connects."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        self.connections: list[Any] = []
        real_open, real_io_open, real_os_open = builtins.open, io.open, os.open
        real_stat, real_access = os.stat, os.access

        def note(path: Any) -> None:
            if isinstance(path, str | bytes | os.PathLike):
                self.paths.append(os.fsdecode(path))

        def opened(file: Any, *args: Any, **kwargs: Any) -> Any:
            note(file)
            return real_open(file, *args, **kwargs)

        def io_opened(file: Any, *args: Any, **kwargs: Any) -> Any:
            note(file)
            return real_io_open(file, *args, **kwargs)

        def os_opened(path: Any, *args: Any, **kwargs: Any) -> Any:
            note(path)
            return real_os_open(path, *args, **kwargs)

        def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
            note(path)
            return real_stat(path, *args, **kwargs)

        def access(path: Any, *args: Any, **kwargs: Any) -> Any:
            note(path)
            return real_access(path, *args, **kwargs)

        def connect(*args: Any, **kwargs: Any) -> Any:
            self.connections.append(args)
            raise OSError("network access attempted")

        monkeypatch.setattr(builtins, "open", opened)
        monkeypatch.setattr(io, "open", io_opened)
        monkeypatch.setattr(os, "open", os_opened)
        monkeypatch.setattr(os, "stat", stat)
        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket, "create_connection", connect)

    def touched(self, target: Path) -> bool:
        resolved = {os.path.realpath(p) for p in self.paths}
        return os.path.realpath(target) in resolved or any(str(target) in p for p in self.paths)


def test_fault_37_paths_and_urls_in_a_contract_are_never_followed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside / "secret.csv", "id\n1\n2\n")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    contract = write_contract(
        workspace,
        f"""\
        x-include: {secret}
        x-source: https://example.invalid/data.csv
        references:
          users: {{contract: "../outside/secret.csv", description: "file://{secret}"}}
          remote: {{contract: "https://example.invalid/users.yaml"}}
          system: {{contract: "../../../../etc/passwd"}}
        fields:
          id:
            type: int64
            description: see {secret}
            checks:
              - in_reference: {{dataset: users, field: id}}
        """,
    )
    data = write(workspace / "d.csv", "id\n1\n3\n")
    recorder = Recorder(monkeypatch)
    run = validate(capsys, contract, data, engine)
    report = accord.load(contract).validate(pl.DataFrame({"id": [1, 3]}))
    assert not recorder.touched(secret) and not recorder.touched(Path("/etc/passwd"))
    assert recorder.connections == []
    # without data for the reference the check is skipped with a warning, never passed
    assert run.code == 0
    assert run.violations() == [("check.skipped", "id", None)]
    (skipped,) = run.report["violations"]
    assert skipped["severity"] == "warning" and "pass --ref users=PATH" in skipped["message"]
    assert api_summary(report) == [("check.skipped", "id", None)]
    # a path the user gives on the command line is read, and only then
    run = validate(capsys, contract, data, engine, "--ref", f"users={secret}")
    assert run.code == 1 and run.violations() == [("reference.missing", "id", 1)]
    assert recorder.touched(secret)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("servers: {prod: {path: /etc/passwd}}\n", "unknown key 'servers'"),
        ("$ref: ../../other.yaml\n", "unknown key '$ref'"),
        ("include: [../secret.yaml]\n", "unknown key 'include'"),
        ("source: {path: /etc/passwd, format: csv}\n", "source: unknown key 'path'"),
        ("source: {url: 'https://example.invalid/x.csv'}\n", "source: unknown key 'url'"),
    ],
)
def test_fault_37_location_keys_are_refused_not_followed(
    block: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contract = write(tmp_path / "c.yaml", contract_text(block + "fields:\n  a: {type: int64}\n"))
    recorder = Recorder(monkeypatch)
    run = cli(capsys, "lint", contract)
    assert run.code == 2 and message in run.err
    assert not recorder.touched(Path("/etc/passwd")) and recorder.connections == []


# -- row 38 -----------------------------------------------------------------------------------

PARITY = """\
references: {codes: {contract: codes}}
dataset:
  primary_key: [id]
  unique: [[name, day]]
  row_count: {min: 1, max: 100}
  freshness: {field: at, max_age: 2d}
  rules:
    - {name: lo_le_hi, assert: "lo <= hi"}
    - {name: named, assert: "name is not null or score > 0"}
fields:
  id: {type: int64}
  name:
    type: string
    nullable: true
    checks:
      - pattern: "^[a-zé]+$"
      - length: {min: 2, max: 6}
      - starts_with: a
      - ends_with: e
      - contains: l
      - not_in: [banned]
      - in_reference: {dataset: codes, field: code}
  kind: {type: category, categories: [x, y]}
  score:
    type: float64
    nullable: true
    checks:
      - between: {min: 0, max: 10, inclusive: left}
      - greater_than: -5
      - less_than: 9.5
      - not_equal_to: 3
      - mean_between: {min: 0, max: 3}
      - median_between: {min: 0, max: 1}
      - stddev_between: {max: 1}
      - max_null_fraction: 0.1
  lo: {type: int32, nullable: true, checks: [{equal_to: 1}, {min: 0}, {max: 5}]}
  hi: {type: int32, nullable: true, unique: true, checks: [{distinct_count_between: {min: 9}}]}
  day: {type: date, nullable: true, checks: [{between: {min: "2020-01-01", max: "2020-12-31"}}]}
  at: {type: timestamp, tz: UTC, checks: [{greater_than_or_equal_to: "2020-01-01T00:00:00Z"}]}
  flag: {type: bool, nullable: true, checks: [{equal_to: true}]}
  tags: {type: string, required: false}
"""
NAN = math.nan


def parity_frame() -> pl.DataFrame:
    utc = dt.UTC
    return pl.DataFrame(
        {
            "id": [1, 2, 2, 4, 5, 6, 7, 8],
            "name": ["apple", "Axle", None, "éclair", "ale", "banned", "ale", "a\u00e9le"],
            "kind": ["x", "y", "z", "x", "X", "x", "y", "x"],
            "score": [0.0, 10.0, NAN, None, 3.0, -7.0, 9.6, 2.5],
            "lo": [1, 2, None, 0, 7, 1, 1, 1],
            "hi": [1, 1, 5, None, 6, 0, 2, 3],
            "day": [dt.date(2020, 1, 1), dt.date(2021, 1, 1), None] + [dt.date(2020, 6, 1)] * 5,
            "at": [dt.datetime(2020, 1, 2, tzinfo=utc), dt.datetime(2019, 12, 31, tzinfo=utc)]
            + [dt.datetime(2020, 5, 1, tzinfo=utc)] * 6,
            "flag": [True, False, None, True, True, True, True, True],
        },
        schema_overrides={"lo": pl.Int32, "hi": pl.Int32},
    )


def nan_as_none(value: Any) -> Any:
    """NaN is a null like None; polars shows a NaN example as "NaN", pandas as None."""
    if isinstance(value, dict):
        return {k: nan_as_none(v) for k, v in value.items()}
    if value == "NaN" or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def normalised(report: Any) -> tuple[Any, ...]:
    """What must agree across engines: verdict, each violation's identity, count and evidence,
    and each check's status. NaN and None are both nulls; engines may show either."""

    violations = [
        (
            str(v.code),
            v.field,
            v.check_id,
            v.failure_count,
            [(e.row, nan_as_none(e.value)) for e in v.examples],
            str(v.severity),
        )
        for v in report.violations
    ]
    checks = sorted((c.check_id, c.status) for c in report.checks)
    return report.passed, violations, checks


AS_OF = dt.datetime(2020, 5, 2, tzinfo=dt.UTC)
CODES = ["apple", "ale", "éclair"]
# The data was built to trip every kind of check; these are the counts every engine must give.
PARITY_EXPECTED = [
    ("check.failed", "name", "fields.name.checks[0]", 1),  # Axle (é is in the class)
    ("check.failed", "name", "fields.name.checks[2]", 3),
    ("check.failed", "name", "fields.name.checks[3]", 2),
    ("check.failed", "name", "fields.name.checks[4]", 1),
    ("check.failed", "name", "fields.name.checks[5]", 1),
    ("reference.missing", "name", "fields.name.checks[6]", 3),
    ("check.failed", "kind", "fields.kind.categories", 2),  # z, and X (case matters)
    ("check.failed", "score", "fields.score.checks[0]", 2),  # 10 (right-open), -7
    ("check.failed", "score", "fields.score.checks[1]", 1),
    ("check.failed", "score", "fields.score.checks[2]", 2),
    ("check.failed", "score", "fields.score.checks[3]", 1),
    ("check.failed", "score", "fields.score.checks[4]", None),  # aggregates: no rows
    ("check.failed", "score", "fields.score.checks[5]", None),
    ("check.failed", "score", "fields.score.checks[6]", None),
    ("check.failed", "score", "fields.score.checks[7]", None),  # NaN and None: 2 of 8
    ("check.failed", "lo", "fields.lo.checks[0]", 3),
    ("check.failed", "lo", "fields.lo.checks[2]", 1),
    ("field.unique", "hi", "fields.hi.unique", 2),
    ("check.failed", "hi", "fields.hi.checks[0]", None),
    ("check.failed", "day", "fields.day.checks[0]", 1),
    ("check.failed", "at", "fields.at.checks[0]", 1),
    ("check.failed", "flag", "fields.flag.checks[0]", 1),
    ("dataset.primary_key", None, "dataset.primary_key", 2),
    ("dataset.unique", None, "dataset.unique[0]", 2),
    ("dataset.rule", None, "dataset.rules[0]", 5),
    ("dataset.rule", None, "dataset.rules[1]", 1),
]


def feed(name: str, frame: pl.DataFrame) -> Any:
    if name == "pyspark":  # the session is the `spark` fixture's, already active
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        assert session is not None, "request the spark fixture first"
        return spark_frame(session, frame)
    if name == "pandas":
        return frame.to_pandas()  # numpy-backed, as most pandas users have it
    if name == "pandas-arrow":
        return frame.to_pandas(use_pyarrow_extension_array=True)
    return frame


def parity_report(engine: str) -> Any:
    contract = accord.load(contract_text(PARITY))
    codes = pl.DataFrame({"code": CODES})
    return contract.validate(
        feed(engine, parity_frame()),
        references={"codes": feed(engine, codes)},
        as_of=AS_OF,
        max_examples=10,
    )


def test_fault_38_reference_counts_on_polars() -> None:
    passed, violations, _ = normalised(parity_report("polars"))
    assert passed is False
    assert [(code, field, check, count) for code, field, check, count, _, _ in violations] == (
        PARITY_EXPECTED
    )


def with_spark(engine: str, request: pytest.FixtureRequest) -> None:
    """Start (once per run) the shared SparkSession when the case is Spark's."""
    if engine == "pyspark":
        request.getfixturevalue("spark")


SPARK = pytest.param("pyspark", marks=pytest.mark.spark)


@pytest.mark.parametrize("engine", ["pandas", "pandas-arrow", SPARK])
def test_fault_38_same_verdicts_and_counts_on_every_engine(
    engine: str, request: pytest.FixtureRequest
) -> None:
    """Same verdict, same (code, field, check_id, count), same example rows and values, same
    check statuses as polars."""
    with_spark(engine, request)
    assert normalised(parity_report(engine)) == normalised(parity_report("polars"))


def test_fault_38_same_report_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_contract(tmp_path, PARITY)
    data = tmp_path / "d.parquet"
    parity_frame().write_parquet(data)
    refs = write(tmp_path / "codes.csv", "code\n" + "\n".join(CODES) + "\n")
    options = ["--ref", f"codes={refs}", "--as-of", "2020-05-02T00:00:00Z", "--max-examples", 10]
    runs = [
        validate(capsys, path, data, engine, *options).report for engine in ("pandas", "polars")
    ]
    for report in runs:
        for key in ("engine", "started_at", "duration_s"):
            report.pop(key)
        for found in report["violations"]:
            found["details"].pop("actual", None)  # each engine's own dtype name
            for example in found["examples"]:
                example["value"] = nan_as_none(example["value"])
    assert runs[0] == runs[1]
    shown = [
        (v["code"], v["field"], v["check_id"], v["failure_count"]) for v in runs[0]["violations"]
    ]
    assert shown == PARITY_EXPECTED


def test_fault_38_a_check_an_engine_cannot_run_is_never_passed(
    registered_checks: list[str], engine: str
) -> None:
    """A custom check written for one library fails on the other; the report must say the check
    could not be evaluated, never that it passed or found zero failures."""

    @accord.register_check("pandas_only")
    def pandas_only(values: Any) -> Any:
        return values.apply(lambda v: v > 0)  # polars Series have no .apply

    registered_checks.append("pandas_only")
    contract = accord.load(
        contract_text("fields:\n  v: {type: int64, checks: [{custom: {check: pandas_only}}]}\n")
    )
    source = pl.DataFrame({"v": [1, -1, 2]})
    report = contract.validate(source if engine == "polars" else source.to_pandas())
    status = {c.check_id: c.status for c in report.checks}["fields.v.checks[0]"]
    assert status != "passed"
    (found,) = [v for v in report.violations if v.check_id == "fields.v.checks[0]"]
    if engine == "pandas":
        assert (found.code, found.failure_count) == ("check.failed", 1)
    else:
        assert found.failure_count != 0  # "0 values failed" would read as a pass
        assert "could not be evaluated" in found.message or "skipped" in str(found.code)
    assert not report.passed


def test_fault_38_time_zone_alias_compares_on_every_engine(engine: str) -> None:
    """Etc/UTC is UTC (the schema pass accepts it), so its checks must run, not error."""
    contract = accord.load(
        contract_text(
            'fields:\n  at: {type: timestamp, tz: UTC, checks: [{min: "2020-01-01T00:00:00Z"}]}\n'
        )
    )
    moments = pl.Series([dt.datetime(2021, 1, 1), dt.datetime(2019, 1, 1)])
    frame = pl.DataFrame({"at": moments.dt.replace_time_zone("Etc/UTC")})
    report = contract.validate(frame if engine == "polars" else frame.to_pandas())
    assert api_summary(report) == [("check.failed", "at", 1)]


def test_fault_38_unknown_engines_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    data = write(tmp_path / "d.csv", "a\n1\n")
    for engine in ("spark", "pandera"):
        run = cli(capsys, "validate", contract, data, "--engine", engine)
        assert run.code == 2 and f"unknown --engine '{engine}'" in run.err
    # gx is an engine now (tests/test_gx_engine.py): the same data passes on it
    assert cli(capsys, "validate", contract, data, "--engine", "gx").code == 0
    hint = r"unknown engine 'spark' \(did you mean 'pyspark'\?\)"
    with pytest.raises(accord.UsageError, match=hint):
        accord.load(contract).to_pandera(engine="spark")


# Small cases the parity fuzzer (tests/test_fuzz_parity.py) shrank to, each with the summary
# every engine must give: (contract fields, polars columns, expected (code, field, count)).
CORNERS = {
    "negative zero is zero": (
        "  f: {type: float64, nullable: true, checks: [{in: [0]}, {not_in: [-0.0]}]}\n",
        {"f": [None, -0.0, 0.0, 1.0]},
        [("check.failed", "f", 1), ("check.failed", "f", 2)],
    ),
    "negative zero is one distinct value": (
        "  f: {type: float64, checks: [{distinct_count_between: {max: 1}}]}\n",
        {"f": [0.0, -0.0]},
        [],
    ),
    "integers in a number field": (
        "  n: {type: number, nullable: true, checks: [{in: [0, 1.5]}, {not_in: [2]}]}\n",
        {"n": pl.Series([None, 0, 2], dtype=pl.Int64)},
        [("check.failed", "n", 1), ("check.failed", "n", 1)],
    ),
    "NaN in a float column declared integer": (
        "  i: {type: int64}\n",
        {"i": [float("nan"), 1.0, None]},
        [("field.null", "i", 2)],
    ),
    "dates": (
        "  d: {type: date, nullable: true, checks: [{min: '2020-01-02'}]}\n",
        {"d": [dt.date(2020, 1, 1), None, dt.date(2020, 1, 3)]},
        [("check.failed", "d", 1)],
    ),
}


@pytest.mark.parametrize("engine", ["polars", "pandas", "pandas-arrow", SPARK])
@pytest.mark.parametrize("corner", list(CORNERS))
def test_fault_38_corner_cases_agree_on_every_engine(
    corner: str, engine: str, request: pytest.FixtureRequest
) -> None:
    with_spark(engine, request)
    fields, columns, expected = CORNERS[corner]
    contract = accord.load(contract_text("fields:\n" + fields))
    report = contract.validate(feed(engine, pl.DataFrame(columns)))
    assert api_summary(report) == expected


def test_fault_38_dates_as_pandas_holds_them() -> None:
    """pandas has no date dtype of its own: dates arrive as datetime64 at midnight or as an
    object column of ``datetime.date``; both are dates, judged value by value."""
    import pandas as pd

    contract = accord.load(contract_text("fields:\n  d: {type: date, nullable: true}\n"))
    midnight = pd.DataFrame({"d": pd.to_datetime(["2020-01-01", None])})
    objects = pd.DataFrame({"d": pd.Series([dt.date(2020, 1, 1), None], dtype=object)})
    assert api_summary(contract.validate(midnight)) == []
    assert api_summary(contract.validate(objects)) == []
    noon = pd.DataFrame({"d": pd.to_datetime(["2020-01-01 12:00"])})
    assert api_summary(contract.validate(noon)) == [("field.type", "d", 1)]
