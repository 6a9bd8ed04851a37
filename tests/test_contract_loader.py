"""Loading contracts: every problem of a file at once, each with file:line:column and a fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import accord
from accord.contract.loader import load_contract
from accord.errors import ContractError, ContractTooLargeError

MINIMAL = """\
accord: 1
name: orders
version: 1.0.0
fields:
  order_id:
    type: int64
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ContractError) as caught:
        load_contract(textwrap.dedent(text))
    return [str(p) for p in caught.value.problems]


def test_minimal_contract_loads_with_defaults() -> None:
    contract = load_contract(MINIMAL)
    field = contract.fields["order_id"]
    assert (field.type, field.required, field.nullable, field.unique) == (
        "int64",
        True,
        False,
        False,
    )
    assert contract.compatibility == "full"
    assert contract.dataset.columns == "open"
    assert contract.line_of("fields.order_id") == 5


def test_unknown_key_names_file_line_column_and_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "orders.yaml"
    path.write_text(MINIMAL + "    requried: true\n")
    with pytest.raises(ContractError) as caught:
        load_contract(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:7:5 fields.order_id: unknown key 'requried' (did you mean 'required'?)"
    ]


def test_every_problem_is_reported_together() -> None:
    found = problems_of("""\
        accord: 1
        name: Orders
        version: "1.0"
        nmae: x
        fields:
          amount:
            type: float
          code:
            type: string
            checks:
              - in: []
              - pattern: "[a-"
          tiny:
            type: int8
            checks:
              - max: 300
        dataset:
          columns: closd
        """)
    assert found == [
        "<contract>:2:1 name: contract name 'Orders' must start with a lowercase letter and "
        "hold only a-z, 0-9, '_', '.' and '-'",
        "<contract>:3:1 version: version '1.0' is not semantic versioning MAJOR.MINOR.PATCH, "
        "e.g. 1.0.0",
        "<contract>:4:1 unknown key 'nmae' (did you mean 'name'?)",
        "<contract>:7:5 fields.amount.type: 'float' is not one of: string, bool, int8, int16, "
        "int32, int64, uint8, uint16, uint32, uint64, integer, float32, float64, number, "
        "decimal, date, timestamp, time, duration, category, binary, list, struct "
        "(did you mean 'float64'?)",
        "<contract>:11:9 fields.code.checks[0].in: 'in' list is empty: no value could ever pass",
        "<contract>:12:9 fields.code.checks[1].pattern: invalid pattern for field code: "
        "unterminated character set at position 0",
        "<contract>:16:9 fields.tiny.checks[0].less_than_or_equal_to: 300 does not fit in int8 "
        "(-128 to 127)",
        "<contract>:18:3 dataset.columns: 'closd' is not one of: open, closed "
        "(did you mean 'closed'?)",
    ]


