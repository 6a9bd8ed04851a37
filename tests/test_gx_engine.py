"""``--engine gx``: the exported suite run by Great Expectations' validator, read back as accord
evidence. Differential: on every acceptance case and on the bundled example, GX and pandas give
the same verdict and count on every check both ran, and the checks GX skipped are exactly the
ones the exporter lists as unexportable (or, for an expectation that raised, say GX's message).

One GX context serves the whole process (GX is slow to start), and warnings GX raises about
itself are not accord's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.cli.app import main
from accord.compile.gx_suite import export_gx
from accord.engines.evidence import RowFailures
from test_validate_acceptance import CASES, CONTRACT, GOOD_ROWS, HEADER, STATIONS, write

pytestmark = pytest.mark.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "contracts" / "transactions.yaml", ROOT / "examples" / "transactions.csv")


def _report(args: list[str], engine: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["validate", *args, "--engine", engine, "--format", "json"])
    out = capsys.readouterr().out
    report: dict[str, Any] = json.loads(out)
    return report


def _verdicts(report: dict[str, Any]) -> dict[str, tuple[str, int | None]]:
    counts: dict[str, int | None] = {}
    for violation in report["violations"]:
        if violation.get("check_id"):
            counts[violation["check_id"]] = violation["failure_count"]
    return {c["check_id"]: (c["status"], counts.get(c["check_id"])) for c in report["checks"]}


def _observed(report: dict[str, Any]) -> dict[str, Any]:
    """Check id to the statistic its failure reports (aggregates, row count, freshness)."""
    return {
        v["check_id"]: v["details"]["observed"]
        for v in report["violations"]
        if v.get("check_id") and "observed" in (v.get("details") or {})
    }


def _compare(contract: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> set[str]:
    """Run both engines; assert they agree where both ran (verdict, count and the observed
    statistic, GX's own on the gx engine); return what only GX skipped."""
    pandas_report = _report(args, "pandas", capsys)
    pandas = _verdicts(pandas_report)
    gx_report = _report(args, "gx", capsys)
    gx = _verdicts(gx_report)
    observed, gx_observed = _observed(pandas_report), _observed(gx_report)
    assert set(observed) == set(gx_observed)
    for check_id, value in observed.items():
        assert gx_observed[check_id] == (
            pytest.approx(value, rel=1e-9) if isinstance(value, float) else value
        ), check_id
    assert set(pandas) == set(gx)
    exported = export_gx(accord.load(contract).model)
    unexportable = {u.path for u in exported.unexported if u.kind == "check"}
    only_gx: set[str] = set()
    for check_id, verdict in pandas.items():
        if gx[check_id][0] == "skipped" and verdict[0] != "skipped":
            only_gx.add(check_id)
            continue
        assert gx[check_id] == verdict, check_id
    assert only_gx == {c for c, v in pandas.items() if c in unexportable and v[0] != "skipped"}
    skipped = {v["check_id"] for v in gx_report["violations"] if v["code"] == "check.skipped"}
    assert only_gx <= skipped  # said, as a warning, never passed in silence
    return only_gx


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_gx_and_pandas_agree_on_every_acceptance_case(
    case: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = case.edit([list(r) for r in GOOD_ROWS])
    data = write(tmp_path, "csv" if "csv" in case.formats else case.formats[0], header, rows)
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS)
    args = [str(CONTRACT), str(data), "--ref", f"stations={stations}", *case.extra_args]
    _compare(CONTRACT, args, capsys)


def test_gx_runs_the_bundled_example_as_pandas_does(capsys: pytest.CaptureFixture[str]) -> None:
    contract, data = EXAMPLE
    only_gx = _compare(contract, [str(contract), str(data)], capsys)
    assert only_gx == {"dataset.rules[0]", "dataset.rules[1]"}
    report = _report([str(contract), str(data)], "gx", capsys)
    failed = sorted(c["check_id"] for c in report["checks"] if c["status"] == "failed")
    assert failed == [
        "dataset.primary_key",
        "fields.amount.type",
        "fields.authorised_at.type",
        "fields.country.checks[0]",
        "fields.currency.checks[0]",
        "fields.email.checks[0]",
    ]
    email = next(v for v in report["violations"] if v["check_id"] == "fields.email.checks[0]")
    assert [e["value"] for e in email["examples"]] == ["<redacted>"]  # pii, as on every engine
    assert email["examples"][0]["row"] == 300


def test_an_expectation_gx_raises_on_is_skipped_with_gx_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an expectation naming a column the batch lacks: GX catches its own exception and reports
    # it in the result, which accord reports as a skipped check with GX's message
    import accord.engines.gx as gx_engine

    def broken(contract: Any) -> Any:
        exported = export_gx(contract)
        for item in exported.expectations:
            if item.check_id == "fields.code.checks[0]":
                item.expectation["kwargs"]["column"] = "no_such_column"
        return exported

    monkeypatch.setattr(gx_engine, "export_gx", broken)
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: c\nversion: 1.0.0\nfields:\n  code:\n    type: string\n"
        "    checks:\n      - pattern: '[A-Z]+'\n      - length: {max: 1}\n"
    )
    data = tmp_path / "d.csv"
    data.write_text("code\nAB\nab\n")
    report = _report([str(contract), str(data)], "gx", capsys)
    statuses = {c["check_id"]: c["status"] for c in report["checks"]}
    assert statuses["fields.code.checks[0]"] == "skipped"
    assert statuses["fields.code.checks[1]"] == "failed"  # the others still run
    (violation,) = [v for v in report["violations"] if v["code"] == "check.skipped"]
    assert "Great Expectations raised" in violation["message"]
    assert "no_such_column" in violation["message"]


