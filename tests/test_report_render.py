"""The six renderers: golden files, format-specific structure, and hostile data.

Set ACCORD_UPDATE_GOLDEN=1 to rewrite the golden files from the current output.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from accord.errors import UsageError
from accord.report import (
    RENDERERS,
    CheckResult,
    Code,
    Example,
    Report,
    Severity,
    Violation,
    load_report_schema,
    render,
)
from accord.report.render.github import escape_data, escape_property
from accord.report.render.text import render_text
from accord.report.sanitize import clean_text, format_fraction, visible_text
from report_fixtures import clean_report, realistic_report

GOLDEN = Path(__file__).parent / "golden" / "report"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "junit": "xml",
    "markdown": "md",
    "github": "github.txt",
    "html": "html",
}
HOSTILE = "\x1b[31mred\x1b[0m | <script>alert(1)</script> [bold]x[/bold] 100%,a:b\r\n\x00\x9b\u202e"


def hostile_report(**overrides: Any) -> Report:
    v = Violation(
        code=Code.CHECK_FAILED,
        severity=Severity.ERROR,
        field=HOSTILE,
        check="pattern",
        check_id="fields.x.checks[0]",
        message=f"bad value {HOSTILE}",
        examples=[Example(row=3, value=HOSTILE, file=HOSTILE), Example(row=4, value=b"\xff")],
        contract_line=7,
    )
    check = CheckResult(
        check_id="fields.x.checks[0]",
        field=HOSTILE,
        check="pattern",
        status="failed",
        severity=Severity.ERROR,
    )
    return realistic_report(**({"violations": [v], "checks": [check]} | overrides))


def control_chars(text: str) -> set[str]:
    """Every control, format or other invisible character in ``text`` but the line breaks."""
    return {c for c in text if c != "\n" and (unicodedata.category(c)[0] in "CZ" and c != " ")}


# --- registry ------------------------------------------------------------------------------


def test_registry_has_every_spec_format() -> None:
    assert set(RENDERERS) == {"text", "json", "junit", "markdown", "github", "html"}


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(UsageError) as caught:
        render(realistic_report(), "jsn")
    message = str(caught.value)
    assert "github, html, json, junit, markdown, text" in message
    assert "did you mean 'json'" in message


def test_report_methods_use_the_registry() -> None:
    report = realistic_report()
    assert report.render("junit") == report.to_junit() == RENDERERS["junit"](report)
    assert report.render("JSON") == report.to_json()


# --- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt: str) -> None:
    output = render(realistic_report(), fmt)
    path = GOLDEN / f"transactions.{SUFFIX[fmt]}"
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"missing {path}; run with ACCORD_UPDATE_GOLDEN=1 to create it"
    assert output == path.read_bytes().decode("utf-8"), (
        f"{fmt} output differs from {path}; if the change is intended, rerun with "
        "ACCORD_UPDATE_GOLDEN=1 and review the diff"
    )


# --- text ----------------------------------------------------------------------------------


def test_text_states_the_verdict_in_words() -> None:
    assert "FAILED" in render_text(realistic_report())
    assert "PASSED" in render_text(clean_report())
    assert "No violations." in render_text(clean_report())
    incomplete = render_text(realistic_report(complete=False))
    assert "INCOMPLETE" in incomplete
    assert "PASSED" not in incomplete


def test_text_colour_only_when_asked() -> None:
    assert "\x1b" not in render_text(realistic_report())
    assert "\x1b[" in render_text(realistic_report(), color=True)


def test_text_ignores_terminal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = render_text(realistic_report())
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert render_text(realistic_report()) == plain
    assert max(len(line) for line in plain.splitlines()) <= 120


def test_text_groups_dataset_first_and_shows_three_examples() -> None:
    text = render_text(realistic_report())
    assert text.index("dataset: 1 violation") < text.index("field customer_id")
    assert "row 77310: 1250000.0" in text
    assert "row 90002" not in text  # the fourth example is left to the JSON report
    assert "1 more in the JSON" in text


def test_text_shows_hostile_data_literally_and_safely() -> None:
    text = render_text(hostile_report(), color=True)
    assert control_chars(text) == {"\x1b"}  # only rich's own colour codes remain
    plain = render_text(hostile_report())
    assert not control_chars(plain)
    assert "\\x1b[31mred" in plain
    assert "[bold]x[/bold]" in plain  # markup in data is shown, not interpreted


def test_clean_text_escapes_rich_markup() -> None:
    from rich.text import Text

    data = "[bold]x[/bold] [link=https://evil]y a\\"
    # Markup the caller wraps around cleaned data still works; the data stays literal.
    assert Text.from_markup(f"[red]{clean_text(data)}[/red]").plain == data
    assert clean_text("a\x1b[2Jb\tc") == "a\\x1b[2Jb\\tc"


def test_visible_text_exposes_invisible_characters() -> None:
    assert visible_text("ok\r\n\x00\x7f\x9b\u202e") == "ok\\r\\n\\x00\\x7f\\x9b\\u202e"
    assert visible_text("a\u200bb\u00a0c\U000e0041") == "a\\u200bb\\xa0c\\U000e0041"
    assert visible_text("naïve 日本 😀") == "naïve 日本 😀"


# --- junit ---------------------------------------------------------------------------------


def junit_root(report: Report) -> ET.Element:
    return ET.fromstring(report.to_junit().encode("utf-8"))


def check_junit_structure(root: ET.Element) -> ET.Element:
    """Assert what the JUnit XSD requires; return the single testsuite."""
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    for attr in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp"):
        assert suite.get(attr) is not None, attr
    assert int(suite.get("tests", "-1")) == len(cases)
    for kind, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        assert int(suite.get(attr, "-1")) == sum(1 for c in cases if c.find(kind) is not None)
        assert root.get(attr) == suite.get(attr)
    for case in cases:
        assert case.get("name")
        assert case.get("classname")
        outcomes = [child.tag for child in case if child.tag in {"failure", "error", "skipped"}]
        assert len(outcomes) <= 1
    return suite


def test_junit_structure_and_counts() -> None:
    suite = check_junit_structure(junit_root(realistic_report()))
    assert suite.get("name") == "accord:transactions"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("10", "4", "1")
    names = [c.get("name") for c in suite.iter("testcase")]
    assert len(names) == len(set(names))


def test_junit_has_one_testcase_per_check_plus_unmatched_violations() -> None:
    report = realistic_report()
    cases = {c.get("name"): c for c in junit_root(report).iter("testcase")}
    assert {c.check_id for c in report.checks} <= set(cases)
    missing = cases["fields.customer_id.required"]  # this fixture has no CheckResult for it
    assert missing.get("classname") == "transactions.customer_id"
    failure = missing.find("failure")
    assert failure is not None
    assert failure.get("type") == "field.missing"
    assert cases["field.unexpected"].find("system-out") is not None
    between = cases["fields.amount.checks[0]"].find("failure")
    assert between is not None
    assert "row 5120: -3.2" in (between.text or "")
    skipped = cases["fields.country.checks[0]"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "column 'country' has the wrong type"


@pytest.mark.parametrize(("fail_on", "as_failure"), [("error", False), ("warning", True)])
def test_junit_warnings_fail_only_with_fail_on_warning(fail_on: str, as_failure: bool) -> None:
    case = next(
        c
        for c in junit_root(realistic_report(fail_on=fail_on)).iter("testcase")
        if c.get("name") == "fields.email.checks[0]"
    )
    assert (case.find("failure") is not None) is as_failure
    assert (case.find("system-out") is not None) is not as_failure


def test_junit_marks_an_incomplete_run_as_an_error() -> None:
    suite = check_junit_structure(junit_root(realistic_report(complete=False)))
    assert suite.get("errors") == "1"


def test_junit_survives_xml_illegal_characters() -> None:
    report = hostile_report(
        violations=[
            Violation(
                code=Code.FIELD_NULL,
                severity=Severity.ERROR,
                field="a\x00\ufffe",
                message="\x01\x1b\uffff",
                examples=[Example(row=0, value="\x0b\x0c")],
            )
        ]
    )
    check_junit_structure(junit_root(report))


# --- markdown ------------------------------------------------------------------------------


def unescaped_pipes(line: str) -> int:
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count


def assert_markdown_tables(markdown: str) -> int:
    """Every table's rows have as many cells as its header; return the number of tables."""
    tables = [block.splitlines() for block in re.split(r"\n\s*\n", markdown) if block[:1] == "|"]
    for rows in tables:
        widths = {unescaped_pipes(row) for row in rows}
        assert len(widths) == 1, rows
        assert re.fullmatch(r"(\| --- )+\|", rows[1])
    return len(tables)


