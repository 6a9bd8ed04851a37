"""Reference profiles: hand-checked statistics, JSON round trips, one result for every engine."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from accord.api import load
from accord.drift import ReferenceProfile, build_profile
from accord.drift.reference import CategoricalStats, NumericStats, TemporalStats
from accord.errors import DataReadError, UsageError
from conftest import make_frame
from drift_samples import CREATED, orders, shop

KINDS = """\
accord: 1
name: kinds
version: 1.0.0
fields:
  x: {type: float64, nullable: true}
  n: {type: int64}
  s: {type: string, nullable: true}
  flag: {type: bool, nullable: true}
  at: {type: timestamp, tz: UTC}
  day: {type: date}
  secret: {type: string, pii: true}
  optional: {type: string, required: false}
"""
UTC = dt.UTC


def _kinds_frame(engine: str) -> object:
    return make_frame(
        engine,
        {
            "x": [float(v) for v in range(1, 11)] + [None, float("nan")],
            "n": list(range(12)),
            "s": ["b", "a", "b", None, "c", "b", "a", "c", "a", "b", "d", "d"],
            "flag": [True, False, True, None] * 3,
            "at": [dt.datetime(2026, 11, 26, h, 30, tzinfo=UTC) for h in range(12)],
            "day": [dt.date(2026, 1, d) for d in range(1, 13)],
            "secret": ["ann@example.com"] * 11 + ["bob@example.com"],
        },
    )


def test_numeric_statistics_by_hand(engine: str) -> None:
    stats = build_profile(_kinds_frame(engine), load(KINDS).model, created_at=CREATED)
    x = stats.fields["x"]
    assert isinstance(x, NumericStats)
    assert x.null_fraction == pytest.approx(2 / 12)  # None and NaN are both null
    assert x.count == 10
    # deciles of 1..10 as data values (the k-th is the smallest value with F >= k/10): 1..9
    assert x.bin_edges == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert x.bin_counts == [0, 1, 1, 1, 1, 1, 1, 1, 1, 2]  # (-inf, 1), [1, 2), ..., [9, inf)
    assert (x.mean, x.min, x.max) == (5.5, 1.0, 10.0)
    assert x.std == pytest.approx(3.02765035410, abs=1e-11)  # sample std of 1..10
    assert len(x.quantiles) == 101
    assert x.quantiles[0] == 1.0
    assert x.quantiles[50] == 5.5  # the sketch interpolates ("linear"): 1 + 9 * 0.5
    assert x.quantiles[-1] == 10.0


def test_bins_are_deduplicated_deciles_with_open_outer_bins(engine: str) -> None:
    values = [0.0] * 60 + [1.0] * 30 + [5.0] * 10  # deciles collapse onto three values
    frame = make_frame(engine, {"x": values, "n": [1] * 100})
    contract = load(KINDS).model
    stats = build_profile(frame, contract, created_at=CREATED).fields["x"]
    assert isinstance(stats, NumericStats)
    # deciles 10%..60% are 0, 70%..90% are 1 (F(1) = .9): two distinct edges
    assert stats.bin_edges == [0.0, 1.0]
    assert stats.bin_counts == [0, 60, 40]  # (-inf, 0), [0, 1), [1, +inf)
    assert sum(stats.bin_counts) == stats.count == 100


def test_categorical_statistics_by_hand(engine: str) -> None:
    stats = build_profile(_kinds_frame(engine), load(KINDS).model, created_at=CREATED)
    s = stats.fields["s"]
    assert isinstance(s, CategoricalStats)
    assert s.null_fraction == pytest.approx(1 / 12)
    assert (s.count, s.distinct) == (11, 4)
    assert list(s.frequencies.items()) == [("b", 4), ("a", 3), ("c", 2), ("d", 2)]
    flag = stats.fields["flag"]
    assert isinstance(flag, CategoricalStats)
    assert flag.frequencies == {"true": 6, "false": 3}
    assert flag.null_fraction == 0.25


def test_frequency_table_is_capped_with_an_other_bucket(engine: str) -> None:
    frame = _kinds_frame(engine)
    stats = build_profile(frame, load(KINDS).model, created_at=CREATED, max_categories=2)
    s = stats.fields["s"]
    assert isinstance(s, CategoricalStats)
    assert list(s.frequencies.items()) == [("b", 4), ("a", 3), ("__other__", 4)]
    assert s.distinct == 4


def test_pii_categories_are_stored_hashed(engine: str) -> None:
    stats = build_profile(_kinds_frame(engine), load(KINDS).model, created_at=CREATED)
    secret = stats.fields["secret"]
    assert isinstance(secret, CategoricalStats)
    assert secret.hashed
    digest = hashlib.sha256(b"ann@example.com").hexdigest()[:16]
    assert secret.frequencies[f"sha256:{digest}"] == 11
    assert "example.com" not in stats.to_json()


def test_temporal_bounds_are_iso_text(engine: str) -> None:
    stats = build_profile(_kinds_frame(engine), load(KINDS).model, created_at=CREATED)
    assert stats.fields["at"] == TemporalStats(
        null_fraction=0.0, count=12, min="2026-11-26T00:30Z", max="2026-11-26T11:30Z"
    )
    day = stats.fields["day"]
    assert isinstance(day, TemporalStats)
    assert (day.min, day.max) == ("2026-01-01", "2026-01-12")


def test_absent_optional_fields_are_left_out(engine: str) -> None:
    stats = build_profile(_kinds_frame(engine), load(KINDS).model, created_at=CREATED)
    assert "optional" not in stats.fields
    assert stats.rows == 12
    assert (stats.contract.name, stats.contract.version) == ("kinds", "1.0.0")


def test_the_same_data_gives_the_same_json_on_every_engine() -> None:
    contract = load(KINDS).model
    polars_json = build_profile(_kinds_frame("polars"), contract, created_at=CREATED).to_json()
    pandas_frame = _kinds_frame("pandas")
    assert build_profile(pandas_frame, contract, created_at=CREATED).to_json() == polars_json
    # pandas with Arrow-backed, categorical and nanosecond columns describes the same data
    arrow_backed = pl.from_pandas(pandas_frame).to_pandas(use_pyarrow_extension_array=True)
    assert build_profile(arrow_backed, contract, created_at=CREATED).to_json() == polars_json
    recoded = pandas_frame.assign(
        s=pandas_frame["s"].astype("category"), at=pandas_frame["at"].astype("datetime64[ns, UTC]")
    )
    assert build_profile(recoded, contract, created_at=CREATED).to_json() == polars_json


def test_realistic_profile_is_the_same_on_both_engines_and_small() -> None:
    contract = shop().model
    texts = [
        build_profile(orders(e, 5_000, 3), contract, created_at=CREATED).to_json()
        for e in ("pandas", "polars")
    ]
    assert texts[0] == texts[1]
    assert len(texts[0].encode()) < 10_000  # kilobytes, whatever the row count


def test_json_round_trip(engine: str, tmp_path: Path) -> None:
    stats = build_profile(orders(engine, 500, 1), shop().model, profile="training")
    assert stats.profile == "training"
    assert ReferenceProfile.from_json(stats.to_json()) == stats
    path = tmp_path / "stats.json"
    path.write_text(stats.to_json(), encoding="utf-8")
    assert ReferenceProfile.read(path) == stats
    assert json.loads(stats.to_json())["profile_version"] == 1


def test_floats_are_rounded_to_12_significant_digits(engine: str) -> None:
    frame = make_frame(engine, {"x": [1 / 3, 2 / 3, 1.0], "n": [1, 2, 3]})
    x = build_profile(frame, load(KINDS).model, created_at=CREATED).fields["x"]
    assert isinstance(x, NumericStats)
    assert x.mean == pytest.approx(2 / 3)
    assert repr(x.mean) == "0.666666666667"


def test_a_column_that_does_not_fit_its_type_is_a_usage_error(engine: str) -> None:
    frame = make_frame(engine, {"x": ["1.5", "2"], "n": [1, 2]})
    with pytest.raises(UsageError, match=r"cannot profile field 'x' \(float64\).*accord validate"):
        build_profile(frame, load(KINDS).model)


def test_bad_requests_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="pandas, polars or pyspark DataFrame"):
        build_profile([1, 2, 3], shop().model)
    with pytest.raises(UsageError, match="no profile 'nightly'"):
        build_profile(pd.DataFrame({"order_id": [1]}), shop().model, profile="nightly")


def test_reading_a_file_that_is_not_a_profile(tmp_path: Path) -> None:
    path = tmp_path / "stats.json"
    path.write_text('{"profile_version": 2}', encoding="utf-8")
    with pytest.raises(DataReadError, match="not an accord reference profile: profile_version"):
        ReferenceProfile.read(path)
    with pytest.raises(DataReadError, match=r"cannot read data .*missing\.json"):
        ReferenceProfile.read(tmp_path / "missing.json")


def test_a_self_contradicting_profile_is_refused() -> None:
    good = build_profile(orders("polars", 100, 1), shop().model, created_at=CREATED)
    data = json.loads(good.to_json())
    data["fields"]["amount"]["bin_counts"].pop()
    with pytest.raises(UsageError, match="one more entry than bin_edges"):
        ReferenceProfile.from_json(json.dumps(data))
