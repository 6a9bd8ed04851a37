"""FAULTS.md rows 1-9: hostile or broken contracts, and data that cannot be read.

One test (or one small group) per row, named after it, run through the command line and, where a
contract is involved, the Python API too, on both engines. The common rule of every row: exit 0
valid, 1 violated, 2 could not validate, and never a traceback (``fault_support.cli`` asserts it).
Later rows are in ``test_faults_data.py``, ``test_faults_values.py`` and ``test_faults_output.py``.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

import accord
from accord.contract import yaml_tree
from accord.errors import ContractError, ContractTooLargeError, DataReadError
from accord.run.sources import read_dataset
from fault_support import HEADER, cli, contract_text, validate, write, write_contract

SIMPLE = "fields:\n  a: {type: int64}\n"


def data_csv(tmp_path: Path) -> Path:
    return write(tmp_path / "data.csv", "a\n1\n2\n")


def refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, text: str, *expected: str
) -> ContractError:
    """``text`` is refused by ``accord lint``, by ``accord validate`` (before any data is read:
    the data file does not exist) and by ``accord.load``, each time with every ``expected``."""
    path = write(tmp_path / "contract.yaml", text)
    lint = cli(capsys, "lint", path)
    assert lint.code == 2 and lint.out == ""
    run = validate(capsys, path, tmp_path / "never-read.csv", engine)
    assert run.code == 2 and run.out == ""
    assert "cannot read data" not in run.err  # the contract is refused first
    with pytest.raises(ContractError) as caught:
        accord.load(path)
    for message in expected:
        assert message in lint.err, lint.err
        assert message in run.err, run.err
        assert message in str(caught.value)
    return caught.value


# -- row 1 ------------------------------------------------------------------------------------

PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "!!python/object/apply:builtins.exec [\"open(r'{marker}', 'w')\"]",
    "!!python/name:os.system",
    '!!python/object/new:os.system ["touch {marker}"]',
    "!!python/module:os",
    "!!python/object:os.system {}",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    "!!binary aGVsbG8=",
    "!!timestamp 2020-01-01",
    "!custom thing",
]
PLACES = {
    "extension value": "x-payload: TAG\n" + SIMPLE,
    "field type": "fields:\n  a:\n    type: TAG\n",
    "check parameter": "fields:\n  a:\n    type: int64\n    checks:\n      - min: TAG\n",
    "mapping key": "fields:\n  TAG : {type: int64}\n  b: {type: int64}\n",
    # a %TAG directive gives the python namespace a shorthand
    "tag directive": "x-payload: TAG\n" + SIMPLE,
}
TAG_CASES = [
    (tag, place)
    for tag in PYTHON_TAGS
    for place in PLACES
    if place != "tag directive" or tag.startswith("!!python/")
]


@pytest.fixture
def no_unsafe_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader composes nodes only; any PyYAML constructor entry point would be a bug."""

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a constructing YAML loader was called")

    for name in ("load", "load_all", "unsafe_load", "full_load", "safe_load"):
        monkeypatch.setattr(yaml, name, boom)


