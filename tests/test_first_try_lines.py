"""Examples from text files carry the line where their row starts (issue 16): ``row`` stays the
0-based data-row position; ``line`` is what an editor shows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest
from jsonschema import Draft202012Validator

from accord.cli.app import main
from accord.cli.lines import csv_lines
from accord.report.model import load_report_schema
from accord.report.sanitize import ROWS_NOTE

CONTRACT = """\
accord: 1
name: t
version: 1.0.0
fields:
  n: {type: int64, checks: [{between: {max: 10}}]}
  note: {type: string, nullable: true}
"""


def start_lines(path: Path) -> list[int]:
    """The oracle: the line where each data record starts, by Python's csv module."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        starts, previous = [], 0
        for _ in reader:
            starts.append(previous + 1)
            previous = reader.line_num
    return starts[1:]  # the header is not a data row


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(CONTRACT)
    return path


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_csv_examples_carry_the_line_after_a_multi_line_cell(
    tmp_path: Path, contract: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    rows = ["n,note"] + [f"{i},plain" for i in range(11)] + ["11,x", "12,y"]
    rows[3] = '2,"two\nlines, and ""quotes"""'
    data.write_text("\n".join(rows) + "\n")
    code, out = run(capsys, str(contract), str(data), "--engine", engine, "--format", "json")
    assert code == 1
    [violation] = json.loads(out)["violations"]
    examples = [(e["row"], e["line"]) for e in violation["examples"]]
    oracle = start_lines(data)
    assert examples == [(11, oracle[11]), (12, oracle[12])] == [(11, 14), (12, 15)]
    Draft202012Validator(load_report_schema()).validate(json.loads(out))
    _, text = run(capsys, str(contract), str(data), "--engine", engine)
    assert "row 11, line 14: 11" in text
    assert ROWS_NOTE.split(";")[0] in text.replace("\n", " ")


def test_csv_line_scan_agrees_with_the_csv_module(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    cells = ['"a\nb"', "plain", '"x""y"', '"\n\n"', '"q""\n""r"', "z"]
    lines = ["n,note"] + [f"{i},{cells[i % len(cells)]}" for i in range(40)]
    data.write_text("\n".join(lines) + "\n")
    oracle = start_lines(data)
    found = csv_lines(data, set(range(40)), header=True, quote=b'"')
    assert [found[i] for i in range(40)] == oracle


def test_jsonl_examples_skip_blank_lines(
    tmp_path: Path, contract: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text('{"n": 1}\n\n{"n": 20}\n   \n{"n": 2}\n{"n": 11}\n')
    code, out = run(capsys, str(contract), str(data), "--format", "json")
    assert code == 1
    [violation] = [v for v in json.loads(out)["violations"] if v["check"] == "between"]
    assert [(e["row"], e["line"]) for e in violation["examples"]] == [(1, 3), (3, 6)]


def test_several_files_and_parquet(
    tmp_path: Path, contract: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.csv").write_text("n,note\n1,x\n")
    (tmp_path / "b.csv").write_text('n,note\n1,"multi\nline"\n20,y\n')
    code, out = run(capsys, str(contract), str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
                    "--format", "json")  # fmt: skip
    assert code == 1
    [example] = json.loads(out)["violations"][0]["examples"]
    assert (example["file"].endswith("b.csv"), example["row"], example["line"]) == (True, 1, 4)
    parquet = tmp_path / "d.parquet"
    pl.DataFrame({"n": [1, 20], "note": ["a", None]}).write_parquet(parquet)
    _, out = run(capsys, str(contract), str(parquet), "--format", "json")
    [example] = json.loads(out)["violations"][0]["examples"]
    assert "line" not in example  # no lines in a binary file; the key is left out, not null
