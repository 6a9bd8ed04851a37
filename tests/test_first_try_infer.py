"""A draft inferred from one period of a source validates the next period (issue 16): only the
real problems of the later rows are violations, never the draft's own guesses."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
import yaml

from accord.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
CSV = ROOT / "examples" / "transactions.csv"


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["validate", *args, "--format", "json", "--max-examples", "1000"])
    return code, json.loads(capsys.readouterr().out)


def flagged_rows(data: dict[str, object]) -> set[int]:
    rows: set[int] = set()
    for violation in data["violations"]:  # type: ignore[attr-defined]
        rows.update(e["row"] for e in violation["examples"] if e.get("row") is not None)
    return rows


def test_a_draft_from_the_first_period_validates_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = pl.read_csv(CSV, infer_schema=False)
    half = raw.height // 2
    _, bundled = report(capsys, str(CONTRACT), str(CSV))
    broken = flagged_rows(bundled)  # what the hand-written contract finds: the real problems
    first = raw.with_row_index("row").filter(
        (pl.col("row") < half) & ~pl.col("row").is_in(sorted(broken))
    )
    first.drop("row").write_csv(tmp_path / "first.csv")
    later = tmp_path / "later.csv"
    raw.slice(half).write_csv(later)

    draft = tmp_path / "draft.yaml"
    assert main(["infer", str(tmp_path / "first.csv"), "-o", str(draft)]) == 0
    err = capsys.readouterr().err
    assert f"wrote {draft}: a draft contract of 12 fields" in err
    text = draft.read_text()
    assert "freshness: {field: authorised_at" in text  # suggested, not a check
    fields = yaml.safe_load(text)["fields"]
    assert all("between" not in str(spec.get("checks")) for spec in fields.values())
    assert "unique" not in fields["customer_id"]  # customers come back next period

    code, found = report(capsys, str(draft), str(later))
    assert code == 1
    real = {row - half for row in broken if row >= half}
    assert flagged_rows(found) <= real, found  # no violation the source did not earn
    codes = {(v["code"], v["field"]) for v in found["violations"]}  # type: ignore[attr-defined]
    assert ("field.type", "authorised_at") in codes  # the naive timestamp
    assert ("check.failed", "country") in codes  # "Germany" among country codes


def test_infer_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,n\n1,5\n2,7\n")
    target = tmp_path / "d.yaml"
    target.write_text("# my edited contract\n")
    assert main(["infer", str(data), "-o", str(target)]) == 2
    assert "d.yaml exists; accord infer never overwrites" in capsys.readouterr().err
    assert target.read_text() == "# my edited contract\n"
    assert main(["infer", str(data), "-o", str(target), "--force", "--ranges"]) == 0
    assert yaml.safe_load(target.read_text())["fields"]["n"]["checks"] == [
        {"between": {"min": 5, "max": 7}}
    ]
