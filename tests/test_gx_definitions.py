"""Great Expectations' own expectation test cases as an acceptance suite, on every engine.

Each GX case (``tests/fixtures/gx_test_definitions``, Apache-2.0) is translated by
``gx_cases.translate`` into an accord contract and frame, run on pandas and polars, and judged
against GX's expected ``success`` and unexpected count. Every disagreement is a documented
difference in ``docs/differences-from-gx.md``, with its reason; this suite holds that list
exactly, so a new disagreement or a fixed one both fail here until the page says so.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import accord
from accord.cli.app import main
from accord.errors import ContractError
from gx_cases import Case, NotExpressible, Translated, load_cases, translate

ROOT = Path(__file__).resolve().parents[1]
DIFFERENCES_PAGE = ROOT / "docs" / "differences-from-gx.md"
ENGINES = ("pandas", "polars")
_PANDAS_DTYPES = {"int": "int64", "float": "float64", "Int64Dtype": "Int64"}


@dataclass(frozen=True)
class Outcome:
    refused: bool  # the contract was refused at load (GX: the expectation raised)
    success: bool = False
    count: int | None = None


def _frame(engine: str, case: Case, columns: dict[str, list[Any]]) -> Any:
    if engine == "polars":
        return pl.DataFrame(columns, strict=False)
    # pandas makes an empty list float64; a column with no values has no type of its own
    frame = pd.DataFrame({k: pd.Series(v, dtype=None if v else object) for k, v in columns.items()})
    for name, dtype in case.pandas_dtypes.items():
        if name in frame.columns:
            frame[name] = frame[name].astype(_PANDAS_DTYPES.get(dtype, dtype))
    return frame


def _via_csv(engine: str, translated: Translated) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        contract = Path(folder) / "contract.yaml"
        contract.write_text(translated.contract, encoding="utf-8")
        data = Path(folder) / "data.csv"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            names = list(translated.columns)
            writer.writerow(names)
            rows = zip(*(translated.columns[n] for n in names), strict=True)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
            code = main(
                ["validate", str(contract), str(data), "--engine", engine, "--format", "json"]
            )
    if code == 2:
        return Outcome(refused=True)
    report = json.loads(output.getvalue())
    errors = [v for v in report["violations"] if v["severity"] == "error"]
    return Outcome(False, report["passed"], sum(v["failure_count"] or 0 for v in errors) or None)


def run_case(engine: str, case: Case) -> Outcome:
    """accord's verdict on ``case``; raises NotExpressible when accord has no such rule."""
    translated = translate(case)
    if translated.via_csv:
        return _via_csv(engine, translated)
    try:
        contract = accord.load(translated.contract)
    except ContractError:
        return Outcome(refused=True)
    report = contract.validate(_frame(engine, case, translated.columns), max_examples=0)
    counts = [v.failure_count for v in report.errors if v.failure_count is not None]
    return Outcome(False, report.passed, sum(counts) if counts else None)


def agrees(case: Case, outcome: Outcome) -> bool:
    if case.error or outcome.refused:
        return case.error and outcome.refused
    if outcome.success != case.out["success"]:
        return False
    # counts are compared when both failed: a passing check reports none
    return outcome.success or case.gx_count is None or outcome.count == case.gx_count


@dataclass
class Results:
    cases: list[Case]
    not_expressible: dict[str, str]
    outcomes: dict[str, dict[str, Outcome]]  # case id -> engine -> outcome

    def disagreements(self, engine: str) -> set[str]:
        by_id = {case.case_id: case for case in self.cases}
        return {
            case_id
            for case_id, outcomes in self.outcomes.items()
            if not agrees(by_id[case_id], outcomes[engine])
        }


@pytest.fixture(scope="module")
def results() -> Results:
    cases = list(load_cases())
    not_expressible: dict[str, str] = {}
    outcomes: dict[str, dict[str, Outcome]] = {}
    for case in cases:
        try:
            outcomes[case.case_id] = {engine: run_case(engine, case) for engine in ENGINES}
        except NotExpressible as reason:
            not_expressible[case.case_id] = str(reason)
    return Results(cases, not_expressible, outcomes)


def documented_differences() -> dict[str, str]:
    """Case id -> reason, from the table in docs/differences-from-gx.md."""
    rows = re.findall(r"^\| `([^`]+::[^`]+)` \| (.+?) \|$", DIFFERENCES_PAGE.read_text(), re.M)
    return dict(rows)


def test_gx_case_ids_are_unique(results: Results) -> None:
    ids = [case.case_id for case in results.cases]
    assert len(ids) == len(set(ids))
    assert len(ids) > 250  # every vendored file was read


def test_gx_cases_give_one_verdict_on_every_engine(results: Results) -> None:
    for case_id, outcomes in results.outcomes.items():
        assert outcomes["pandas"] == outcomes["polars"], case_id


def test_gx_disagreements_are_exactly_the_documented_differences(results: Results) -> None:
    documented = documented_differences()
    assert documented, "the differences table could not be read"
    for engine in ENGINES:
        assert results.disagreements(engine) == set(documented), engine
    for reason in documented.values():
        assert len(reason) > 20  # each says why


def test_gx_suite_summary(results: Results) -> None:
    ran = len(results.outcomes)
    differ = len(results.disagreements("polars"))
    summary = {
        "cases": len(results.cases),
        "ran": ran,
        "agree": ran - differ,
        "documented differences": differ,
        "not expressible": len(results.not_expressible),
    }
    print("GX test definitions:", summary)  # shown with -s; the numbers go in the docs page
    assert summary["cases"] == ran + len(results.not_expressible)
    assert summary["agree"] >= 130
    page = DIFFERENCES_PAGE.read_text()
    assert f"{summary['cases']} cases" in page
    assert f"{ran} cases ran, and {ran - differ} agree" in page
    assert f"{len(results.not_expressible)} are not expressible" in page
