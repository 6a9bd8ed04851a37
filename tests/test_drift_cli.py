"""``accord profile`` as a user runs it: the stats file, engines, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import app as cli
from accord.drift import ReferenceProfile
from drift_samples import SHOP, orders

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "examples" / "pipeline" / "card_features.yaml"
SHOP_CSV = "order_id,amount,currency,basket,returned\n"


@pytest.fixture
def shop_files(tmp_path: Path) -> tuple[Path, Path]:
    contract = tmp_path / "shop.yaml"
    contract.write_text(SHOP, encoding="utf-8")
    data = tmp_path / "orders.parquet"
    orders("polars", 300, 5).write_parquet(data)
    return contract, data


def test_profile_writes_a_stats_file(
    shop_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, data = shop_files
    out = tmp_path / "stats.json"
    code = cli.main(["profile", str(contract), str(data), "-o", str(out), "--profile", "training"])
    assert code == 0
    stats = ReferenceProfile.read(out)
    assert (stats.contract.name, stats.profile, stats.rows) == ("shop", "training", 300)
    assert set(stats.fields) == {"order_id", "amount", "currency", "basket", "returned"}
    assert capsys.readouterr().err.startswith(f"wrote {out}: 5 fields of 300 rows")


def test_profile_is_the_same_with_either_engine(
    shop_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    contract, data = shop_files
    texts = []
    for engine in ("pandas", "polars"):
        assert cli.main(["profile", str(contract), str(data), "--engine", engine]) == 0
        document = json.loads(capsys.readouterr().out)  # no -o: standard output
        document.pop("created_at")
        texts.append(document)
    assert texts[0] == texts[1]


def test_unreadable_cells_are_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = tmp_path / "shop.yaml"
    contract.write_text(SHOP, encoding="utf-8")
    data = tmp_path / "orders.csv"
    data.write_text(SHOP_CSV + "1,12.5,EUR,small,false\n2,12 EUR,EUR,large,true\n")
    assert cli.main(["profile", str(contract), str(data)]) == 0
    captured = capsys.readouterr()
    assert "note: 1 value(s) of 'amount' could not be read as float64 and count as nulls" in (
        captured.err
    )
    assert json.loads(captured.out)["fields"]["amount"]["null_fraction"] == 0.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nightly"], "has no profile 'nightly' (profiles: training, serving)"),
        (["--engine", "spark"], "unknown --engine 'spark'"),
    ],
)
def test_bad_arguments_exit_2(
    shop_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    contract, data = shop_files
    assert cli.main(["profile", str(contract), str(data), *args]) == 2
    assert message in capsys.readouterr().err


def test_missing_data_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["profile", str(CONTRACT), str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert "none.csv: not found" in err
    assert "Traceback" not in err


def test_validate_with_reference_reports_drift_as_warnings(
    shop_files: tuple[Path, Path],
    tmp_path: Path,
    engine: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract, data = shop_files
    stats = tmp_path / "stats.json"
    assert cli.main(["profile", str(contract), str(data), "-o", str(stats)]) == 0
    shifted = tmp_path / "shifted.parquet"
    orders("polars", 300, 6, shift=2.0).write_parquet(shifted)
    args = [
        "validate",
        str(contract),
        str(shifted),
        "--reference",
        str(stats),
        "--engine",
        engine,
        "--format",
        "json",
    ]
    capsys.readouterr()
    assert cli.main(args) == 0  # drift is a warning by default
    report = json.loads(capsys.readouterr().out)
    drift = [v for v in report["violations"] if v["code"].startswith("drift.")]
    assert drift and all(v["severity"] == "warning" for v in drift)
    assert cli.main([*args, "--fail-on", "warning"]) == 1
    same = ["validate", str(contract), str(data), "--reference", str(stats), "--engine", engine]
    assert cli.main(same) == 0


def test_validate_with_a_reference_of_another_contract_is_exit_2(
    shop_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, data = shop_files
    stats = tmp_path / "stats.json"
    assert cli.main(["profile", str(contract), str(data), "-o", str(stats)]) == 0
    other = tmp_path / "other.yaml"
    other.write_text(SHOP.replace("name: shop", "name: boutique"), encoding="utf-8")
    assert cli.main(["validate", str(other), str(data), "--reference", str(stats)]) == 2
    assert "made for contract shop@" in capsys.readouterr().err
