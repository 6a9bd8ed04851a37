"""``accord profile`` in batches: the whole profile while the sketches hold every value; beyond
that quantiles, edges and bins within the stated rank error, counts and means exact, and a stats
file ``--reference`` reads like any other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli.app import main
from accord.contract.loader import load_contract
from accord.drift import ReferenceProfile, build_profile
from accord.drift import sketch as sketch_module
from accord.drift.profiling import ProfileBuilder
from accord.drift.reference import CategoricalStats, NumericStats
from accord.engines.registry import engine_for
from accord.run import sizing
from accord.run.sources import read_dataset
from conftest import ENGINES
from drift_samples import CREATED, orders, shop

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
EXAMPLE = ROOT / "examples" / "transactions.csv"


def _in_batches(frame: Any, contract: Any, rows: int, **options: Any) -> ReferenceProfile:
    builder = ProfileBuilder(contract, engine_for(frame), **options)
    cut = frame.iloc if hasattr(frame, "iloc") else frame
    for start in range(0, len(frame), rows):
        builder.add(cut[start : start + rows])
    return builder.profile(CREATED)


@settings(max_examples=20)
@given(engine=st.sampled_from(ENGINES), rows=st.integers(1, 600), seed=st.integers(0, 3))
def test_small_data_in_batches_profiles_as_whole(engine: str, rows: int, seed: int) -> None:
    contract = shop().model
    frame = orders(engine, 500, seed)
    whole = build_profile(frame, contract, created_at=CREATED)
    assert _in_batches(frame, contract, rows) == whole
    assert all(getattr(s, "method", "exact") == "exact" for s in whole.fields.values())


def test_the_example_in_batches_profiles_as_whole() -> None:
    contract = load_contract(CONTRACT)
    frame = read_dataset([EXAMPLE], contract).frame  # numbers, text, dates, nulls, pii
    whole = build_profile(frame, contract, created_at=CREATED)
    assert _in_batches(frame, contract, 37) == whole


@settings(max_examples=15)
@given(rows=st.integers(100, 4_000), capacity=st.integers(16, 256))
def test_sketched_numbers_are_within_the_rank_error(rows: int, capacity: int) -> None:
    contract = shop().model
    frame = orders("polars", 6_000, 9).with_columns(
        pl.when(pl.int_range(pl.len()) % 500 == 0).then(float("inf")).otherwise(pl.col("amount"))
    )
    whole = build_profile(frame, contract, created_at=CREATED).fields["amount"]
    got = _in_batches(frame, contract, rows, capacity=capacity).fields["amount"]
    assert isinstance(got, NumericStats) and isinstance(whole, NumericStats)
    assert got.method == "sketch" and 0 < got.rank_error < 0.5
    # Exact whatever the batches: counts, nulls, extremes; mean and std up to rounding.
    assert (got.count, got.null_fraction, got.min, got.max) == (
        whole.count,
        whole.null_fraction,
        whole.min,
        whole.max,
    )
    assert got.mean == pytest.approx(whole.mean, rel=1e-9)
    assert got.std == pytest.approx(whole.std, rel=1e-9)
    values = frame.get_column("amount").drop_nulls().drop_nans().to_numpy()
    ordered = np.sort(values[np.isfinite(values)])
    n, slack = len(ordered), got.rank_error * len(ordered) + 1
    assert len(got.bin_edges) == 9  # continuous amounts: no two deciles tie
    for k, edge in enumerate(got.bin_edges, start=1):  # a decile's true rank near n * k / 10
        low, high = np.searchsorted(ordered, edge, "left"), np.searchsorted(ordered, edge, "right")
        assert low - slack <= n * k / 10 <= high + slack
    # bin counts: the sketch's count of each bin within twice the rank error of the truth
    everything = np.sort(values)
    truth = np.diff(
        np.concatenate([[0], np.searchsorted(everything, got.bin_edges, "left"), [len(values)]])
    )
    assert np.all(np.abs(np.array(got.bin_counts) - truth) <= 2 * got.rank_error * n + 1)
    assert sum(got.bin_counts) == got.count


def test_many_categories_are_counted_within_the_stated_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sketch_module, "TRACKED_ITEMS", 50)
    contract = shop().model
    rng = np.random.default_rng(1)
    frame = orders("polars", 5_000, 2).with_columns(
        currency=pl.Series([f"C{int(v)}" for v in rng.zipf(1.5, 5_000)])
    )
    whole = build_profile(frame, contract, created_at=CREATED).fields["currency"]
    got = _in_batches(frame, contract, 400).fields["currency"]
    assert isinstance(got, CategoricalStats) and isinstance(whole, CategoricalStats)
    assert got.method == "sketch" and got.count_error > 0
    assert got.count == whole.count and sum(got.frequencies.values()) == got.count
    truth = frame.get_column("currency").value_counts()
    true_counts = dict(zip(truth["currency"], truth["count"], strict=True))
    for value, count in got.frequencies.items():
        if value != "__other__":
            assert true_counts[value] - got.count_error <= count <= true_counts[value]
    assert 50 <= got.distinct <= whole.distinct


def _stats(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    assert main(["profile", *args]) == 0
    captured = capsys.readouterr()
    document: dict[str, Any] = json.loads(captured.out)
    document.pop("created_at")
    return document, captured.err


def test_cli_profile_in_batches_is_the_whole_profile(capsys: pytest.CaptureFixture[str]) -> None:
    whole, notes = _stats([str(CONTRACT), str(EXAMPLE), "--batch-rows", "0"], capsys)
    assert _stats([str(CONTRACT), str(EXAMPLE), "--batch-rows", "33"], capsys) == (whole, notes)
    assert whole["fields"]["amount"]["method"] == "exact"
    assert notes.count("could not be read") == 2  # unreadable cells noted, in contract order


def test_a_sketched_profile_serves_as_reference(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sketch_module, "SKETCH_CAPACITY", 16)
    monkeypatch.setattr(sizing, "available_bytes", lambda: 1000)  # nothing fits: batches
    monkeypatch.setattr(sizing, "AUTO_BATCH_ROWS", 60)
    stats = tmp_path / "stats.json"
    assert main(["profile", str(CONTRACT), str(EXAMPLE), "-o", str(stats)]) == 0
    capsys.readouterr()
    document = json.loads(stats.read_text())
    numeric = [f for f in document["fields"].values() if f["kind"] == "numeric"]
    assert numeric and any(f["method"] == "sketch" and f["rank_error"] > 0 for f in numeric)
    for batch_rows in ("0", "45"):
        args = [str(CONTRACT), str(EXAMPLE), "--reference", str(stats), "--batch-rows", batch_rows]
        main(["validate", *args, "--format", "json"])
        report = json.loads(capsys.readouterr().out)
        drift = [c for c in report["checks"] if c["check_id"].startswith("drift.")]
        assert drift and all(c["status"] != "skipped" for c in drift)


def test_batch_rows_needs_the_polars_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["profile", str(CONTRACT), str(EXAMPLE), "--engine", "pandas", "--batch-rows", "9"])
    assert code == 2
    assert "--batch-rows profiles on the polars engine" in capsys.readouterr().err
