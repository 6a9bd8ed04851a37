"""The acceptance cases of ``accord validate``: written once, run on CSV, Parquet and JSON Lines,
on pandas, polars and pyspark, through the command line, and compared with exact codes, counts
and exit codes; on pyspark the whole report (examples, messages, check statuses) must equal
polars' (and Spark reads the files itself: no warning of a read on the driver)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest

from accord.cli.app import main

CONTRACT = Path(__file__).parent / "fixtures" / "acceptance" / "weather.yaml"
HEADER = ["station", "day", "observed_at", "temp_min", "temp_max", "rain_mm", "sky"]
GOOD_ROWS = [
    ["OSL", "2026-11-01", "2026-11-01T06:00:00Z", "-3.5", "4.0", "0", "snow"],
    ["OSL", "2026-11-02", "2026-11-02T06:00:00Z", "-1.0", "6.5", "12", "rain"],
    ["BER", "2026-11-01", "2026-11-01T06:00:00Z", "2.0", "9.5", "3", "cloud"],
    ["BER", "2026-11-02", "2026-11-02T06:00:00Z", "4.0", "11.0", "0", "sun"],
    ["MAD", "2026-11-01", "2026-11-01T06:00:00Z", "8.0", "19.5", "0", "sun"],
    ["MAD", "2026-11-02", "2026-11-02T06:00:00Z", "7.5", "18.0", "1", "cloud"],
]
STATIONS = "code,name\nOSL,Oslo\nBER,Berlin\nMAD,Madrid\n"
Rows = list[list[str]]
Expected = list[tuple[str, str | None, int | None]]


@dataclass
class Case:
    name: str
    edit: Callable[[Rows], tuple[list[str], Rows]]
    expected: Expected
    exit_code: int = 1
    formats: tuple[str, ...] = ("csv", "parquet", "jsonl")
    extra_args: list[str] = field(default_factory=list)


def keep(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    return header, rows


def set_cell(row: int, column: str, value: str) -> Callable[[Rows], tuple[list[str], Rows]]:
    def edit(rows: Rows) -> tuple[list[str], Rows]:
        rows[row][HEADER.index(column)] = value
        return HEADER, rows

    return edit


def drop_column(
    column: str, rename_to: str | None = None
) -> Callable[[Rows], tuple[list[str], Rows]]:
    def edit(rows: Rows) -> tuple[list[str], Rows]:
        index = HEADER.index(column)
        if rename_to:
            return [rename_to if h == column else h for h in HEADER], rows
        return (
            [h for h in HEADER if h != column],
            [[v for i, v in enumerate(r) if i != index] for r in rows],
        )

    return edit


def edits(
    *steps: Callable[[Rows], tuple[list[str], Rows]],
) -> Callable[[Rows], tuple[list[str], Rows]]:
    def edit(rows: Rows) -> tuple[list[str], Rows]:
        header = HEADER
        for step in steps:
            header, rows = step(rows)
        return header, rows

    return edit


CASES = [
    Case("clean", lambda rows: keep(HEADER, rows), [], exit_code=0),
    Case(
        "key column missing",
        drop_column("station"),
        [
            ("field.missing", "station", None),
        ],
    ),
    Case(
        "renamed column",
        drop_column("temp_min", rename_to="tmin"),
        [
            ("field.missing", "temp_min", None),
            ("field.unexpected", "tmin", None),
        ],
    ),
    Case(
        "numbers with units and thousands separators",
        edits(set_cell(0, "rain_mm", "3750 g"), set_cell(1, "rain_mm", '"8,425,333"')),
        [("field.type", "rain_mm", 2)],
        formats=("csv", "jsonl"),
    ),
    Case(
        "integer became float",
        edits(set_cell(0, "rain_mm", "1.7"), set_cell(2, "rain_mm", "2.5")),
        [("field.type", "rain_mm", 2)],
        formats=("csv", "jsonl"),
    ),
    Case(
        "nulls in a key field",
        edits(set_cell(0, "station", ""), set_cell(3, "day", "")),
        [("field.null", "station", 1), ("field.null", "day", 1)],
    ),
    Case(
        "value outside enum and case change",
        edits(set_cell(0, "sky", "Rain"), set_cell(1, "sky", "hail")),
        [("check.failed", "sky", 2)],
    ),
    Case(
        "out of range after a unit change (Fahrenheit)",
        edits(set_cell(4, "temp_max", "67.1"), set_cell(5, "temp_max", "64.4")),
        [("check.failed", "temp_max", 2)],
    ),
    Case(
        "time zone dropped",
        set_cell(2, "observed_at", "2026-11-01 06:00:00"),
        [("field.type", "observed_at", 1)],
        formats=("csv", "jsonl"),
    ),
    Case(
        "duplicated composite key",
        set_cell(1, "day", "2026-11-01"),
        [("dataset.primary_key", None, 2)],
    ),
    Case(
        "cross-field rule broken",
        edits(set_cell(3, "temp_min", "12.0")),
        [("dataset.rule", None, 1)],
    ),
    Case(
        "date format switched part-way",
        edits(set_cell(4, "day", "11/01/2026"), set_cell(5, "day", "11/02/2026")),
        [("field.type", "day", 2)],
        formats=("csv", "jsonl"),
    ),
    Case(
        "foreign key missing from the referenced dataset",
        set_cell(4, "station", "XYZ"),
        [("reference.missing", "station", 1)],
    ),
    Case(
        "header-only file",  # JSON Lines has no header: an empty file has no columns either
        lambda rows: keep(HEADER, []),
        [("dataset.empty", None, None)],
        exit_code=0,
        formats=("csv", "parquet"),
    ),
]


def write(tmp_path: Path, fmt: str, header: list[str], rows: Rows) -> Path:
    if fmt == "csv":
        path = tmp_path / "weather.csv"
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n")
        return path
    if fmt == "jsonl":  # cells that read as JSON numbers are numbers, empty ones null
        path = tmp_path / "weather.jsonl"
        lines = [
            json.dumps({h: _json_cell(v) for h, v in zip(header, r, strict=True)}) for r in rows
        ]
        path.write_text("".join(line + "\n" for line in lines))
        return path
    path = tmp_path / "weather.parquet"
    typed: dict[str, pl.Series] = {}
    for index, name in enumerate(header):
        values = [r[index] or None for r in rows]
        series = pl.Series(name, values, dtype=pl.String)
        if name == "day":
            series = series.str.to_date("%Y-%m-%d")
        elif name == "observed_at":
            series = series.str.to_datetime(time_zone="UTC")
        elif name in ("temp_min", "temp_max"):
            series = series.cast(pl.Float64)
        elif name == "rain_mm":
            series = series.cast(pl.Int64)
        typed[name] = series
    pl.DataFrame(typed).write_parquet(path)
    return path


def _json_cell(cell: str) -> object:
    if not cell:
        return None
    if re.fullmatch(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", cell):
        return json.loads(cell)
    return cell.strip('"')


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(args)
    captured = capsys.readouterr()
    assert "read on this machine" not in captured.err  # Spark read the files itself
    out = captured.out
    return code, json.loads(out) if out.strip().startswith("{") else {}


def summary(report: dict) -> Expected:  # type: ignore[type-arg]
    return (
        [
            (v["code"], v["field"], v["failure_count"])
            for v in report["violations"]
            if v["severity"] != "info" or v["code"] != "check.skipped"
        ]
        if report
        else []
    )


# Each case runs on every engine, and on polars batch-wise too: two rows a batch, so keys,
# row counts and aggregates are judged across batches (SPEC 6).
MODES = {
    "pandas": ["--engine", "pandas"],
    "polars": ["--engine", "polars", "--batch-rows", "0"],
    "polars-batched": ["--engine", "polars", "--batch-rows", "2"],
    "pyspark": ["--engine", "pyspark"],
}


# Text-only faults (units in numbers, a naive time written as text) cannot exist in Parquet,
# which stores typed values, so those cases run on CSV and JSON Lines (as strings) only.
@pytest.mark.parametrize(
    "mode",
    [pytest.param(m, marks=pytest.mark.spark) if m == "pyspark" else m for m in MODES],
)
@pytest.mark.parametrize(
    ("case", "fmt"),
    [(case, fmt) for case in CASES for fmt in case.formats],
    ids=[f"{case.name}-{fmt}" for case in CASES for fmt in case.formats],
)
def test_acceptance(
    case: Case,
    fmt: str,
    mode: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    if mode == "pyspark":  # the CLI finds the shared session active and uses it
        request.getfixturevalue("spark")
    header, rows = case.edit([list(r) for r in GOOD_ROWS])
    data = write(tmp_path, fmt, header, rows)
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS)
    args = [
        "validate",
        str(CONTRACT),
        str(data),
        "--format",
        "json",
        "--ref",
        f"stations={stations}",
        *case.extra_args,
    ]
    code, report = run([*args, *MODES[mode]], capsys)
    assert code == case.exit_code
    assert summary(report) == case.expected
    assert report["dataset"]["rows"] == len(rows)
    if mode == "pyspark":  # beyond the counts: the same examples, messages and check statuses
        assert comparable(report) == comparable(run([*args, *MODES["polars"]], capsys)[1])


def comparable(report: dict) -> dict:  # type: ignore[type-arg]
    """A report without what differs by engine and run: timings, engine name, dtype names."""
    for key in ("engine", "started_at", "duration_s"):
        report.pop(key, None)
    for found in report["violations"]:
        found["details"].pop("actual", None)
    return report


def test_renamed_column_skips_are_reported_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = drop_column("temp_min", rename_to="tmin")([list(r) for r in GOOD_ROWS])
    data = write(tmp_path, "csv", header, rows)
    code, report = run(["validate", str(CONTRACT), str(data), "--format", "json"], capsys)
    assert code == 1
    skipped = {c["check_id"]: c["reason"] for c in report["checks"] if c["status"] == "skipped"}
    assert "fields.temp_min.checks[0]" in skipped
    assert "dataset.rules[0]" in skipped
    assert "fields.station.checks[0]" in skipped  # no --ref given: skipped, never passed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"station,day,observed_at\nOSL,2026-11-01,2026-11-01T06:00:00Z\nBER,2026-1", "line 3"),
        (
            b"station;day;observed_at;temp_min;temp_max;rain_mm;sky\nOSL;2026-11-01;x;1;2;0;sun\n",
            "delimiter",
        ),
    ],
    ids=["truncated csv", "semicolon-delimited csv"],
)
def test_unreadable_csv_is_exit_2_with_a_clear_message(
    content: bytes, message: str, tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "weather.csv"
    data.write_bytes(content)
    assert main(["validate", str(CONTRACT), str(data), "--engine", engine]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_truncated_parquet_is_exit_2(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "parquet", HEADER, [list(r) for r in GOOD_ROWS])
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert main(["validate", str(CONTRACT), str(broken), "--engine", engine]) == 2
    err = capsys.readouterr().err
    assert "broken.parquet" in err and "Traceback" not in err


def test_bom_and_crlf_pass(tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "weather.csv"
    text = "\r\n".join(",".join(r) for r in [HEADER, *GOOD_ROWS]) + "\r\n"
    data.write_bytes(b"\xef\xbb\xbf" + text.encode())
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS)
    code, report = run(
        [
            "validate",
            str(CONTRACT),
            str(data),
            "--engine",
            engine,
            "--format",
            "json",
            "--ref",
            f"stations={stations}",
        ],
        capsys,
    )
    assert (code, summary(report)) == (0, [])


def test_parquet_naive_timestamp_for_utc_field_is_a_type_violation(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "weather.parquet"
    frame = pl.read_parquet(write(tmp_path, "parquet", HEADER, [list(r) for r in GOOD_ROWS]))
    frame.with_columns(pl.col("observed_at").dt.replace_time_zone(None)).write_parquet(path)
    code, report = run(
        ["validate", str(CONTRACT), str(path), "--engine", engine, "--format", "json"], capsys
    )
    assert code == 1
    (violation,) = [v for v in report["violations"] if v["code"] == "field.type"]
    assert violation["details"] == {
        "expected": "timestamp[tz=UTC]",
        "actual": violation["details"]["actual"],
    }


def test_several_files_are_one_dataset_with_file_attribution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    rows = [list(r) for r in GOOD_ROWS]
    rows[4][HEADER.index("sky")] = "hail"
    first.write_text("\n".join(",".join(r) for r in [HEADER, *rows[:3]]) + "\n")
    second.write_text("\n".join(",".join(r) for r in [HEADER, *rows[3:]]) + "\n")
    code, report = run(
        ["validate", str(CONTRACT), str(tmp_path / "*.csv"), "--format", "json"], capsys
    )
    assert code == 1
    (violation,) = [v for v in report["violations"] if v["code"] == "check.failed"]
    # line: the row starts on line 3 of b.csv (its header is line 1)
    assert violation["examples"] == [{"row": 1, "value": "hail", "file": str(second), "line": 3}]
    assert report["dataset"]["rows"] == 6


def test_output_formats_and_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path, "csv", HEADER, [list(r) for r in GOOD_ROWS])
    for fmt, marker in (
        ("junit", "<testsuite"),
        ("markdown", "| severity |"),
        ("html", "<!DOCTYPE html>"),
        ("github", ""),
        ("text", "transactions"),
    ):
        out = tmp_path / f"report.{fmt}"
        code = main(["validate", str(CONTRACT), str(data), "--format", fmt, "--output", str(out)])
        assert code == 0
        if fmt not in {"github", "text"}:
            assert marker in out.read_text()
    assert capsys.readouterr().out == ""


def test_bad_arguments_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path, "csv", HEADER, [list(r) for r in GOOD_ROWS])
    for args in (
        ["--format", "yaml"],
        ["--engine", "spark"],
        ["--fail-on", "info"],
        ["--ref", "nope"],
        ["--as-of", "yesterday"],
        ["--profile", "serving"],
        ["--ref", "unknown=x.csv"],
    ):
        assert main(["validate", str(CONTRACT), str(data), *args]) == 2, args
    assert main(["validate", str(CONTRACT), str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_as_of_for_freshness(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = tmp_path / "fresh.yaml"
    contract.write_text(
        CONTRACT.read_text().replace(
            "  primary_key: [station, day]\n",
            "  primary_key: [station, day]\n  freshness: {field: observed_at, max_age: 26h}\n",
        )
    )
    data = write(tmp_path, "csv", HEADER, [list(r) for r in GOOD_ROWS])
    newest = dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC)
    fresh = (newest + dt.timedelta(hours=25)).isoformat()
    stale = (newest + dt.timedelta(hours=27)).isoformat()
    assert main(["validate", str(contract), str(data), "--as-of", fresh]) == 0
    assert main(["validate", str(contract), str(data), "--as-of", stale]) == 1
