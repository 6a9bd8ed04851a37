"""Issue 11, class "unclear errors": every bad path or option value a command line can hold
ends in exit 2, no traceback, and a message that names the file (or the option) and the fix.

Each row is (command line, what the message must say). ``{name}`` in either stands for a path
of the fixture below, so every row checks that the message names the very file given.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import accord
from accord.run import runner
from conftest import make_frame
from fault_support import cli, contract_text, write

CONTRACT = """\
references:
  codes: {description: the valid codes}
fields:
  a: {type: int64}
"""
ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class Row:
    args: str
    says: tuple[str, ...]
    needs: str = ""
    """"unprivileged" when root would be allowed what the row forbids."""


ROWS: dict[str, Row] = {
    # the contract
    "contract missing": Row("validate {tmp}/no.yaml {data}", ("{tmp}/no.yaml", "not found")),
    "contract is a folder": Row(
        "validate {folder} {data}", ("{folder}", "is a directory, not a contract file")
    ),
    "contract unreadable": Row(
        "validate {locked_contract} {data}",
        ("{locked_contract}", "permission denied reading the contract file"),
        needs="unprivileged",
    ),
    "lint a folder": Row("lint {folder}", ("{folder}", "is a directory, not a contract file")),
    # the data
    "data missing": Row("validate {contract} {tmp}/no.csv", ("{tmp}/no.csv", "not found")),
    "data folder without data": Row(
        "validate {contract} {folder}", ("{folder}", "is a directory with no data files")
    ),
    "glob matching nothing": Row(
        "validate {contract} {tmp}/*.parquet", ("no data files match '{tmp}/*.parquet'",)
    ),
    "data unreadable": Row(
        "validate {contract} {locked_data}",
        ("cannot read data {locked_data}: permission denied",),
        needs="unprivileged",
    ),
    "data argument empty": Row("validate {contract} ''", ("DATA argument 1 is empty", "name a")),
    "data format unknown": Row(
        "validate {contract} {data} --data-format xls",
        ("unknown --data-format 'xls'", "choose one of: csv, parquet, jsonl, arrow"),
    ),
    "infer data missing": Row("infer {tmp}/no.csv", ("{tmp}/no.csv", "not found")),
    "profile data missing": Row(
        "profile {contract} {tmp}/no.csv", ("{tmp}/no.csv", "not found")
    ),
    # --ref and --reference
    "ref without a name": Row(
        "validate {contract} {data} --ref {codes}", ("--ref takes NAME=PATH", "{codes}")
    ),
    "ref unknown name": Row(
        "validate {contract} {data} --ref nope={codes}",
        ("--ref nope", "declares no reference 'nope'", "references: codes"),
    ),
    "ref given twice": Row(
        "validate {contract} {data} --ref codes={codes} --ref codes={codes}",
        ("--ref codes is given twice",),
    ),
    "ref file missing": Row(
        "validate {contract} {data} --ref codes={tmp}/no.csv",
        ("--ref codes={tmp}/no.csv: cannot read the reference data {tmp}/no.csv: not found",),
    ),
    "ref is a folder": Row(
        "validate {contract} {data} --ref codes={folder}",
        ("--ref codes={folder}: cannot read the reference data", "is a directory"),
    ),
    "reference missing": Row(
        "validate {contract} {data} --reference {tmp}/no.json",
        ("--reference {tmp}/no.json: cannot read the reference statistics: not found",
         "accord profile"),
    ),
    "reference is a folder": Row(
        "validate {contract} {data} --reference {folder}",
        ("--reference {folder}: cannot read the reference statistics: is a folder",),
    ),
    "reference not JSON": Row(
        "validate {contract} {data} --reference {data}",
        ("--reference {data}", "not an accord reference profile", "line 1 column 1"),
    ),
    # option values
    "profile unknown": Row(
        "validate {contract} {data} --profile nope",
        ("contract {contract}", "has no profile 'nope'", "drop --profile"),
    ),
    "profile unknown in profile": Row(
        "profile {contract} {data} --profile nope", ("contract {contract}", "drop --profile")
    ),
    "profile unknown in compile": Row(
        "compile {contract} --profile nope", ("contract {contract}", "has no profile 'nope'")
    ),
    "engine unknown": Row(
        "validate {contract} {data} --engine spark",
        ("unknown --engine 'spark'", "choose one of: auto, pandas, polars"),
    ),
    "engine unknown in compile": Row(
        "compile {contract} --engine spark", ("unknown engine 'spark'", "pandas, polars")
    ),
    "format unknown": Row(
        "validate {contract} {data} --format yaml", ("unknown --format 'yaml'", "json")
    ),
    "fail-on unknown": Row(
        "validate {contract} {data} --fail-on warn", ("--fail-on takes error or warning",)
    ),
    "as-of not a time": Row(
        "validate {contract} {data} --as-of yesterday",
        ("--as-of takes an ISO 8601 time", "'yesterday'"),
    ),
    "max-examples negative": Row(
        "validate {contract} {data} --max-examples -1", ("'--max-examples'", "greater than")
    ),
    "max-examples not a number": Row(
        "validate {contract} {data} --max-examples many", ("'--max-examples'", "integer")
    ),
    "batch-rows not a number": Row(
        "validate {contract} {data} --batch-rows lots", ("'--batch-rows'", "integer")
    ),
    "batch-rows on pandas": Row(
        "validate {contract} {data} --batch-rows 10 --engine pandas",
        ("--batch-rows validates on the polars engine", "drop --engine pandas"),
    ),
    # where the result goes
    "output folder missing": Row(
        "validate {contract} {data} --output {tmp}/no/r.json",
        ("cannot write {tmp}/no/r.json", "{tmp}/no does not exist", "create the folder"),
    ),
    "output is a folder": Row(
        "validate {contract} {data} --output {folder}",
        ("cannot write {folder}: it is a folder", "name a file inside it"),
    ),
    "output under a file": Row(
        "validate {contract} {data} --output {data}/r.json",
        ("cannot write {data}/r.json", "is not a folder"),
    ),
    "output not permitted": Row(
        "validate {contract} {data} --output {locked_folder}/r.json",
        ("cannot write {locked_folder}/r.json: Permission denied", "choose a file you may write"),
        needs="unprivileged",
    ),
    "profile output folder missing": Row(
        "profile {contract} {data} -o {tmp}/no/s.json",
        ("cannot write {tmp}/no/s.json", "does not exist"),
    ),
    "infer output is a folder": Row(
        "infer {data} -o {folder}", ("cannot write {folder}: it is a folder",)
    ),
    "diff output folder missing": Row(
        "diff {contract} {contract} --output {tmp}/no/d.md",
        ("cannot write {tmp}/no/d.md", "does not exist"),
    ),
}  # fmt: skip


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "empty"
    folder.mkdir()
    locked_folder = tmp_path / "locked"
    locked_folder.mkdir(mode=0o500)
    locked_data = write(tmp_path / "locked.csv", "a\n1\n")
    locked_contract = write(tmp_path / "locked.yaml", contract_text(CONTRACT))
    for locked in (locked_data, locked_contract):
        locked.chmod(0o000)
    named = {
        "tmp": tmp_path,
        "contract": write(tmp_path / "c.yaml", contract_text(CONTRACT)),
        "data": write(tmp_path / "d.csv", "a\n1\n"),
        "codes": write(tmp_path / "codes.csv", "code\nx\n"),
        "folder": folder,
        "locked_folder": locked_folder,
        "locked_data": locked_data,
        "locked_contract": locked_contract,
    }
    return {name: str(path) for name, path in named.items()}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_errors_name_the_file_and_the_fix(
    row: Row, paths: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if row.needs == "unprivileged" and ROOT:
        pytest.skip("root may read and write regardless of permissions")
    args = [part.format(**paths) for part in row.args.split(" ")]
    args = ["" if part == "''" else part for part in args]
    before = sorted(p.name for p in tmp_path.rglob("*") if p.name != "locked")
    run = cli(capsys, *args)  # asserts that no traceback is printed
    assert run.code == 2, run.err
    assert run.out == ""
    for text in row.says:
        assert text.format(**paths) in run.err, run.err
    assert sorted(p.name for p in tmp_path.rglob("*") if p.name != "locked") == before


def test_errors_output_refused_by_the_system_names_the_file(
    paths: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Where even root may not create a file (sysfs), the writer says so and exits 2; this
    row runs as root too, which the permission rows above cannot."""
    target = Path("/sys/accord-report.json")
    if not Path("/sys").is_dir():
        pytest.skip("no /sys here")
    run = cli(capsys, "validate", paths["contract"], paths["data"], "--output", target)
    assert run.code == 2 and run.out == ""
    assert f"cannot write {target}:" in run.err
    assert not target.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fail_on": "warn"}, "fail_on takes 'error' or 'warning', not 'warn'"),
        ({"max_examples": -1}, "max_examples takes a whole number of examples, 0 or more"),
        ({"max_examples": "5"}, "not '5'"),
        ({"max_examples": True}, "not True"),
        ({"profile": "nope"}, "has no profile 'nope'"),
    ],
)
def test_errors_api_options_fail_before_any_work(
    options: dict[str, Any], message: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = accord.load(contract_text(CONTRACT))
    frame = make_frame(engine, {"a": [1, 2]})

    def must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the validation ran before its options were checked")

    with monkeypatch.context() as patched:
        patched.setattr(runner, "run_contract", must_not_run)
        with pytest.raises(accord.UsageError, match=re.escape(message)):
            contract.validate(frame, **options)
    # numpy's integers are counts like any other
    report = contract.validate(frame, max_examples=np.int64(2), fail_on="warning")
    assert report.passed
