"""``accord.testing.assert_valid``: a data test that fails with the report, not ``assert False``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.drift import build_profile
from accord.errors import UsageError
from accord.testing import assert_valid
from conftest import make_frame
from drift_samples import CREATED, SHOP, orders, shop


def _bad_orders(engine: str) -> Any:
    return make_frame(
        engine,
        {
            "order_id": [1, 1],
            "amount": [5000.0, 1.0],
            "currency": ["EUR", "USD"],
            "basket": ["small", "large"],
            "returned": [False, True],
        },
    )


def test_valid_data_returns_the_report(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    report = assert_valid(orders(engine, 30, 1), path, profile="training")
    assert report.passed
    assert report.profile == "training"
    assert report.engine == engine


def test_invalid_data_fails_with_a_readable_report(engine: str) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_valid(_bad_orders(engine), shop())
    message = str(caught.value)
    assert message.startswith("data violates contract shop@2.1.0\n")
    assert "amount" in message
    assert "between" in message
    assert "\x1b[" not in message  # no colour codes in a test log


def test_profile_rules_apply(engine: str) -> None:
    with pytest.raises(AssertionError, match="returned"):
        assert_valid(orders(engine, 10, 1), shop(), profile="serving")
    assert_valid(orders(engine, 10, 1, label=False), shop(), profile="serving")


def test_drift_fails_the_test_only_when_warnings_count(engine: str, tmp_path: Path) -> None:
    reference = build_profile(orders(engine, 2_000, 1), shop().model, created_at=CREATED)
    stats = tmp_path / "stats.json"
    stats.write_text(reference.to_json(), encoding="utf-8")
    drifted = orders(engine, 1_000, 2, shift=1.5)
    report = assert_valid(drifted, shop(), reference=stats)
    assert {str(v.code) for v in report.warnings} >= {"drift.psi", "drift.mean_shift"}
    with pytest.raises(AssertionError, match="psi of amount"):
        assert_valid(drifted, shop(), reference=reference, fail_on="warning")
    assert_valid(orders(engine, 1_000, 3), shop(), reference=reference, fail_on="warning")


def test_references_reach_in_reference_checks(engine: str) -> None:
    text = SHOP.replace(
        "currency: {type: string}",
        "currency: {type: string, checks: [{in_reference: {dataset: fx, field: code}}]}",
    ).replace("drift:", "references:\n  fx: {contract: fx}\ndrift:")
    known = make_frame(engine, {"code": ["EUR", "USD", "GBP", "JPY"]})
    assert_valid(orders(engine, 10, 1), text, references={"fx": known})
    with pytest.raises(AssertionError, match="currency"):
        assert_valid(orders(engine, 10, 1), text, references={"fx": known.head(1)})


def test_unknown_profile_is_a_usage_error_not_a_failed_assertion(engine: str) -> None:
    with pytest.raises(UsageError, match="no profile 'nightly'"):
        assert_valid(orders(engine, 3, 1), shop(), profile="nightly")