@pytest.mark.parametrize(
    ("field", "check", "message"),
    [
        (
            "type: int64",
            "between: {min: 10, max: 1}",
            "min 10 is greater than max 1: no value could ever pass",
        ),
        (
            "type: date",
            "between: {min: 2015-01-01, max: 2012-01-01}",
            "min 2015-01-01 is greater than max 2012-01-01: no value could ever pass",
        ),
        ("type: date", "min: 2012-13-01", "expected a date written YYYY-MM-DD, got '2012-13-01'"),
        (
            "type: int64",
            "pattern: '^a$'",
            "'pattern' applies to string and category fields, not int64",
        ),
        ("type: int64", "greater_than: 1.5", "expected an integer for a int64 field, got 1.5"),
        (
            "type: string",
            "in: [A, 3]",
            "expected text for a string field, got 3; quote it to compare as text",
        ),
        (
            "type: string",
            "in: [A, null]",
            "null in an 'in' list: nulls are the business of 'nullable', remove it",
        ),
        (
            "type: string",
            "pattern: '(a)\\1'",
            "invalid pattern for field f: backreferences cannot "
            "run in a linear-time regex engine (RE2, Rust regex); rewrite the pattern without them",
        ),
        (
            "type: string",
            "pattern: '(?=a)a'",
            "invalid pattern for field f: lookahead/lookbehind "
            "cannot run in a linear-time regex engine (RE2, Rust regex); rewrite the pattern "
            "without them",
        ),
        (
            "type: string",
            "custom: {check: not_registered}",
            "unknown check 'not_registered': "
            "custom checks must be registered in Python with accord.register_check, in a module "
            "named with --plugin MODULE or in an installed package's 'accord.checks' entry point",
        ),
        ("type: string", "bewteen: {min: 1}", "unknown check 'bewteen' (did you mean 'between'?)"),
        ("type: int64", "between: 5", "'between' takes a mapping of min, max, inclusive"),
        ("type: int64", "between: {}", "give at least one of 'min' and 'max'"),
        (
            "type: string",
            "length: {min: 5, max: 2}",
            "min 5 is greater than max 2: no value could ever pass",
        ),
        (
            "type: timestamp",
            "min: '2020-01-01T00:00:00+02:00'",
            "'2020-01-01T00:00:00+02:00' has a UTC offset but the field is tz-naive",
        ),
    ],
)
def test_check_parameters_are_read_in_the_field_type(field: str, check: str, message: str) -> None:
    found = problems_of(f"""\
        accord: 1
        name: t
        version: 1.0.0
        fields:
          f:
            {field}
            checks:
              - {check}
        """)
    assert len(found) == 1
    assert found[0].endswith(message), found[0]
    assert found[0].startswith("<contract>:8:")


def test_dataset_rules_must_name_existing_fields() -> None:
    found = problems_of("""\
        accord: 1
        name: t
        version: 1.0.0
        dataset:
          primary_key: [order_idd]
          unique: [[a, b]]
          freshness: {field: a, max_age: 26h}
          rules:
            - name: r
              assert: "a <= missing"
        fields:
          a: {type: int64}
        """)
    assert found == [
        "<contract>:5:17 dataset.primary_key[0]: no field named 'order_idd'",
        "<contract>:6:16 dataset.unique[0][1]: no field named 'b'",
        "<contract>:7:15 dataset.freshness.field: freshness needs a timestamp or date field; "
        "'a' is int64",
        "<contract>:10:7 dataset.rules[0].assert: rule refers to no field named 'missing'",
    ]


def test_rule_syntax_error_points_into_the_expression() -> None:
    found = problems_of("""\
        accord: 1
        name: t
        version: 1.0.0
        dataset:
          rules:
            - {name: r, assert: "a <= (b"}
        fields:
          a: {type: int64}
          b: {type: int64}
        """)
    assert len(found) == 1
    assert found[0].startswith("<contract>:6:") and "dataset.rules[0].assert" in found[0]
    assert "a <= (b" in found[0] and "^" in found[0]


def test_yaml_scalars_are_never_silently_dates_or_booleans() -> None:
    contract = load_contract("""\
accord: 1
name: t
version: 1.0.0
fields:
  country:
    type: string
    checks:
      - in: [NO, DE, yes, 'on']
  day:
    type: date
    checks:
      - between: {min: 2012-01-01, max: 2015-12-31}
""")
    in_check = contract.fields["country"].checks[0]
    assert in_check.value == ["NO", "DE", "yes", "on"]  # type: ignore[union-attr]
    between = contract.fields["day"].checks[0]
    assert (between.min, between.max) == ("2012-01-01", "2015-12-31")  # type: ignore[union-attr]