@pytest.mark.usefixtures("no_unsafe_yaml")
@pytest.mark.parametrize(("tag", "place"), TAG_CASES)
def test_fault_01_python_yaml_tags_refused(
    tag: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    marker = tmp_path / "PWNED"
    written = tag.replace("{marker}", str(marker))
    text = HEADER + PLACES[place].replace("TAG", written)
    if place == "tag directive":
        text = "%TAG !py! tag:yaml.org,2002:python/\n---\n" + text.replace("!!python/", "!py!")
    error = refused(tmp_path, capsys, engine, text, "unsupported YAML tag")
    assert any("contracts hold plain data only" in p.message for p in error.problems)
    assert not marker.exists()


# -- row 2 ------------------------------------------------------------------------------------

EVIL_MODULE = "accord_fault_evil_module"
CODE_CHECKS = {
    "lambda": ('custom: {check: "lambda v: v > 0"}', "unknown check 'lambda v: v > 0'"),
    "dotted import path": (
        f"custom: {{check: {EVIL_MODULE}.run}}",
        f"unknown check '{EVIL_MODULE}.run'",
    ),
    "import expression": (
        "custom: {check: \"__import__('os').system('touch PWNED')\"}",
        "unknown check '__import__",
    ),
    "eval name": ('custom: {check: eval, expression: "v > 0"}', "unknown check 'eval'"),
    "code as the parameter": ('custom: "lambda v: True"', "'custom' takes a mapping"),
    "eval kind": ('eval: "v > 0"', "unknown check 'eval'"),
    "lambda kind": ('lambda: "v > 0"', "unknown check 'lambda'"),
    "python kind": ('python: "import os"', "unknown check 'python'"),
}


@pytest.mark.parametrize("case", list(CODE_CHECKS))
def test_fault_02_custom_check_as_code_refused(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    check, message = CODE_CHECKS[case]
    marker = tmp_path / "IMPORTED"
    # A module that would leave a mark if anything imported it, importable from sys.path.
    write(tmp_path / f"{EVIL_MODULE}.py", f"open({str(marker)!r}, 'w').close()\ndef run(v): ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    imported: list[str] = []
    real_import = importlib.import_module

    def spy(name: str, package: str | None = None) -> Any:
        imported.append(name)
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", spy)
    text = contract_text(f"fields:\n  v:\n    type: int64\n    checks:\n      - {check}\n")
    refused(tmp_path, capsys, engine, text, message)
    assert not marker.exists()
    assert not (tmp_path / "PWNED").exists()
    assert EVIL_MODULE not in sys.modules
    assert not [name for name in imported if EVIL_MODULE in name or name in ("os", "builtins")]


def test_fault_02_registered_check_runs_by_name_only(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    registered_checks: list[str],
) -> None:
    @accord.register_check("fault_positive")
    def positive(values: Any, floor: int = 0) -> Any:
        return values > floor

    registered_checks.append("fault_positive")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          v:
            type: int64
            nullable: true
            checks:
              - custom: {check: fault_positive, floor: 1}
        """,
    )
    run = validate(capsys, contract, write(tmp_path / "d.csv", "v\n5\n1\n\n-3\n"), engine)
    assert run.code == 1
    assert run.violations() == [("check.failed", "v", 2)]
    assert [e["row"] for e in run.report["violations"][0]["examples"]] == [1, 3]
    # parameters are validated against the function's signature at load
    bad = write_contract(
        tmp_path,
        "fields:\n  v:\n    type: int64\n    checks:\n"
        "      - custom: {check: fault_positive, flor: 1}\n",
        "bad.yaml",
    )
    lint = cli(capsys, "lint", bad)
    assert lint.code == 2 and "parameter 'flor' of custom check 'fault_positive'" in lint.err


# -- row 3 ------------------------------------------------------------------------------------


def laughs(levels: int, width: int) -> str:
    """The "billion laughs": each level an anchored list of ``width`` aliases of the last."""
    lines = [HEADER.rstrip("\n"), f"x-l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"x-l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n" + SIMPLE


def alias_keys(uses: int) -> str:
    """Aliases used as mapping keys: each expands again at a path already seen."""
    lines = [HEADER.rstrip("\n"), "x-l0: &l0 [l, l, l, l, l, l, l, l, l]"]
    lines += [f"x-l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 6)]
    lines.append("x-bomb:")
    lines += [f"  ? *l5\n  : {n}" for n in range(uses)]
    return "\n".join(lines) + "\n" + SIMPLE


def deep(style: str, levels: int) -> str:
    if style == "flow sequence":
        return HEADER + "x-deep: " + "[" * levels + "]" * levels + "\n" + SIMPLE
    if style == "flow mapping":
        return HEADER + "x-deep: " + "{a: " * levels + "1" + "}" * levels + "\n" + SIMPLE
    if style == "block sequence":
        return HEADER + "x-deep:\n  " + "- " * levels + "1\n" + SIMPLE
    # nested block mappings: indentation grows with depth (20,000 levels would be some 400 MB,
    # which the byte limit refuses unread, see the next test), so 1,000 levels here
    levels = min(levels, 1000)
    lines = ["x-deep:"] + [" " * (i + 1) + "k:" for i in range(levels)]
    return HEADER + "\n".join(lines) + " 1\n" + SIMPLE


def assert_bounded(error: ContractError, *expected: str) -> None:
    assert isinstance(error, ContractTooLargeError)
    text = str(error)
    assert "contract too large or complex" in text
    for part in expected:
        assert part in text
    # the message names the limit; it never echoes the expanded or nested structure
    assert len(text) < 400
    for piece in ("lol, lol", "[[[[", "{a: {a:", "- - - -", "k:\n"):
        assert piece not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (laughs(11, 10), "more than 100 YAML aliases"),
        (laughs(9, 9), "values after expanding aliases"),  # 81 aliases, 9**10 values
        (alias_keys(54), "values after expanding aliases"),
    ],
    ids=["many aliases", "deep expansion", "aliases as keys"],
)
def test_fault_03_billion_laughs_is_bounded(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    error = refused(tmp_path, capsys, engine, text, "contract too large or complex", expected)
    assert_bounded(error, expected)
    with pytest.raises(ContractTooLargeError) as from_text:
        accord.load(text)
    assert_bounded(from_text.value, expected)


@pytest.mark.parametrize(
    "style", ["flow sequence", "flow mapping", "block sequence", "block mapping"]
)
def test_fault_03_deeply_nested_contract_is_bounded(
    style: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    text = deep(style, 20_000)
    expected = "nesting deeper than 64 levels"
    error = refused(tmp_path, capsys, engine, text, "contract too large or complex", expected)
    assert_bounded(error, expected)
    assert error.problems[0].source == str(tmp_path / "contract.yaml")


def test_fault_03_nesting_below_the_limit_loads(tmp_path: Path) -> None:
    text = HEADER + "x-deep: " + "[" * 60 + "]" * 60 + "\n" + SIMPLE
    assert accord.load(text).name == "t"
    assert accord.load(laughs(3, 5)).name == "t"  # a few aliases are fine


def test_fault_03_oversized_contract_refused_without_reading_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    padding = "# " + "x" * 1000 + "\n"
    text = contract_text(SIMPLE) + padding * (yaml_tree.MAX_BYTES // len(padding) + 1)
    assert len(text.encode()) > yaml_tree.MAX_BYTES
    error = refused(tmp_path, capsys, engine, text, "larger than 2 MiB")
    assert_bounded(error, "larger than 2 MiB")
    with pytest.raises(ContractTooLargeError):
        accord.load(text)  # text handed in directly is measured too
    # A file is read no further than the limit: a never-ending source is refused.
    if Path("/dev/zero").exists():
        lint = cli(capsys, "lint", "/dev/zero")
        assert lint.code == 2 and "larger than 2 MiB" in lint.err
    # Exactly at the limit is still loaded.
    at_limit = contract_text(SIMPLE)
    at_limit += "#" * (yaml_tree.MAX_BYTES - len(at_limit.encode()) - 1) + "\n"
    assert len(at_limit.encode()) == yaml_tree.MAX_BYTES
    assert accord.load(write(tmp_path / "limit.yaml", at_limit)).name == "t"


# -- row 4 ------------------------------------------------------------------------------------

CATASTROPHIC = """\
fields:
  s:
    type: string
    checks:
      - pattern: "^(a+)+$"
"""
API_SCRIPT = """
import sys, accord, polars as pl
contract = accord.load(sys.argv[1])
frame = pl.read_csv(sys.argv[2])
if sys.argv[3] == "pandas":
    frame = frame.to_pandas()
report = contract.validate(frame)
print(report.violations[0].code, report.violations[0].failure_count)
"""


def test_fault_04_catastrophic_regex_ends_on_both_engines(tmp_path: Path, engine: str) -> None:
    contract = write_contract(tmp_path, CATASTROPHIC)
    hostile = "a" * 50_000 + "!"
    data = write(tmp_path / "data.csv", "s\n" + f"{hostile}\n" * 20 + "aaa\n")
    # A subprocess with a generous timeout: a hang fails this test instead of hanging CI.
    command = [sys.executable, "-m", "accord.cli.app", "validate", str(contract), str(data)]
    done = subprocess.run(
        [*command, "--engine", engine, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (found,) = json.loads(done.stdout)["violations"]
    assert (found["code"], found["failure_count"]) == ("check.failed", 20)
    assert [e["row"] for e in found["examples"]] == [0, 1, 2, 3, 4]
    assert found["examples"][0]["value"] == hostile  # the JSON report keeps the whole value
    api = subprocess.run(
        [sys.executable, "-c", API_SCRIPT, str(contract), str(data), engine],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert api.returncode == 0, api.stderr
    assert api.stdout.split() == ["check.failed", "20"]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"^(a)\\1$", "backreferences"),
        ("^(?=a)a$", "lookahead/lookbehind"),
        ("^(?<=a)b$", "lookahead/lookbehind"),
        ("^(?!a)b$", "negative lookahead/lookbehind"),
        ("^(?<!a)b$", "negative lookahead/lookbehind"),
        ("^(?>a+)$", "atomic groups"),
        ("^a*+$", "possessive quantifiers"),
        ("^(a)?(?(1)b|c)$", "conditional backreferences"),
    ],
)
def test_fault_04_non_linear_regex_features_refused_at_load(
    pattern: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    text = contract_text(
        f'fields:\n  s:\n    type: string\n    checks:\n      - pattern: "{pattern}"\n'
    )
    refused(
        tmp_path,
        capsys,
        engine,
        text,
        "invalid pattern for field s:",
        f"{reason} cannot run in a linear-time regex engine",
    )


# -- row 5 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "detail"),
    [
        ("[a-", "unterminated character set at position 0"),
        ("(", "missing ), unterminated subpattern at position 0"),
        ("*a", "nothing to repeat at position 0"),
        ("a{2,1}", "min repeat greater than max repeat at position 2"),
        ("(?P<x>a)(?P<x>b)", "redefinition of group name 'x'"),
    ],
)
def test_fault_05_invalid_regex_is_a_contract_error_at_load(
    pattern: str, detail: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    text = contract_text(
        f"fields:\n  f:\n    type: string\n    checks:\n      - pattern: '{pattern}'\n"
    )
    error = refused(tmp_path, capsys, engine, text, "invalid pattern for field f:", detail)
    (problem,) = error.problems
    assert (problem.line, problem.location) == (8, "fields.f.checks[0].pattern")
    # with good data present, the contract is still refused before validation
    run = validate(capsys, tmp_path / "contract.yaml", write(tmp_path / "d.csv", "f\nx\n"), engine)
    assert run.code == 2 and "re.error" not in run.err


# -- row 6 ------------------------------------------------------------------------------------

BROKEN_FILES: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "contract.yaml contract file not found"),
    "empty": (b"", "contract.yaml contract is empty"),
    "only a comment": (b"# nothing here\n", "contract.yaml contract is empty"),
    "only a BOM": (b"\xef\xbb\xbf", "contract.yaml contract is empty"),
    "a list": (b"- accord: 1\n- name: t\n", "contract.yaml:1:1 a contract must be a YAML mapping"),
    "a scalar": (b"hello\n", "contract.yaml:1:1 a contract must be a YAML mapping"),
    "null document": (b"~\n", "contract.yaml contract is empty"),
    "syntax error": (
        b"accord: 1\nname: [t\nversion: 1.0.0\n",
        "contract.yaml:3:8 YAML syntax error: while parsing a flow sequence",
    ),
    "bad indentation": (
        b"accord: 1\nfields:\n  a: {type: int64}\n b: 1\n",
        "contract.yaml:4:2 YAML syntax error",
    ),
    "several documents": (
        b"accord: 1\n---\naccord: 1\n",
        "contract.yaml a contract file holds one YAML document; found several",
    ),
    "not UTF-8": (
        b"accord: 1\nname: caf\xe9\n",
        "contract.yaml contract is not UTF-8 text (bad byte at offset 19)",
    ),
    "NUL byte": (
        b"accord: 1\x00\n",
        "contract.yaml:1:10 YAML syntax error: character #x0000 is not allowed",
    ),
    "raw escape character": (
        b"accord: 1\nname: t\x1b[2J\n",
        "contract.yaml:2:8 YAML syntax error: character #x001b is not allowed",
    ),
    "a directory": (None, "is a directory, not a contract file"),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_fault_06_missing_empty_or_malformed_contract(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    content, message = BROKEN_FILES[case]
    path = tmp_path / "contract.yaml"
    if case == "a directory":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    data = data_csv(tmp_path)
    for args in (["lint", path], ["validate", path, data, "--engine", engine]):
        run = cli(capsys, *args)
        assert run.code == 2 and run.out == ""
        assert message in run.err, run.err
    with pytest.raises(ContractError) as caught:
        accord.load(path)
    assert message in str(caught.value)


# -- row 7 ------------------------------------------------------------------------------------

TYPOS = """\
nmae: t
accord: 1
name: t
version: 1.0.0
source:
  csv: {delimeter: ";"}
dataset:
  primay_key: [a]
fields:
  a:
    type: int64
    requried: true
    checks:
      - minimun: 0
      - between: {min: 0, maxx: 3}
      - max: 5
        severty: warning
  b: {type: string, nulable: true}
profiles:
  serving: {forbid_role: [label]}
"""
TYPO_PROBLEMS = [
    "contract.yaml:1:1 unknown key 'nmae' (did you mean 'name'?)",
    "contract.yaml:6:9 source.csv: unknown key 'delimeter' (did you mean 'delimiter'?)",
    "contract.yaml:8:3 dataset: unknown key 'primay_key' (did you mean 'primary_key'?)",
    "contract.yaml:12:5 fields.a: unknown key 'requried' (did you mean 'required'?)",
    "fields.a.checks[0].minimun: unknown check 'minimun' (did you mean 'min'?)",
    "fields.a.checks[1].between: unknown key 'maxx' (did you mean 'max'?)",
    "fields.a.checks[2].severty: unknown key 'severty' beside the check 'max' (did you mean "
    "'severity'?)",
    "fields.b: unknown key 'nulable' (did you mean 'nullable'?)",
    "profiles.serving: unknown key 'forbid_role' (did you mean 'forbid_roles'?)",
]


def test_fault_07_unknown_and_misspelt_keys_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    error = refused(tmp_path, capsys, engine, TYPOS, *TYPO_PROBLEMS)
    assert len(error.problems) == len(TYPO_PROBLEMS)  # all at once, nothing twice
    # x- extension keys are the one exception, at every level that allows them
    fine = contract_text(
        """\
        x-team: payments
        fields:
          a:
            type: int64
            x-notes: {owner: me}
            checks:
              - min: 0
                x-ticket: DATA-1
        """
    )
    assert accord.load(fine).model.extensions == {"x-team": "payments"}


# -- row 8 ------------------------------------------------------------------------------------

IMPOSSIBLE = """\
dataset:
  primary_key: [zzz, a, a]
  unique: [[nope], []]
  row_count: {min: 10, max: 1}
  freshness: {field: b, max_age: 1h}
  rules:
    - {name: r, assert: "ghost > 0"}
    - {name: r, assert: "a > 'x'"}
fields:
  a:
    type: integer
    tz: UTC
    checks:
      - between: {min: 10, max: 1}
      - pattern: "^[0-9]+$"
      - in: []
      - in: [1, null]
      - between: {min: 1, max: 1, inclusive: neither}
      - max: 1.5
  b:
    type: string
    categories: [x]
    checks:
      - length: {min: 5, max: 2}
      - mean_between: {min: 0, max: 1}
      - between: {min: a, max: b}
  c: {type: category, categories: []}
  d: {type: int8, checks: [{max: 300}]}
  e: {type: date, checks: [{min: "01/02/2020"}]}
  f: {type: list}
"""
IMPOSSIBLE_PROBLEMS = [
    "dataset.primary_key[0]: no field named 'zzz'",
    "dataset.primary_key: primary_key names a field twice",
    "dataset.unique[0][0]: no field named 'nope'",
    "dataset.unique[1]: a unique group needs at least one field",
    "dataset.row_count: min 10 is greater than max 1",
    "dataset.freshness.field: freshness needs a timestamp or date field; 'b' is string",
    "rule refers to no field named 'ghost'",
    "dataset.rules[1].name: rule name 'r' is used twice",
    "fields.a.tz: 'tz' applies to timestamp fields only, not integer",
    "fields.a.checks[0].between: min 10 is greater than max 1",
    "fields.a.checks[1].pattern: 'pattern' applies to string and category fields, not integer",
    "fields.a.checks[2].in: 'in' list is empty: no value could ever pass",
    "fields.a.checks[3].in[1]: null in an 'in' list",
    "between 1 and 1 (neither) admits nothing",
    "expected an integer for a integer field, got 1.5",
    "fields.b.categories: 'categories' applies to category fields, not string",
    "fields.b.checks[0].length: min 5 is greater than max 2",
    "fields.b.checks[1].mean_between: 'mean_between' needs a numeric field, not string",
    "fields.b.checks[2].between: 'between' compares order, which string fields do not have",
    "fields.c.categories: 'categories' is empty",
    "300 does not fit in int8 (-128 to 127)",
    "expected a date written YYYY-MM-DD, got '01/02/2020'",
    "fields.f: a list field needs 'items' to declare its element type",
]


def test_fault_08_impossible_constraints_all_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    error = refused(tmp_path, capsys, engine, contract_text(IMPOSSIBLE), *IMPOSSIBLE_PROBLEMS)
    messages = [str(p) for p in error.problems]
    for expected in IMPOSSIBLE_PROBLEMS:
        assert sum(expected in m for m in messages) == 1, expected
    assert all(p.line is not None for p in error.problems)


@pytest.mark.parametrize("zone", ["Nowhere/City", "", "../../etc/passwd"])
def test_fault_08_unknown_time_zone_with_timestamp_bounds_is_listed(
    zone: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """The bound of a check on a field with a bad ``tz`` cannot be read in that zone; the zone
    is the problem to report, not a ZoneInfo exception out of the loader."""
    text = contract_text(
        f"""\
        fields:
          t:
            type: timestamp
            tz: "{zone}"
            checks:
              - min: "2020-01-01T00:00:00"
        """
    )
    error = refused(tmp_path, capsys, engine, text, "fields.t.tz: unknown time zone")
    assert all("ZoneInfo" not in p.message for p in error.problems)


# -- row 9 ------------------------------------------------------------------------------------


def unreadable(tmp_path: Path, case: str) -> tuple[Path | str, str]:
    if case == "missing file":
        return tmp_path / "absent.csv", "absent.csv: not found"
    if case == "empty directory":
        (tmp_path / "empty").mkdir()
        return tmp_path / "empty", "is a directory with no data files"
    if case == "directory without data files":
        (tmp_path / "docs").mkdir()
        write(tmp_path / "docs" / "README.md", "# no data\n")
        return tmp_path / "docs", "is a directory with no data files"
    if case == "broken symlink":
        link = tmp_path / "link.csv"
        link.symlink_to(tmp_path / "gone.csv")
        return link, "not found (a broken symbolic link)"
    if case == "glob matching nothing":
        return str(tmp_path / "*.parquet"), "no data files match"
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "empty directory",
        "directory without data files",
        "broken symlink",
        "glob matching nothing",
    ],
)
def test_fault_09_data_missing_or_a_directory(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, SIMPLE)
    target, message = unreadable(tmp_path, case)
    run = validate(capsys, contract, Path(target), engine)
    assert run.code == 2 and run.out == ""  # never a report, never exit 0 with 0 rows
    assert "error: cannot read data" in run.err and message in run.err
    with pytest.raises(DataReadError, match=r"cannot read data|no data files"):
        read_dataset([target], accord.load(contract).model)


def test_fault_09_data_without_permission(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contract = write_contract(tmp_path, SIMPLE)
    data = data_csv(tmp_path)
    data.chmod(0)
    if os.geteuid() == 0:  # root reads anything: ask the operating system's question for it
        real_access = os.access
        monkeypatch.setattr(
            os,  # the module discovery asks (sources, paths: the same os)
            "access",
            lambda path, mode: False if Path(path) == data else real_access(path, mode),
        )
    run = validate(capsys, contract, data, engine)
    assert run.code == 2 and run.out == ""
    assert f"cannot read data {data}: permission denied" in run.err


def test_fault_09_permission_lost_while_reading(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file passes the access check, then opening it fails (a race, an ACL, a FUSE mount)."""
    import polars as pl

    contract = write_contract(tmp_path, SIMPLE)
    pl.DataFrame({"a": [1]}).write_parquet(tmp_path / "data.parquet")
    real_open = Path.open
    for data in (data_csv(tmp_path), tmp_path / "data.parquet"):

        def deny(self: Path, *args: Any, target: Path = data, **kwargs: Any) -> Any:
            if self == target:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        with monkeypatch.context() as patched:
            patched.setattr(Path, "open", deny)
            run = validate(capsys, contract, data, engine)
        assert run.code == 2 and run.out == ""
        assert f"cannot read data {data}: permission denied" in run.err


def test_fault_09_contract_text_never_taken_for_a_path(tmp_path: Path) -> None:
    """A one-line string is a path; a multi-line one is YAML text, never opened as a file."""
    with pytest.raises(ContractError, match="contract file not found"):
        accord.load(str(tmp_path / "nope.yaml"))
    assert accord.load(textwrap.dedent(contract_text(SIMPLE))).name == "t"
