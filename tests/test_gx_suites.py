"""Real Great Expectations suites (tests/fixtures/gx_suites, sources in SOURCES.md) import as an
accord contract, or exit 2 with one clear reason; never a traceback, and every expectation is
either in the contract or kept under ``x-gx.unmapped`` with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli.app import main
from accord.contract.loader import load_contract
from accord.interop.gx_import import contract_from_suite
from accord.interop.gx_suite import read_suite

SUITES = Path(__file__).parent / "fixtures" / "gx_suites"
DATA = SUITES / "data"
# A suite whose name holds a key is imported with the sample of its data (--data, sources in
# SOURCES.md); the others without data.
WITH_DATA = {
    "titanic": "Titanic.csv",
    "Titanic": "Titanic.csv",
    "render__": "Titanic.csv",
    "v2v3__": "Titanic.csv",
    "visitors_exp": "visits.tsv",
    "gcp_deployment": "yellow_tripdata_sample_2019-01.csv",
    "bob-ross": "bob-ross-elements-by-episode.csv",
}
NEEDS_TYPES = "pass --data FILE (a sample of the data) to infer them"
NO_COLUMN = "which the suite checks; no type can be inferred for them"
NOTHING = "no expectation names a column accord can check"
EXPECTED = {
    "data_asset_configurations__parameterized_expectations_config_fixture.json": NOTHING,
    "examples__integrations__spark__titanic_csv_dataset__default__titanic_victims__"
    "expectation_suite-titanic_victims.json": NO_COLUMN,  # columns the Spark job derives
    "examples__integrations__spark__titanic_csv_dataset__default__titanic_victims_before_"
    "processing__expectation_suite-titanic_victims_before_processing.json": 0,
    "examples__pandas_filesystem__Titanic__csv__warning.json": NO_COLUMN,  # pandas' "Unnamed: 0"
    "examples__titanic_custom_expectations.json": 0,
    "examples__titanic_expectations.json": 0,
    "expectation_suites__parameterized_expectation_suite_fixture.json": NOTHING,
    "expectation_suites__parameterized_expression_expectation_suite_fixture.json": NOTHING,
    "integration__fixtures__failed_rows__visitors_exp.json": 0,
    "integration__fixtures__gcp_deployment__test_bigquery_suite.json": 0,
    "integration__fixtures__gcp_deployment__test_gcs_suite.json": 0,
    "more_test_expectations.json": 0,
    "movielens_project__mydb__default__genres__BasicDatasetProfiler.json": NEEDS_TYPES,
    "movielens_project__mydb__default__genres_movies__BasicDatasetProfiler.json": NEEDS_TYPES,
    "movielens_project__mydb__default__movies__BasicDatasetProfiler.json": NEEDS_TYPES,
    "movielens_project__mydb__default__occupations__BasicDatasetProfiler.json": NEEDS_TYPES,
    "movielens_project__mydb__default__ratings__BasicDatasetProfiler.json": NEEDS_TYPES,
    "movielens_project__mydb__default__users__BasicDatasetProfiler.json": NEEDS_TYPES,
    "pk_demo__pandas__visitors_exp.json": 0,
    "pk_demo__spark__visitors_exp.json": 0,
    "pk_demo__sqlite__visitors_exp.json": 0,
    "pk_demo_fds__pandas__visitors_exp.json": 0,
    "pk_demo_fds__spark__visitors_exp.json": 0,
    "render__fixtures__BasicDatasetProfiler_expectations.json": 0,
    "render__fixtures__BasicDatasetProfiler_expectations_with_distribution.json": 0,
    "test_sets__titanic_custom_expectations.json": 0,
    "test_sets__titanic_expectations.json": 0,
    "test_sets__titanic_parameterized_expectations.json": 0,
    "v080__bob-ross__BasicDatasetProfiler.json": 0,
    "v080__bob-ross__warning.json": 0,
    "v2v3__pandas__v2__Titanic__profiled.json": NO_COLUMN,
    "v2v3__pandas__v2__finally.json": NO_COLUMN,
    "v2v3__pandas__v3__Titanic__profiled_set1.json": NO_COLUMN,
    "v2v3__pandas__v3__Titanic__profiled_set2.json": 0,
    "v2v3__spark__v2__Titanic__profiled.json": NO_COLUMN,
}


def test_every_fixture_has_an_expected_outcome_and_a_recorded_source() -> None:
    files = sorted(p.name for p in SUITES.glob("*.json"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 30
    sources = (SUITES / "SOURCES.md").read_text()
    assert all(f"`{name}`" in sources for name in files)
    assert "Apache License" in (SUITES / "LICENSE").read_text()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_suite_imports_or_says_why_not(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SUITES / name
    out = tmp_path / "contract.yaml"
    data = ["--data", str(DATA / _data_for(name))] if _data_for(name) else []
    capsys.readouterr()
    code = main(["import", "gx", str(path), "-o", str(out), *data])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    expected = EXPECTED[name]
    suite = read_suite(json.loads(path.read_text()), name)
    imported = contract_from_suite(suite, fallback_name=path.stem)
    # each expectation without an accord form has its line on stderr
    for where, reason in imported.unmapped:
        assert f"{where}: {reason}" in err
    if expected != 0:
        assert code == 2
        [error] = [line for line in err.splitlines() if line.startswith("error:")]
        assert expected in error
        assert not out.exists()
        return
    assert code == 0, err
    contract = load_contract(out)
    kept = contract.extensions.get("x-gx", {}).get("unmapped", [])
    # nothing silently dropped: each expectation is in the contract or kept with its reason
    accepted = len(set(imported.mapped)) - len(_moved(err))
    assert accepted + len(kept) == len(suite.expectations)
    assert all(item["reason"] for item in kept)
    assert {json.dumps(item["expectation"], sort_keys=True) for item in kept} <= {
        json.dumps(e.raw, sort_keys=True) for e in suite.expectations
    }


def _data_for(name: str) -> str | None:
    return next((file for key, file in WITH_DATA.items() if key in name), None)


def test_the_outcomes_over_all_suites() -> None:
    """The count the docs report: which suites import and why the others do not."""
    outcomes = list(EXPECTED.values())
    assert outcomes.count(0) == 20
    assert outcomes.count(NEEDS_TYPES) == 6  # MovieLens: no public data to infer types from
    assert outcomes.count(NOTHING) == 3  # only suite parameters, known at run time
    assert outcomes.count(NO_COLUMN) == 6  # columns named by pandas or Spark, not in the file


def test_every_data_sample_is_small_used_and_recorded() -> None:
    sources = (SUITES / "SOURCES.md").read_text()
    samples = sorted(p.name for p in DATA.iterdir())
    assert samples == sorted(set(WITH_DATA.values()))
    for sample in samples:
        assert f"`data/{sample}`" in sources
        assert (DATA / sample).stat().st_size < 100_000


def _moved(err: str) -> list[str]:
    """The checks the loader refused, which the command moved under x-gx (one line each)."""
    return [line for line in err.splitlines() if line.startswith(("fields.", "dataset."))]