def test_markdown_renders_tables() -> None:
    markdown = render(realistic_report(), "markdown")
    assert markdown.startswith("## ❌ FAILED")
    assert assert_markdown_tables(markdown) == 3  # summary, violations, notes
    assert "| severity | field | code | check | failures | examples | message | line |" in markdown
    assert '"usd \\| eur"' in markdown


def test_markdown_escapes_hostile_data() -> None:
    markdown = render(hostile_report(), "markdown")
    assert assert_markdown_tables(markdown) == 2
    assert "<script>" not in markdown
    assert not control_chars(markdown)


# --- github --------------------------------------------------------------------------------


def test_github_escaping_matches_actions_toolkit() -> None:
    assert escape_data("100%\r\nx") == "100%25%0D%0Ax"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_one_annotation_per_error_and_warning() -> None:
    report = realistic_report()
    lines = render(report, "github").splitlines()
    # the info item (an undeclared column) is no annotation unless asked for
    assert len(lines) == len(report.violations) - 1
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error",
        "::error",
        "::error",
        "::warning",
        "::error",
        "::warning",
    ]
    assert lines[0] == (
        "::error file=contracts/transactions.yaml,line=31,title=field.missing customer_id"
        "::required field 'customer_id' is missing"
    )


def test_github_notices_only_when_asked() -> None:
    from accord.report.render.github import render_github

    report = realistic_report()
    with_notices = render_github(report, notices=True).splitlines()
    assert len(with_notices) == len(report.violations)
    assert [line for line in with_notices if line.startswith("::notice")] == [
        "::notice file=contracts/transactions.yaml,title=field.unexpected debug_flag"
        "::column 'debug_flag' is not in the contract (columns: open)"
    ]
    assert "::notice" not in render_github(report)


