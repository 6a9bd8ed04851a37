"""Whatever the data holds, every rendering of the report is well-formed and inert (FAULTS.md
row 36, at random): JSON parses and reads back, XML and HTML parse, and no output carries a
control, bidi or zero-width character taken from the data, column names included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import accord
from accord.report.model import Report
from fault_support import HEADER
from test_faults_output import FORMATS, assert_safe

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Names polars reads as patterns ("*", "^...$") have their own tests in test_faults_output.py.
names = st.text(min_size=1, max_size=12).filter(
    lambda n: n != "*" and not (n.startswith("^") and n.endswith("$"))
)
cells = st.one_of(
    st.text(max_size=12),
    st.binary(max_size=6),
    st.integers(),
    st.floats(),
    st.none(),
    st.sampled_from(["\x1b[2J", "\u202e", "\r\n", "\x00", "%0A::error::x", "<b>", "|", "\ud800"]),
)


def contract_for(name: str) -> accord.Contract:
    body = {
        "fields": {name: {"type": "string", "checks": [{"in": ["ok"]}, {"length": {"max": 3}}]}}
    }
    return accord.load(HEADER + yaml.safe_dump(body, allow_unicode=True))


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@SETTINGS
@given(name=names.filter(encodable), values=st.lists(cells, min_size=1, max_size=6))
def test_any_values_and_names_render_safely(name: str, values: list[Any]) -> None:
    contract = contract_for(name)
    frames = [pd.DataFrame({name: pd.Series(values, dtype=object)})]
    if all(v is None or (isinstance(v, str) and encodable(v)) for v in values):
        frames.append(pl.DataFrame({name: pl.Series(values, dtype=pl.String)}))
    for frame in frames:
        report = contract.validate(frame)
        text = report.to_json()
        assert Report.from_json(text) == report
        assert json.loads(text)["dataset"]["rows"] == len(values)
        for fmt in FORMATS:
            assert_safe(fmt, report.render(fmt))


@settings(SETTINGS, max_examples=25)
@given(
    name=names.filter(lambda n: encodable(n) and "\x00" not in n and "\r" not in n),
    values=st.lists(st.text(max_size=8).filter(encodable), min_size=1, max_size=5),
)
def test_any_csv_text_renders_safely_from_the_command_line(
    name: str, values: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from accord.cli.app import main

    folder = tmp_path_factory.mktemp("csv")
    contract = folder / "c.yaml"
    body = {"fields": {name: {"type": "string", "nullable": True, "checks": [{"in": ["ok"]}]}}}
    contract.write_text(HEADER + yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    data = folder / "d.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name])
    writer.writerows([[v] for v in values])
    data.write_text(buffer.getvalue(), encoding="utf-8")
    note(buffer.getvalue())
    for fmt in FORMATS:
        output = folder / f"report.{fmt}"
        code = main(
            ["validate", str(contract), str(data), "--format", fmt, "--output", str(output)]
        )
        assert code in (0, 1, 2)
        if code == 2:  # a header the CSV reader refuses (a blank name, say) is still clean
            continue
        assert_safe(fmt, Path(output).read_text(encoding="utf-8"))
