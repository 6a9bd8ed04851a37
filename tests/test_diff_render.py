"""The five renderings of a diff, against checked-in golden files, and hostile contract text.

Set ``ACCORD_UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change; review the
git diff of ``tests/golden/diff`` before committing it.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest

from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.diff import ContractDiff, compare, contract_added, contract_removed
from accord.diff.render import FORMATS, render
from accord.errors import UsageError
from test_diff_support import BASE, FIXTURES, GOLDEN, diff_of, load, patched

SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "github": "github", "junit": "xml"}


def _fixture(name: str, label: str) -> ContractModel:
    # A stable label instead of the absolute path, so golden files hold the same text anywhere.
    return load_text((FIXTURES / name).read_text(encoding="utf-8"), source=label)


def pull_request() -> ContractDiff:
    """The realistic PR: raise the amount cap, accept CHF, add an optional channel column."""
    return compare(
        _fixture("transactions_2.1.0.yaml", "main:contracts/transactions.yaml"),
        _fixture("transactions_2.2.0.yaml", "contracts/transactions.yaml"),
    )


def renames() -> ContractDiff:
    return compare(
        _fixture("customers_1.0.0.yaml", "main:contracts/customers.yaml"),
        _fixture("customers_2.0.0.yaml", "contracts/customers.yaml"),
    )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with ACCORD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_pull_request_golden(fmt: str) -> None:
    check_golden(f"transactions_pr.{SUFFIX[fmt]}", render([pull_request()], fmt))


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_rename_golden(fmt: str) -> None:
    check_golden(f"customers_rename.{SUFFIX[fmt]}", render([renames()], fmt))


def test_text_puts_breaking_changes_first_and_names_the_failure() -> None:
    text = render([pull_request()], "text")
    lines = text.splitlines()
    assert lines[0] == "FAILED  transactions 2.1.0 → 2.2.0"
    assert lines.index("Breaking (3)") < lines.index("Not breaking (1)")
    assert "declares a minor bump, but 3 changes breaking under mode full require" in text
    assert "\x1b" not in text  # no colour unless asked for
    assert "\x1b[" in render([pull_request()], "text", color=True)


def test_text_for_identical_and_for_renamed_contracts() -> None:
    same = render([diff_of()], "text")
    assert "no changes" in same and same.startswith("PASSED")
    other = compare(load(BASE), load(patched(BASE, {"name": "invoices"})))
    text = render([other], "text")
    assert "contract names differ" in text and "no changes" not in text


def test_json_of_several_contracts_is_a_list() -> None:
    added = contract_added(_fixture("payments_1.0.0.yaml", "contracts/payments.yaml"))
    removed = contract_removed(_fixture("orders_1.0.0.yaml", "main:contracts/orders.yaml"))
    data = json.loads(render([added, removed], "json", many=True))
    assert [d["old"] for d in data] == [None, {"name": "orders", "version": "1.0.0"}]
    assert [d["passed"] for d in data] == [True, False]
    assert json.loads(render([pull_request()], "json"))["mode"] == "full"


def test_junit_is_valid_xml_with_a_failure_per_breaking_change() -> None:
    root = ET.fromstring(render([pull_request()], "junit").encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    assert (root.get("tests"), root.get("failures")) == ("5", "4")  # 4 changes + version
    version = suite.find("testcase[@name='version']/failure")
    assert version is not None and "minor bump" in (version.get("message") or "")


def test_github_annotations_point_at_contract_lines() -> None:
    lines = render([pull_request()], "github").splitlines()
    assert lines[0].startswith(
        "::error file=contracts/transactions.yaml,line=31,title=accord diff%3A "
        "fields.amount.checks[0].between.max (relaxed%2C breaking)::upper bound of amount raised"
    )
    assert lines[-1].startswith(
        "::error file=contracts/transactions.yaml,line=3,title=accord diff%3A version::"
    )
    assert not any(line.startswith("::notice") and "neutral" in line for line in lines)


HOSTILE = "evil\x1b[31m | `code` <b>x</b>\n::error::forged"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_contract_text_cannot_escape_its_place(fmt: str) -> None:
    result = diff_of(new_patch={"fields.amount.description": HOSTILE})
    out = render([result], fmt)
    assert "\x1b" not in out
    if fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines())
        assert "\n::error::forged" not in out
    if fmt == "markdown":
        row = next(line for line in out.splitlines() if "description" in line)
        assert row.count(" | ") == 4 and "\\|" in row and "\\<b\\>" in row
    if fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    if fmt == "json":
        assert json.loads(out)["changes"][0]["new"] == HOSTILE  # JSON keeps the exact value


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown format 'yaml'"):
        render([diff_of()], "yaml")


def test_cli_format_names_match_the_renderers() -> None:
    from accord.diff.names import FORMAT_NAMES
    from accord.diff.render import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES


def test_plain_text_is_the_coloured_text_without_its_colours() -> None:
    """Plain text skips rich; it must read exactly as the coloured rendering minus the ANSI."""
    import re

    from accord.diff.render import render_text

    ansi = re.compile(r"\x1b\[[0-9;]*m")
    for diffs in ([pull_request()], [renames()], [pull_request(), renames()]):
        coloured = render_text(diffs, color=True)
        assert ansi.search(coloured)
        assert ansi.sub("", coloured) == render_text(diffs, color=False)