def test_github_data_cannot_forge_commands() -> None:
    output = render(hostile_report(), "github")
    (line,) = output.splitlines()
    props, message = line.removeprefix("::error ").split("::", 1)
    assert "%2C" in props  # the comma in the field name is escaped in the title
    assert "%3A" in props
    assert "\x1b" not in output
    assert "100%25" in message


def test_github_without_contract_path_omits_file_and_line() -> None:
    report = realistic_report(
        contract=realistic_report().contract.model_copy(update={"path": None})
    )
    assert all("file=" not in line for line in render(report, "github").splitlines())


def test_github_reports_an_incomplete_run() -> None:
    output = render(realistic_report(violations=[], failing_rows=0, complete=False), "github")
    assert output.startswith("::error title=accord%3A report incomplete::")


# --- html ----------------------------------------------------------------------------------


def test_html_is_self_contained_and_escapes_data() -> None:
    page = render(hostile_report(), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # nothing is loaded from anywhere: the only links are to places in the page itself
    assert not re.search(r"src=|href=\"[^#]|https?://|@import|url\(", page)
    assert 'href="#' in page
    assert not control_chars(page)


def test_html_groups_by_field_and_states_verdict() -> None:
    page = render(realistic_report(), "html")
    assert page.index("<h3>Dataset") < page.index("<h3>Field <code>customer_id")
    assert ">FAILED<" in page
    assert ">PASSED<" in render(clean_report(), "html")
    assert ">INCOMPLETE<" in render(realistic_report(complete=False), "html")


# --- hypothesis: anything the data holds ---------------------------------------------------

values = st.one_of(st.text(), st.binary(), st.floats(), st.integers(), st.none())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.text(), value=values, message=st.text(), key=st.text())
def test_any_data_yields_valid_output(field: str, value: object, message: str, key: str) -> None:
    v = Violation(
        code=Code.CHECK_FAILED,
        severity=Severity.ERROR,
        field=field,
        check="pattern",
        check_id=f"fields.{field}.checks[0]",
        message=message or "m",
        examples=[Example(row=0, value=value, file=key)],
        details={key: value},
    )
    report = realistic_report(violations=[v])

    text = report.to_json()
    text.encode("utf-8")
    data = json.loads(text, parse_constant=lambda token: pytest.fail(f"emitted {token}"))
    Draft202012Validator(load_report_schema()).validate(data)
    assert Report.from_json(text).to_json() == text

    check_junit_structure(ET.fromstring(report.to_junit().encode("utf-8")))
    assert not control_chars(render_text(report))
    assert len(render(report, "github").splitlines()) == 1
    assert_markdown_tables(render(report, "markdown"))
    render(report, "html").encode("utf-8")


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (None, ""),
        (0.0, "0%"),
        (0.0000971, "0.00971%"),
        (0.0000000083, "<0.0001%"),
        (0.25, "25%"),
        (0.9999995, ">99.9%"),
        (1.0, "100%"),
    ],
)
def test_fractions_never_round_to_a_misleading_end(fraction: float | None, shown: str) -> None:
    assert format_fraction(fraction) == shown


def test_text_respects_a_narrow_terminal_width() -> None:
    text = render_text(realistic_report(), width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "FAILED" in text
