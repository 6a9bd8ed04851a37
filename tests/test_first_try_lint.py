"""``accord lint`` reports every independent problem of a file in one run (issue 16): fixing
what one run lists leaves a valid contract, not a second round of errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli.app import main

BROKEN = """\
accord: 1
name: Bad Name
version: 1.0
dataset:
  primary_key: [nope]
  columns: shut
  rules:
    - name: r1
      assert: "amount >> 3"
    - name: r2
      assert: "amount > 'x'"
    - name: r3
      assert: "missing_field > 1"
  freshness: {field: ts, max_age: 3 days}
  unique: [[id, ghost]]
fields:
  id: {type: int64, nulable: true}
  amount:
    type: flaot64
    checks:
      - mean_between: {low: 0, high: 3}
      - bewteen: {min: 1}
  ts:
    type: timestamp
    tz: Mars/Olympus
  country:
    type: string
    checks:
      - pattern: "(a)\\\\1"
      - in: []
  n:
    type: int64
    checks:
      - between: {min: 5, max: 1}
profiles:
  serving:
    forbid_roles: [labell]
"""

# Each problem of BROKEN, and its fix: together, a valid contract.
FIXES = [
    ("name: Bad Name", "name: good"),
    ("version: 1.0", "version: 1.0.0"),
    ("primary_key: [nope]", "primary_key: [id]"),
    ("columns: shut", "columns: closed"),
    ("amount >> 3", "amount > 3"),
    ("missing_field > 1", "amount > 1"),
    ("3 days", "3d"),
    ("[[id, ghost]]", "[[id, country]]"),
    ("nulable", "nullable"),
    ("flaot64", "float64"),
    ("{low: 0, high: 3}", "{min: 0, max: 3}"),
    ("bewteen", "between"),
    ("Mars/Olympus", "UTC"),
    ("(a)\\\\1", "a+"),
    ("in: []", "in: [a]"),
    ("{min: 5, max: 1}", "{min: 1, max: 5}"),
    ("labell", "label"),
]


def lint(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    capsys.readouterr()
    code = main(["lint", str(path)])
    return code, capsys.readouterr().err


def test_one_run_lists_every_independent_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = lint(tmp_path, BROKEN, capsys)
    assert code == 2
    for expected in [
        "dataset.primary_key[0]: no field named 'nope'",
        "dataset.rules[0].assert: unexpected token '>'",
        "dataset.rules[2].assert: rule refers to no field named 'missing_field'",
        "dataset.unique[0][1]: no field named 'ghost'",
        "fields.id: unknown key 'nulable'",
        "unknown check 'bewteen'",
        "unknown time zone 'Mars/Olympus'",
        "'in' list is empty",
        "forbid_roles[0]: 'labell' is not one of",
        "fields.n.checks[0].between: min 5 is greater than max 1",
    ]:
        assert expected in err, expected
    # r2 compares amount, whose type is broken: judged once the type is fixed, not guessed now.
    assert "rules[1]" not in err
    fixed = BROKEN
    for old, new in FIXES[:-1]:
        fixed = fixed.replace(old, new)
    code, err = lint(tmp_path, fixed.replace("amount > 'x'", "amount > 1"), capsys)
    # Only the last problem is left: nothing the first run held back appeared.
    assert code == 2
    assert err.count("\n  ") == 1 and "'labell'" in err


def test_the_fixes_of_one_run_make_a_valid_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed = BROKEN.replace("amount > 'x'", "amount > 1")
    for old, new in FIXES:
        fixed = fixed.replace(old, new)
    code, err = lint(tmp_path, fixed, capsys)
    assert code == 0, err


def test_the_version_hint_leads_to_a_valid_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = lint(
        tmp_path, "accord: 1\nname: c\nversion: 1.0\nfields: {a: {type: int64}}\n", capsys
    )
    assert code == 2
    assert "got the number 1.0; write e.g. version: 1.0.0" in err
    assert "quote it" not in err  # quoting '1.0' only led to "not semantic versioning"
    code, _ = lint(
        tmp_path, "accord: 1\nname: c\nversion: 1.0.0\nfields: {a: {type: int64}}\n", capsys
    )
    assert code == 0


def test_an_unknown_check_parameter_lists_the_ones_it_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "accord: 1\nname: c\nversion: 1.0.0\nfields:\n  a:\n    type: float64\n    checks:\n"
        "      - mean_between: {low: 0, high: 3}\n        severity: warning\n"
    )
    code, err = lint(tmp_path, text, capsys)
    assert code == 2
    assert "unknown key 'low'; 'mean_between' takes: min, max" in err
    assert "unknown key 'high'; 'mean_between' takes: min, max" in err
