"""``contract.validate(frame, engine=...)``: the API picks an engine by name as ``--engine``
does, and refuses a name that is no engine, or a frame the engine cannot take, with a
``UsageError`` that says what to pass instead."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import accord
from accord.errors import UsageError

pytestmark = pytest.mark.filterwarnings("ignore")  # GX warns about itself on import
ROOT = Path(__file__).resolve().parents[1]

CONTRACT = """\
accord: 1
name: api_engine
version: 1.0.0
fields:
  n:
    type: int64
    checks:
      - between: {min: 0, max: 10}
      - mean_between: {max: 5}
  code:
    type: string
    checks:
      - pattern: '[A-Z]{2}'
dataset:
  rules:
    - name: non_negative
      assert: "n >= 0 or code is null"
"""


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"n": [1, 2, 30, 40], "code": ["AB", "cd", "EF", "GH"]})


def _outcome(report: accord.Report) -> dict[str, tuple[str, int | None]]:
    counts = {v.check_id: v.failure_count for v in report.violations if v.check_id}
    return {c.check_id: (c.status, counts.get(c.check_id)) for c in report.checks}


def test_the_gx_engine_runs_a_pandas_frame_and_says_so() -> None:
    contract = accord.load(CONTRACT)
    frame = _frame()
    before = frame.copy()
    report = contract.validate(frame, engine="gx")
    assert report.engine == "gx"
    outcome = _outcome(report)
    assert outcome["fields.n.checks[0]"] == ("failed", 2)  # 30 and 40
    assert outcome["fields.n.checks[1]"][0] == "failed"  # mean 18.25
    assert outcome["fields.code.checks[0]"] == ("failed", 1)  # "cd"
    # GX has no expectation for a row rule: skipped with the reason, never passed
    assert outcome["dataset.rules[0]"][0] == "skipped"
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not modified


def test_gx_and_pandas_agree_through_the_api_where_both_ran() -> None:
    contract = accord.load(CONTRACT)
    gx = _outcome(contract.validate(_frame(), engine="gx"))
    pandas = _outcome(contract.validate(_frame(), engine="pandas"))
    assert set(gx) == set(pandas)
    both = {c for c in gx if gx[c][0] != "skipped"}
    assert both == set(gx) - {"dataset.rules[0]"}
    assert {c: gx[c] for c in both} == {c: pandas[c] for c in both}


@pytest.mark.parametrize("engine", ["pandas", "gx"])
def test_a_polars_frame_is_converted_for_the_pandas_based_engines(engine: str) -> None:
    contract = accord.load(CONTRACT)
    report = contract.validate(pl.from_pandas(_frame()), engine=engine)
    assert report.engine == engine
    assert _outcome(report)["fields.n.checks[0]"] == ("failed", 2)


def test_auto_follows_the_frame() -> None:
    contract = accord.load(CONTRACT)
    assert contract.validate(_frame(), engine="auto").engine == "pandas"
    assert contract.validate(pl.from_pandas(_frame())).engine == "polars"


def test_an_unknown_engine_name_lists_the_names() -> None:
    contract = accord.load(CONTRACT)
    with pytest.raises(UsageError) as raised:
        contract.validate(_frame(), engine="gxx")
    message = str(raised.value)
    assert "unknown engine 'gxx'" in message
    assert "did you mean 'gx'" in message
    for name in ("auto", "pandas", "polars", "pyspark", "gx"):
        assert name in message


def test_an_engine_that_cannot_take_the_frame_says_what_it_takes() -> None:
    contract = accord.load(CONTRACT)
    with pytest.raises(UsageError, match="the polars engine cannot validate a pandas DataFrame"):
        contract.validate(_frame(), engine="polars")


def test_a_frame_the_engine_cannot_take_is_refused_before_the_engine_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.engines import registry

    original = registry.engine_named

    def never_spark(name: str, **options: str) -> object:
        assert name != "pyspark", "loaded the pyspark engine"
        return original(name, **options)

    monkeypatch.setattr(registry, "engine_named", never_spark)
    contract = accord.load(CONTRACT)
    with pytest.raises(UsageError, match="the pyspark engine cannot validate a pandas DataFrame"):
        contract.validate(_frame(), engine="pyspark")


def test_a_bad_profile_still_fails_before_the_engine_loads() -> None:
    contract = accord.load(CONTRACT)
    with pytest.raises(UsageError, match="no profile"):
        contract.validate(_frame(), engine="gx", profile="nope")


def test_the_guards_and_the_test_helper_take_the_engine() -> None:
    from accord.testing import assert_valid

    contract = accord.load(CONTRACT)

    @accord.validate_io(inputs={"df": contract}, on_violation="warn", engine="gx")
    def step(df: pd.DataFrame) -> int:
        return len(df)

    assert step(_frame()) == 4  # warned, not raised
    with pytest.raises(AssertionError, match=r"engine +gx"):
        assert_valid(_frame(), contract, engine="gx")
    good = pd.DataFrame({"n": [1, 2], "code": ["AB", "CD"]})
    assert assert_valid(good, contract, engine="gx").engine == "gx"


def test_a_guard_with_an_unknown_engine_fails_when_it_decorates() -> None:
    with pytest.raises(UsageError, match=r"unknown engine 'gxx'.*did you mean 'gx'"):
        accord.validate_io(inputs={"df": CONTRACT}, engine="gxx")
