"""GX's own verdict on the exported suite: the bundled example contract exported, loaded in
Great Expectations 1.24 as is and run on the same pandas frame accord validates; per
expectation, GX's success and unexpected count equal accord's verdict and failure count.

GX itself emits deprecation warnings on import and while it runs, which are not accord's, so
warnings are not errors in this module.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.compile.gx_suite import export_gx
from accord.contract.loader import load_contract
from accord.run.sources import read_dataset

pytestmark = pytest.mark.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
DATA = ROOT / "examples" / "transactions.csv"


@pytest.fixture(scope="module")
def gx() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations

        return great_expectations


def _frame() -> Any:
    """The example data as accord reads it (typed; an unreadable cell is a null), as pandas."""
    return read_dataset([DATA], load_contract(CONTRACT)).frame.to_pandas()


def _gx_results(gx: Any, suite: dict[str, Any], frame: Any) -> list[Any]:
    from great_expectations.core import ExpectationSuite

    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("pandas")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    loaded = context.suites.add(ExpectationSuite(**suite))  # the exported JSON, as is
    return list(batch.validate(loaded, result_format="COMPLETE").results)


def test_gx_judges_the_exported_suite_as_accord_judges_the_contract(gx: Any) -> None:
    contract = accord.load(CONTRACT)
    frame = _frame()
    report = contract.validate(frame)
    failures = {v.check_id: v.failure_count for v in report.violations if v.check_id}
    statuses = {c.check_id: c.status for c in report.checks}
    exported = export_gx(contract.model)
    results = _gx_results(gx, exported.suite, frame)
    assert len(results) == len(exported.expectations) == 31
    compared = 0
    for result in results:
        meta = result.expectation_config.meta["accord"]
        check = meta["check"]
        assert not result.exception_info.get("raised_exception"), (check, result.exception_info)
        # a field's presence is the check "fields.X.required" in accord's results
        status = statuses.get(check) or statuses.get(f"{check}.required")
        if status is None:  # columns: closed is a violation per column, not a check result
            assert check == "dataset.columns"
            assert result.success == (
                not any(v.code == "field.unexpected" for v in report.violations)
            )
            continue
        assert result.success == (status == "passed"), check
        unexpected = result.result.get("unexpected_count")
        if unexpected is not None:  # row-level expectations
            assert unexpected == (failures.get(check) or 0), check
            compared += 1
    assert compared >= 15
    assert not report.passed
    # the example data is dirty on purpose: both see the same failures
    failed = sorted(r.expectation_config.meta["accord"]["check"] for r in results if not r.success)
    assert failed == [
        "dataset.primary_key",
        "fields.amount.nullable",
        "fields.authorised_at.nullable",
        "fields.country.checks[0]",
        "fields.currency.checks[0]",
        "fields.email.checks[0]",
    ]


BOUNDARY = """\
accord: 1
name: boundary
version: 1.0.0
fields:
  score:
    type: float64
    nullable: true
    checks:
      - max_null_fraction: 0.7
      - between: {min: 0, max: 100, inclusive: left}
        mostly: 0.9
      - min_between: {min: 0}
      - unique_fraction_between: {min: 0.5}
"""


@pytest.mark.parametrize(
    ("values", "verdicts"),
    [
        # 3 non-null of 10: null fraction exactly 0.7; one of three out of range: 2/3 < 0.9
        ([5.0, 100.0, 7.0] + [None] * 7, [True, False, True, True]),
        # 10 non-null, one out of range: exactly mostly 0.9 (judged alike only in exact terms)
        ([float(v) for v in range(9)] + [100.0], [True, True, True, True]),
        # three of four below range; the smallest is below 0; 2 distinct of 4 is exactly 0.5
        ([-1.0, -1.0, -1.0, 4.0], [True, False, False, True]),
    ],
)
def test_gx_and_accord_agree_at_the_boundaries(
    gx: Any, values: list[float | None], verdicts: list[bool]
) -> None:
    import pandas as pd

    contract = accord.load(BOUNDARY)
    frame = pd.DataFrame({"score": pd.Series(values, dtype="float64")})
    report = contract.validate(frame)
    statuses = {c.check_id: c.status == "passed" for c in report.checks}
    results = [
        r
        for r in _gx_results(gx, export_gx(contract.model).suite, frame)
        if r.expectation_config.meta["accord"]["check"].startswith("fields.score.checks")
    ]
    gx_verdicts = [r.success for r in results]
    accord_verdicts = [statuses[f"fields.score.checks[{i}]"] for i in range(4)]
    assert accord_verdicts == verdicts
    assert gx_verdicts == verdicts
