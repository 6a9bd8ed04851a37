"""``--engine gx`` reports the statistic Great Expectations observed, not a pandas recomputation:
for every aggregate, the row count and freshness, the observed value in the report comes from
GX's ``observed_value`` and equals pandas' within float tolerance (the differential on
aggregates). A null fraction within its bound passes on GX as on pandas, though GX lists the
null rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli.app import main

pytestmark = pytest.mark.filterwarnings("ignore")  # GX warns about itself

CONTRACT = """\
accord: 1
name: aggregates
version: 1.0.0
fields:
  score:
    type: float64
    nullable: true
    checks:
      - max_null_fraction: {null_fraction}
      - mean_between: {{max: 1}}
      - stddev_between: {{max: 0.1}}
      - median_between: {{max: 1}}
      - min_between: {{min: 5}}
      - max_between: {{max: 1}}
      - unique_fraction_between: {{min: 0.9}}
      - distinct_count_between: {{min: 5}}
  count:
    type: int64
    checks:
      - min_between: {{min: 100}}
      - max_between: {{max: 2}}
      - mean_between: {{min: 100}}
  empty:
    type: float64
    nullable: true
    checks:
      - mean_between: {{min: 0}}
  seen:
    type: timestamp
    checks:
      - min_between: {{min: "2030-01-01T00:00:00"}}
      - max_between: {{max: "2020-01-01T00:00:00"}}
  seen_utc:
    type: timestamp
    tz: UTC
  day:
    type: date
    checks:
      - max_between: {{max: "2020-01-01"}}
dataset:
  row_count: {{min: 10}}
  freshness: {{field: {fresh}, max_age: 1d}}
"""

DATA = """\
score,count,empty,seen,seen_utc,day
1.5,3,,2024-01-01T00:00:00,2024-01-01T00:00:00Z,2024-01-02
,4,,2024-01-02T03:00:00,2024-01-02T03:00:00+02:00,2024-01-03
2.25,3,,2024-01-03T00:00:00,2024-01-03T00:00:00Z,2024-01-04
2.25,7,,2024-01-04T00:00:00,2024-01-04T00:00:00Z,2024-01-05
0.1,5,,2024-01-04T12:00:00,2024-01-04T12:00:00Z,2024-01-05
"""


def _run(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str], **shape: Any
) -> dict[str, Any]:
    contract = tmp_path / "c.yaml"
    contract.write_text(CONTRACT.format(**{"null_fraction": 0.1, "fresh": "seen", **shape}))
    data = tmp_path / "d.csv"
    data.write_text(DATA)
    main(["validate", str(contract), str(data), "--engine", engine, "--format", "json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _observed(report: dict[str, Any]) -> dict[str, Any]:
    return {
        v["check_id"]: v["details"]["observed"]
        for v in report["violations"]
        if v["check_id"] and "observed" in v.get("details", {})
    }


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {c["check_id"]: c["status"] for c in report["checks"]}


@pytest.mark.parametrize("fresh", ["seen", "seen_utc", "day"])
def test_gx_observes_what_pandas_computes(
    fresh: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pandas = _run(tmp_path, "pandas", capsys, fresh=fresh)
    gx = _run(tmp_path, "gx", capsys, fresh=fresh)
    assert _statuses(gx) == _statuses(pandas)
    expected, seen = _observed(pandas), _observed(gx)
    assert set(seen) == set(expected)
    # every aggregate of the contract failed on purpose, so each shows what it observed
    assert len(seen) == 17
    for check_id, value in expected.items():
        if isinstance(value, float):
            assert seen[check_id] == pytest.approx(value, rel=1e-12), check_id
        else:
            assert seen[check_id] == value, check_id
    messages = {v["check_id"]: v["message"] for v in gx["violations"]}
    assert messages["fields.score.checks[1]"] == "mean of score is 1.525, expected [-inf, 1]"
    assert messages["fields.count.checks[1]"] == "largest value of count is 7, expected [-inf, 2]"
    assert seen["fields.score.checks[0]"] == pytest.approx(0.2)  # 1 null in 5
    assert seen["fields.empty.checks[0]"] is None  # no value to average


def test_the_observed_values_are_gx_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the pandas recomputation made to fail, the GX run still reports every observed
    value: they come from GX's results."""
    from accord.engines.gx import GxEngine

    def refuse(self: Any, frame: Any, spec: Any) -> Any:
        raise AssertionError(f"recomputed {spec.check_id} in pandas")

    pandas = _observed(_run(tmp_path, "pandas", capsys))
    monkeypatch.setattr(GxEngine, "aggregate", refuse)
    gx = _observed(_run(tmp_path, "gx", capsys))
    assert set(gx) == set(pandas)
    assert gx["dataset.row_count"] == 5


def test_a_null_fraction_within_its_bound_passes_on_gx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one null in five: 0.2 <= 0.5 passes though GX lists the null row as unexpected
    for engine in ("pandas", "gx"):
        report = _run(tmp_path, engine, capsys, null_fraction=0.5)
        assert _statuses(report)["fields.score.checks[0]"] == "passed", engine
        assert "fields.score.checks[0]" not in _observed(report)
