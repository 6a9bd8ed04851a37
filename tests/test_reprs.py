"""What a person sees on ``print(report)``, in a REPL and in a notebook (issue 17)."""

from __future__ import annotations

import re

from report_fixtures import clean_report, realistic_report
from test_diff_render import pull_request
from test_report_render import hostile_report


def test_report_repr_is_one_short_line() -> None:
    report = realistic_report()
    assert repr(report) == (
        "<Report transactions@2.1.0 FAILED: violations 4 errors, 2 warnings in 118 failing rows; "
        "8 checks (2 passed, 5 failed, 1 skipped); 1,204,331 rows>"
    )
    assert "PASSED: violations none" in repr(clean_report())
    assert "INCOMPLETE" in repr(realistic_report(complete=False))


def test_print_report_is_the_verdict_and_first_violations() -> None:
    text = str(realistic_report())
    lines = text.splitlines()
    assert lines[0].startswith("Report transactions@2.1.0 FAILED")
    assert "  error field.missing customer_id: required field 'customer_id' is missing" in lines
    assert not any("field.unexpected" in line for line in lines)  # a note is no violation
    assert len(text) < 1000
    assert "\x1b" not in str(hostile_report())


def test_notebook_shows_the_compact_html_report() -> None:
    fragment = realistic_report()._repr_html_()
    assert fragment.startswith('<div class="accord-report"')
    assert "<html" not in fragment and "<script" not in fragment
    assert "fields.amount.checks[0]" in fragment
    # groups without a failure are folded: the failing field is open, the passing one is not
    assert re.search(
        r'<details class="group [^"]*"[^>]* open><summary><h3>Field <code>amount', fragment
    )
    assert re.search(r'<details class="group has-passed" id="[^"]+"><summary>', fragment)
    # two reports in one notebook never share filter inputs
    assert (
        fragment.split('id="', 1)[1][:11] != clean_report()._repr_html_().split('id="', 1)[1][:11]
    )


def test_contract_diff_repr_str_and_html() -> None:
    diff = pull_request()
    assert repr(diff).startswith("<ContractDiff transactions 2.1.0 -> 2.2.0 FAILED: ")
    assert "breaking), required bump major" in repr(diff)
    assert str(diff).startswith("FAILED  transactions 2.1.0 → 2.2.0")
    fragment = diff._repr_html_()
    assert fragment.startswith('<div class="accord-diff">')
    assert "fields.amount.checks[0].between.max" in fragment
    assert "<script" not in fragment