def test_booleans_must_be_true_or_false() -> None:
    found = problems_of(MINIMAL + "    nullable: NO\n")
    assert found == [
        "<contract>:7:5 fields.order_id.nullable: input should be a valid boolean, got 'NO'"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "<contract> contract is empty"),
        ("- a\n- b\n", "<contract>:1:1 a contract must be a YAML mapping of keys to values"),
        (
            "accord: 1\nname: [unclosed\n",
            "<contract>:3:1 YAML syntax error: while parsing a flow "
            "sequence did not find expected ',' or ']'",
        ),
        (
            "a: !!python/object/apply:os.system ['echo hacked']\n",
            "<contract>:1:4 a: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:"
            "os.system': contracts hold plain data only",
        ),
    ],
)
def test_malformed_files_are_contract_errors(text: str, message: str) -> None:
    with pytest.raises(ContractError) as caught:
        accord.load(text if "\n" in text else text + "\n")
    assert message in [str(problem) for problem in caught.value.problems]


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ContractError):
        accord.load(text)
    assert not marker.exists()


def test_missing_and_directory_paths_are_contract_errors(tmp_path: Path) -> None:
    for path, message in (
        (tmp_path / "nope.yaml", "contract file not found"),
        (tmp_path, "is a directory, not a contract file"),
    ):
        with pytest.raises(ContractError) as caught:
            accord.load(path)
        assert str(caught.value.problems[0]) == f"{path} {message}"


def test_alias_bomb_and_deep_nesting_are_bounded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(8):
        name, prev = chr(98 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ContractTooLargeError) as caught:
        accord.load("\n".join(lines) + "\n")
    assert "contract too large or complex" in str(caught.value)
    assert "lol" not in str(caught.value)
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))
    with pytest.raises(ContractError) as nested:
        accord.load(deep)
    assert "nesting deeper than 64 levels" in str(nested.value)


def test_extension_keys_are_carried_and_ignored() -> None:
    contract = load_contract(
        MINIMAL.replace("version: 1.0.0", "version: 1.0.0\nx-team: {slack: '#data'}")
        + "    x-odcs: {physicalType: bigint}\n"
    )
    assert contract.extensions == {"x-team": {"slack": "#data"}}
    assert contract.fields["order_id"].extensions == {"x-odcs": {"physicalType": "bigint"}}


def test_custom_checks_validate_parameters_at_load(registered_checks: list[str]) -> None:
    @accord.register_check("ratio_at_least")
    def ratio_at_least(values: object, low: float) -> object:
        return values

    registered_checks.append("ratio_at_least")
    base = MINIMAL.replace("int64", "float64") + "    checks:\n"
    load_contract(base + "      - custom: {check: ratio_at_least, low: 0.5}\n")
    found = problems_of(base + "      - custom: {check: ratio_at_least, lwo: 0.5}\n")
    assert any("parameter 'lwo' of custom check 'ratio_at_least'" in p for p in found)
    assert any(
        "parameter 'low' of custom check 'ratio_at_least': field required" in p for p in found
    )


def test_profiles_apply_overrides() -> None:
    contract = load_contract(
        MINIMAL
        + """\
  is_fraud:
    type: bool
    role: label
profiles:
  serving:
    forbid_roles: [label]
    dataset: {columns: closed}
    fields:
      order_id: {nullable: true}
"""
    )
    serving = contract.apply_profile("serving")
    assert serving.dataset.columns == "closed"
    assert serving.fields["order_id"].nullable is True
    assert contract.fields["order_id"].nullable is False
    assert serving.line_of("fields.order_id") == contract.line_of("fields.order_id")


def test_profile_override_must_name_a_field() -> None:
    found = problems_of(
        MINIMAL + "profiles:\n  serving:\n    fields:\n      order: {nullable: true}\n"
    )
    assert found == [
        "<contract>:10:7 profiles.serving.fields.order: no field named 'order' "
        "(did you mean 'order_id'?)"
    ]


@pytest.mark.parametrize("count", [4, 5, 11, 12, 27, 28, 40])
def test_repeat_counts_are_not_mistaken_for_unsupported_syntax(count: int) -> None:
    # sre's opcodes are small ints; a repeat count equal to one must not look like a lookahead
    load_contract(
        MINIMAL.replace("int64", "string") + f"    checks:\n      - pattern: "
        f"'ev-[0-9a-f]{{{count}}}'\n"
    )
