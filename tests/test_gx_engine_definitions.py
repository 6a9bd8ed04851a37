"""``--engine gx`` on real data: GX's own expectation test cases (``tests/gx_cases.py``), each
written as a CSV file and its one-rule contract and validated on pandas and on GX. On every
check both ran they agree on verdict and count; what only pandas ran is exactly what the
exporter lists as unexportable. (``test_gx_definitions.py`` holds pandas to GX's expected
results; this holds the gx engine to pandas.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.cli.app import main
from gx_cases import Case, NotExpressible, load_cases, translate
from test_gx_engine import _compare

pytestmark = pytest.mark.filterwarnings("ignore")


def _expressible() -> list[Case]:
    cases = []
    for case in load_cases():
        try:
            translate(case)
        except NotExpressible:
            continue
        cases.append(case)
    return cases


CASES = _expressible()


@pytest.mark.parametrize("case", CASES, ids=[case.case_id for case in CASES])
def test_gx_and_pandas_agree_on_gx_test_data(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    translated = translate(case)
    contract = tmp_path / "contract.yaml"
    contract.write_text(translated.contract, encoding="utf-8")
    data = tmp_path / "data.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = list(translated.columns)
        writer.writerow(names)
        rows = zip(*(translated.columns[n] for n in names), strict=True)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    args = [str(contract), str(data)]
    if main(["lint", str(contract)]) == 2:  # refused at load, as on every engine
        capsys.readouterr()
        for engine in ("pandas", "gx"):
            assert main(["validate", *args, "--engine", engine]) == 2
        return
    capsys.readouterr()
    _compare(contract, args, capsys)
