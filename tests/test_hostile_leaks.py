"""Issue 11, leaks: no value of a ``pii: true`` field reaches a report or a stats file.

The secret values are chosen to appear nowhere else (not in a count, a threshold or a date the
contract names), so finding any rendering of them in the output is a leak.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from accord.drift import ReferenceProfile
from fault_support import cli, write, write_contract

FORMATS = ["text", "json", "junit", "markdown", "github", "html"]
SECRET_TIME = "1987-06-05"  # the newest pii timestamp's date
SECRET_CLOCK = "04:03:02"
SECRET_NUMBER = "4817.29"  # the median, and the largest, pii number
SECRETS = [SECRET_TIME, SECRET_CLOCK, "4817", "1987", "3141.59", "3141", "1000.5"]

CONTRACT = """\
fields:
  id: {type: int64}
  seen: {type: timestamp, pii: true}
  salary:
    {type: float64, pii: true, nullable: true, role: feature,
     checks:
       [{median_between: {min: 0, max: 10}}, {max_between: {min: 0, max: 10}},
        {min_between: {min: 2000, max: 3000}}]}
  name: {type: string, pii: true, role: feature}
dataset:
  freshness: {field: seen, max_age: 1d}
drift:
  default: {psi: 0.2}
  fields:
    salary: {psi: 0.2, ks: 0.1, mean_shift: 0.25, null_fraction_delta: 0.05}
"""


def _data(tmp_path: Path) -> Path:
    rows = [
        "id,seen,salary,name",
        "1,1980-01-01T00:00:00,1000.5,Alice Secretname",
        f"2,{SECRET_TIME}T{SECRET_CLOCK},{SECRET_NUMBER},Bob Hiddenname",
        "3,1979-02-02T00:00:00,3141.59,Carol Quietname",
        "4,1978-03-03T00:00:00,,Dan Silentname",
    ]
    return write(tmp_path / "people.csv", "\n".join(rows) + "\n")


NAMES = ["Alice", "Secretname", "Hiddenname", "Quietname", "Silentname"]


def _assert_no_secret(text: str, where: str) -> None:
    for secret in [*SECRETS, *NAMES]:
        assert secret not in text, f"{secret!r} leaks into {where}"


@pytest.fixture
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that takes no time: its duration (``took 0.3141 s``) can then not spell a secret."""
    from accord.run import setup, verdicts

    still = types.SimpleNamespace(perf_counter=lambda: 0.0)
    for module in (setup, verdicts):
        monkeypatch.setattr(module, "time", still)


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_no_pii_value_in_any_report_format(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], still_clock: None
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    data = _data(tmp_path)
    as_of = ["--as-of", "2026-01-01T00:00:00"]
    for fmt in FORMATS:
        run = cli(capsys, "validate", contract, data, "--engine", engine, "--format", fmt, *as_of)
        assert run.code == 1, (fmt, run.err)
        _assert_no_secret(run.out + run.err, f"the {fmt} report")
        if fmt == "json":
            codes = {v["code"]: v for v in run.report["violations"]}
            # Still reported, only the value is hidden.
            assert "<redacted>" in codes["dataset.freshness"]["message"]
            assert codes["dataset.freshness"]["details"]["observed"] == "<redacted>"
            # the median, the largest and the smallest salary are values of the field
            salary = [v for v in run.report["violations"] if v["field"] == "salary"]
            assert len(salary) == 3
            for violation in salary:
                assert "<redacted>" in violation["message"], violation
                assert violation["details"]["observed"] == "<redacted>", violation


def test_a_non_pii_freshness_value_is_still_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, CONTRACT.replace("pii: true", "pii: false"))
    run = cli(
        capsys, "validate", contract, _data(tmp_path), "--format", "json", "--as-of", "2026-01-01"
    )
    freshness = next(v for v in run.report["violations"] if v["code"] == "dataset.freshness")
    assert SECRET_TIME in freshness["message"]


@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_profile_stores_no_value_of_a_pii_field(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], still_clock: None
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    data = _data(tmp_path)
    stats = tmp_path / "stats.json"
    run = cli(capsys, "profile", contract, data, "-o", stats, "--engine", engine)
    assert run.code == 0, run.err
    text = stats.read_text(encoding="utf-8")
    _assert_no_secret(text, "the profile")
    profile = ReferenceProfile.read(stats)
    salary, seen = profile.fields["salary"], profile.fields["seen"]
    assert salary.kind == "numeric" and salary.values_withheld
    assert (salary.count, salary.null_fraction) == (3, 0.25)
    assert (salary.bin_edges, salary.quantiles, salary.mean, salary.max) == ([], [], None, None)
    assert seen.kind == "temporal" and seen.values_withheld and seen.max is None
    name = profile.fields["name"]
    assert name.kind == "categorical" and name.hashed  # hashed, as before

    # Drift then says what it could not check, and checks what needs no value.
    args = ["validate", contract, data, "--reference", stats, "--format", "json"]
    run = cli(capsys, *args, "--engine", engine, "--as-of", "1987-06-06")
    assert run.code == 1, run.err  # the median check fails; drift only warns
    report = run.report
    _assert_no_secret(json.dumps(report), "the drift report")
    status = {
        c["check"]: c["status"]
        for c in report["checks"]
        if c["field"] == "salary" and c["check_id"].startswith("drift.")
    }
    assert status == {
        "psi": "skipped",
        "ks": "skipped",
        "mean_shift": "skipped",
        "null_fraction_delta": "passed",
    }
    skipped = [v for v in report["violations"] if v["code"] == "check.skipped"]
    assert any("the field is pii" in v["message"] for v in skipped)