@pytest.mark.parametrize("engine", ["pandas", "polars", "gx"])
def test_skipped_evidence_is_a_skipped_check_on_every_engine(
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The protocol's "skipped with reason": whatever engine says it, the run reports the check
    skipped with the reason, as a warning, and neither passes nor fails it."""
    from accord.engines.registry import engine_named

    kind = type(engine_named(engine))
    original = kind.failures

    def skipping(self: Any, plan: Any, *args: Any) -> RowFailures:
        found: RowFailures = original(self, plan, *args)
        found.failed.pop("fields.n.checks[0]", None)
        found.skipped["fields.n.checks[0]"] = "not here"
        return found

    monkeypatch.setattr(kind, "failures", skipping)
    contract = tmp_path / "c.yaml"
    contract.write_text(
        "accord: 1\nname: c\nversion: 1.0.0\nfields:\n  n:\n    type: int64\n"
        "    checks:\n      - between: {min: 0, max: 1}\n"
    )
    data = tmp_path / "d.csv"
    data.write_text("n\n5\n0\n")
    report = _report([str(contract), str(data)], engine, capsys)
    (check,) = [c for c in report["checks"] if c["check_id"] == "fields.n.checks[0]"]
    assert check["status"] == "skipped"
    (violation,) = report["violations"]
    assert (violation["code"], violation["severity"]) == ("check.skipped", "warning")
    assert "not here" in violation["message"]
    assert report["passed"]  # a warning: nothing failed


def test_compile_with_the_gx_engine_points_to_the_export(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["compile", str(EXAMPLE[0]), "--engine", "gx"])
    assert code == 2
    assert "accord export CONTRACT --to gx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("field", "max_age", "hours", "status"),
    [
        ("observed_at", "26h", 25, "passed"),
        ("observed_at", "26h", 27, "failed"),
        ("day", "2d", 30, "passed"),
        ("day", "1d", 50, "failed"),
    ],
)
def test_freshness_gets_its_bound_from_the_as_of_time(
    field: str,
    max_age: str,
    hours: int,
    status: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = tmp_path / "fresh.yaml"
    contract.write_text(
        CONTRACT.read_text().replace(
            "  primary_key: [station, day]\n",
            f"  primary_key: [station, day]\n  freshness: {{field: {field}, max_age: {max_age}}}\n",
        )
    )
    data = write(tmp_path, "csv", HEADER, [list(r) for r in GOOD_ROWS])
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS)
    as_of = (dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC) + dt.timedelta(hours=hours)).isoformat()
    args = [str(contract), str(data), "--ref", f"stations={stations}", "--as-of", as_of]
    _compare(contract, args, capsys)
    report = _report(args, "gx", capsys)
    (check,) = [c for c in report["checks"] if c["check_id"] == "dataset.freshness"]
    assert check["status"] == status
