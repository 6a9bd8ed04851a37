"""``validate_io``: a pipeline step's inputs and output checked on every call, on both engines."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import Any

import pytest

from accord.drift import build_profile
from accord.errors import ContractError, ContractViolation, UsageError
from accord.guards import validate_io
from conftest import make_frame
from drift_samples import CREATED, SHOP, orders, shop

SCORES = """\
accord: 1
name: scores
version: 1.0.0
fields:
  order_id: {type: int64, role: id}
  score: {type: float64, role: prediction, checks: [{between: {min: 0, max: 1}}]}
"""


def _bad_orders(engine: str) -> Any:
    return make_frame(
        engine,
        {
            "order_id": [1, 2],
            "amount": [5000.0, 1.0],  # 5000 is outside [-1000, 1000]
            "currency": ["EUR", "USD"],
            "basket": ["small", "large"],
            "returned": [False, True],
        },
    )


def _scores(engine: str, values: list[float]) -> Any:
    return make_frame(engine, {"order_id": list(range(len(values))), "score": values})


def test_valid_inputs_and_output_pass_through(engine: str) -> None:
    @validate_io(inputs={"df": shop()}, output=SCORES)
    def score(df: Any, scale: float = 1.0) -> Any:
        return _scores(engine, [0.5 * scale] * len(df))

    result = score(orders(engine, 20, 1))
    assert len(result) == 20


def test_an_invalid_input_raises_before_the_call(engine: str) -> None:
    calls: list[int] = []

    @validate_io(inputs={"df": shop()})
    def step(df: Any) -> None:
        calls.append(1)

    with pytest.raises(ContractViolation) as caught:
        step(_bad_orders(engine))
    assert calls == []
    message = str(caught.value)
    assert message.startswith("argument 'df' of test_an_invalid_input_raises_before_the_call.")
    assert "data violates contract shop@2.1.0: 1 error(s)" in message
    assert caught.value.report.violations[0].field == "amount"


def test_an_invalid_output_raises_after_the_call(engine: str) -> None:
    @validate_io(output=SCORES)
    def step(n: int) -> Any:
        return _scores(engine, [0.5, 1.5][:n])

    assert len(step(1)) == 1
    with pytest.raises(ContractViolation, match=r"return value of .*step: data violates"):
        step(n=2)


def test_warn_mode_logs_and_returns(engine: str, caplog: pytest.LogCaptureFixture) -> None:
    @validate_io(inputs={"df": shop()}, output=SCORES, on_violation="warn")
    def step(df: Any) -> Any:
        return _scores(engine, [2.0] * len(df))

    with caplog.at_level(logging.WARNING, logger="accord"):
        result = step(_bad_orders(engine))
    assert len(result) == 2
    assert [r.name for r in caplog.records] == ["accord", "accord"]
    first, second = (r.getMessage() for r in caplog.records)
    assert first.startswith("argument 'df' of ")
    assert "contract shop@2.1.0: 1 error(s), 0 warning(s)" in first
    assert "error check.failed amount:" in first
    assert second.startswith("return value of ")


def test_profiles_apply_to_the_contracts_that_declare_them(engine: str) -> None:
    @validate_io(inputs={"df": shop()}, output=SCORES, profile="serving")
    def step(df: Any) -> Any:
        return _scores(engine, [0.1] * len(df))

    assert len(step(orders(engine, 5, 1, label=False))) == 5
    with pytest.raises(ContractViolation, match=r"profile\.forbidden_field returned"):
        step(orders(engine, 5, 1))  # a label in serving data


def test_reference_adds_drift_checks(
    engine: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stats = tmp_path / "stats.json"
    reference = build_profile(orders(engine, 2_000, 1), shop().model, created_at=CREATED)
    stats.write_text(reference.to_json(), encoding="utf-8")
    drifted = orders(engine, 1_000, 2, shift=1.5)

    @validate_io(inputs={"df": shop()}, reference=stats)
    def lenient(df: Any) -> int:
        return len(df)

    with caplog.at_level(logging.WARNING, logger="accord"):
        assert lenient(drifted) == 1_000  # drift is a warning: logged, not raised
    assert "warning drift.psi amount: psi of amount is" in caplog.records[0].getMessage()

    @validate_io(inputs={"df": shop()}, reference=reference, fail_on="warning")
    def strict(df: Any) -> int:
        return len(df)

    assert strict(orders(engine, 1_000, 3)) == 1_000
    with pytest.raises(ContractViolation) as caught:
        strict(drifted)
    assert {str(v.code) for v in caught.value.report.violations} >= {"drift.psi", "drift.ks"}


def test_keyword_defaults_none_and_kwargs(engine: str) -> None:
    @validate_io(inputs={"df": shop(), "extra": shop()})
    def step(df: Any = None, **kwargs: Any) -> int:
        return 0 if df is None else len(df)

    assert step() == 0  # None is not validated
    assert step(df=orders(engine, 3, 1)) == 3
    with pytest.raises(ContractViolation, match="argument 'extra' of"):
        step(extra=_bad_orders(engine))


def test_contract_paths_are_loaded_once_at_decoration(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")

    @validate_io(inputs={"df": path}, output=str(path))
    def identity(df: Any) -> Any:
        return df

    path.unlink()  # already loaded
    frame = orders(engine, 4, 1)
    assert identity(frame) is frame


def test_the_wrapper_keeps_name_doc_and_signature() -> None:
    def build_features(df: Any, *, limit: int = 3) -> Any:
        """Build features."""
        return df

    wrapped = validate_io(inputs={"df": shop()})(build_features)
    assert wrapped.__name__ == "build_features"
    assert wrapped.__doc__ == "Build features."
    assert inspect.signature(wrapped) == inspect.signature(build_features)


def test_mistakes_are_caught_at_decoration_time(tmp_path: Path) -> None:
    def step(df: Any) -> Any:
        return df

    with pytest.raises(UsageError, match="step has no parameter 'frame' \\(parameters: df\\)"):
        validate_io(inputs={"frame": shop()})(step)
    with pytest.raises(UsageError, match="no guarded contract has a profile 'nightly'"):
        validate_io(inputs={"df": shop()}, profile="nightly")
    with pytest.raises(UsageError, match="on_violation takes 'raise' or 'warn'"):
        validate_io(inputs={"df": shop()}, on_violation="ignore")
    with pytest.raises(ContractError):
        validate_io(inputs={"df": "accord: 1\nname: x\n"})
    reference = build_profile(orders("polars", 50, 1), shop().model, created_at=CREATED)
    with pytest.raises(UsageError, match="reference profile is for contract 'shop'"):
        validate_io(output=SCORES, reference=reference)

    async def later(df: Any) -> Any:
        return df

    with pytest.raises(UsageError, match="it is async"):
        validate_io(inputs={"df": shop()})(later)
