"""The differential of ``--engine gx`` against ``--engine pandas`` on real data beyond the
acceptance cases: the peer fixtures (datacontract-cli, MIT: their ODCS contracts load through
``accord.load``) on every data file they come with; the test suite's own real-data fixture
``tests/fixtures/infer/orders.csv`` under its inferred contract and under a strict one; and
every real GX suite of ``tests/fixtures/gx_suites`` that imports with its data sample, on that
data. On every check both ran they agree on verdict, count and observed value; what only
pandas ran is exactly what the exporter lists as unexportable (``test_gx_engine._compare``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli.app import main
from odcs_support import peer
from test_gx_engine import _compare, _report
from test_gx_suites import DATA, EXPECTED, SUITES, _data_for

pytestmark = pytest.mark.filterwarnings("ignore")  # GX warns about itself
ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "tests" / "fixtures" / "infer" / "orders.csv"
CITIES = "02-schema-evolution"
NESTED = "07-parquet-timestamps-and-types"

# every ODCS contract of the peer fixtures that comes with data, on each of its data files
PAIRS = [
    *[
        (f"{CITIES}/odcs-datacontract-cities-version-{version}.yaml", f"{CITIES}/{data}")
        for version in (1, 2, 3)
        for data in (
            "cities-version-1.csv",
            "cities-version-2.csv",
            "cities-version-3.csv",
            "cities-version-1.parquet",
            "cities-version-2.parquet",
            "cities-version-1.json --data-format jsonl",
            "cities-version-2.json --data-format jsonl",
            "invalid/cities-version-2-invalid.csv",
            "invalid/cities-version-2-invalid.parquet",
        )
    ],
    (
        f"{NESTED}/datacontract_invalid_logical_types_example.yaml",
        f"{NESTED}/data/nested_type_structures.parquet",
    ),
]


@pytest.mark.parametrize(("contract", "data"), PAIRS, ids=[f"{c}@{d}" for c, d in PAIRS])
def test_gx_and_pandas_agree_on_the_peer_fixtures(
    contract: str, data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name, *options = data.split()
    path = peer(contract)
    args = [str(path), str(peer(name)), *options]
    only_gx = _compare(path, args, capsys)
    assert not only_gx  # these contracts hold nothing GX cannot express


def test_the_invalid_cities_fail_alike_on_gx(capsys: pytest.CaptureFixture[str]) -> None:
    """The MANIFEST's verdict on GX too: one population of 9000 under the minimum 10000."""
    contract = peer(f"{CITIES}/odcs-datacontract-cities-version-2.yaml")
    data = peer(f"{CITIES}/invalid/cities-version-2-invalid.csv")
    report = _report([str(contract), str(data)], "gx", capsys)
    assert report["passed"] is False
    (failed,) = [v for v in report["violations"] if v["severity"] == "error"]
    assert (failed["code"], failed["field"], failed["failure_count"]) == (
        "check.failed",
        "population",
        1,
    )


STRICT = """\
accord: 1
name: orders
version: 1.0.0
dataset:
  primary_key: [customer_id]
  row_count: {min: 10}
  unique: [[status, zip]]
fields:
  order_id: {type: int64}
  customer_id: {type: int64}
  status:
    type: string
    checks:
      - in: [pending, shipped]
      - length: {max: 7}
  amount:
    type: float64
    nullable: true
    checks:
      - between: {min: 10, max: 100}
      - mean_between: {max: 20}
      - max_null_fraction: 0.1
  ordered_on:
    type: date
    checks:
      - max_between: {max: "2026-01-04"}
  shipped_at:
    type: timestamp
    tz: UTC
    nullable: true
    checks:
      - min_between: {min: "2026-01-05T00:00:00Z"}
  zip:
    type: string
    checks:
      - pattern: '[1-9][0-9]{4}'
      - unique_fraction_between: {min: 0.9}
  is_gift: {type: bool}
  note:
    type: string
    nullable: true
"""


def test_gx_and_pandas_agree_on_the_orders_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inferred = tmp_path / "inferred.yaml"
    assert main(["infer", str(ORDERS), "--ranges", "-o", str(inferred)]) == 0
    capsys.readouterr()
    assert not _compare(inferred, [str(inferred), str(ORDERS)], capsys)
    strict = tmp_path / "strict.yaml"
    strict.write_text(STRICT)
    assert not _compare(strict, [str(strict), str(ORDERS)], capsys)
    report = _report([str(strict), str(ORDERS)], "gx", capsys)
    failed = {c["check_id"] for c in report["checks"] if c["status"] == "failed"}
    # the strict contract fails on purpose nearly everywhere, so the agreement means something
    assert sorted(failed) == [
        "dataset.primary_key",
        "dataset.row_count",
        "dataset.unique[0]",
        *[f"fields.amount.checks[{i}]" for i in range(3)],
        "fields.ordered_on.checks[0]",
        "fields.shipped_at.checks[0]",
        "fields.status.checks[0]",
        "fields.status.checks[1]",
        "fields.zip.checks[0]",
        "fields.zip.checks[1]",
    ]


IMPORTED = sorted(name for name, outcome in EXPECTED.items() if outcome == 0 and _data_for(name))


@pytest.mark.parametrize("name", IMPORTED)
def test_gx_and_pandas_agree_on_imported_suites_and_their_data(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "contract.yaml"
    data = DATA / str(_data_for(name))
    assert main(["import", "gx", str(SUITES / name), "-o", str(contract), "--data", str(data)]) == 0
    capsys.readouterr()
    _compare(contract, [str(contract), str(data)], capsys)
