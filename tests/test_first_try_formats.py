"""A file's suffix decides its format; the contract's ``source.format`` covers the rest (issue 16).

The bundled contract says ``source: {format: csv}``; the README profiles a Parquet file with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from accord.cli.app import main

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = ROOT / "contracts" / "transactions.yaml"
CSV = ROOT / "examples" / "transactions.csv"


def clean_rows(tmp_path: Path) -> pl.DataFrame:
    """The example's rows that the contract accepts: the README's train.parquet, in short."""
    report = tmp_path / "r.json"
    main(["validate", str(CONTRACT), str(CSV), "--format", "json", "--output", str(report)])
    bad: set[int] = set()
    for violation in json.loads(report.read_text())["violations"]:
        bad.update(example["row"] for example in violation.get("examples", []))
    frame = pl.read_csv(CSV, infer_schema=False)
    # Rows with unreadable values break the typed round trip; keep the ones every check liked.
    keep = frame.with_row_index("_row").filter(~pl.col("_row").is_in(sorted(bad)))
    typed = keep.drop("_row").head(200)
    return typed.with_columns(
        pl.col("transaction_id", "customer_id", "card_age_days").cast(pl.Int64),
        pl.col("parent_id").cast(pl.Int64, strict=False),
        pl.col("amount").cast(pl.Float64, strict=False),
        pl.col("is_fraud") == "true",
        pl.col("authorised_at", "settled_at").str.to_datetime(time_zone="UTC", strict=False),
    ).filter(pl.col("amount").is_not_null() & (pl.col("amount") >= 0))


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_profile_reads_a_file_by_its_suffix_despite_source_format(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = clean_rows(tmp_path)
    data = tmp_path / f"train{suffix}"
    if suffix == ".parquet":
        frame.write_parquet(data)
    else:
        frame.write_ndjson(data)
    stats = tmp_path / "stats.json"
    capsys.readouterr()
    assert main(["profile", str(CONTRACT), str(data), "-o", str(stats)]) == 0, capsys.readouterr()
    assert json.loads(stats.read_text())["rows"] == frame.height
    code = main(["validate", str(CONTRACT), str(data), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    # Read as Parquet/JSON Lines, the clean rows pass every check that is not about the whole
    # extract: nothing is "not valid utf-8" any more.
    assert not [v for v in report["violations"] if v["code"].startswith("data.")], report
    assert code in (0, 1)
    assert all(v["code"] not in ("field.type", "field.missing") for v in report["violations"])


def test_the_contract_format_covers_files_without_a_telling_suffix(tmp_path: Path) -> None:
    data = tmp_path / "extract.txt"
    data.write_bytes(CSV.read_bytes())
    assert main(["validate", str(CONTRACT), str(data), "--format", "json"]) == 1


def test_data_format_wins_and_a_conflict_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "train.parquet"
    clean_rows(tmp_path).write_parquet(data)
    capsys.readouterr()
    assert main(["validate", str(CONTRACT), str(data), "--data-format", "csv"]) == 2
    error = capsys.readouterr().err
    assert "read as csv because --data-format says so" in error
    assert "suffix .parquet says parquet" in error
    assert "Traceback" not in error


def test_a_file_without_suffix_or_contract_format_says_how_to_name_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "c.yaml"
    contract.write_text("accord: 1\nname: c\nversion: 1.0.0\nfields:\n  id: {type: int64}\n")
    data = tmp_path / "extract.bin"
    data.write_text("id\n1\n")
    assert main(["validate", str(contract), str(data)]) == 2
    assert "--data-format" in capsys.readouterr().err
    assert main(["validate", str(contract), str(data), "--data-format", "csv"]) == 0
