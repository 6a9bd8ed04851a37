"""Random and mutated contracts never escape as anything but ``accord.ContractError``.

Three sources of hostile contract text: YAML token soup, random YAML documents built from the
contract vocabulary, and the real contracts (``contracts/transactions.yaml`` and
``tests/fixtures/contracts/*.yaml``) mutated in their keys, values, types and structure, or in
their raw characters. A mutant that still loads must also compile for both engines, validate a
frame without raising, and diff against its original.

Related fuzzers live with their modules: random expressions never crash the rule parser
(``tests/test_expressions.py``), random bytes never crash the readers
(``tests/test_sources_fuzz.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

import accord
from accord.contract.loader import load_text
from accord.contract.registry import unregister_check
from accord.contract.yaml_tree import parse_yaml
from accord.errors import ContractError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "contracts" / "transactions.yaml",
    *sorted((ROOT / "tests" / "fixtures" / "contracts").glob("*.yaml")),
]
TEXTS = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in SOURCES}
TREES = {name: parse_yaml(text, source=None).value for name, text in TEXTS.items()}
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VOCABULARY = [
    "accord", "name", "version", "fields", "type", "checks", "nullable", "required", "unique",
    "between", "min", "max", "in", "not_in", "pattern", "length", "dataset", "primary_key",
    "rules", "assert", "profiles", "fields", "drift", "psi", "references", "contract",
    "source", "csv", "delimiter", "tz", "format", "categories", "items", "custom", "check",
    "severity", "x-extra", "row_count", "freshness", "max_age", "columns", "in_reference",
    "mean_between", "role", "pii", "precision", "scale", "forbid_roles", "require_roles",
]  # fmt: skip
TYPES = [
    "string", "int64", "int8", "uint64", "integer", "float64", "number", "decimal", "bool",
    "date", "timestamp", "time", "duration", "category", "binary", "list", "struct", "int128",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(TYPES + VOCABULARY + ["1.0.0", "2020-01-01", "26h", "^a+$", "[a-", "", "~"]),
    st.text(max_size=8),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(VOCABULARY) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=25,
)
TOKENS = [
    "accord: 1\n", "name: t\n", "version: 1.0.0\n", "fields:\n", "  a:\n", "    type: int64\n",
    "  b: {type: string}\n", "    checks:\n", "      - between: {min: 0, max: 1}\n", "- ", ": ",
    "{", "}", "[", "]", ",", "&a ", "*a", "!!python/object/apply:os.system [x]", "!!str ",
    "!custom ", "? ", "|\n", ">-\n", "'", '"', "#", "\t", "\n", "\r\n", "  ", "%TAG ! x\n",
    "---\n", "...\n", "\x00", "\x1b", "\ufeff", "é", "\ud800", "<<: *a\n", "1e999", "-.inf",
    "0x1F", "0o17", "yes", "NO", "2020-01-01", "null", "~", "&b [*b]",
]  # fmt: skip
token_soup = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)


@pytest.fixture(autouse=True, scope="module")
def within_sigma() -> Iterator[None]:
    """The custom check ``sensors.yaml`` names, registered as an application would."""

    @accord.register_check("within_sigma")
    def check(values: Any, *, sigmas: float = 3.0) -> Any:
        return (values - values.mean()).abs() <= sigmas * values.std()

    yield
    unregister_check("within_sigma")


def loads_or_contract_error(text: str) -> accord.Contract | None:
    """The property: a ContractError or a contract, nothing else."""
    try:
        model = load_text(text, source="fuzz.yaml")
    except ContractError as error:
        assert error.problems, "a ContractError always lists its problems"
        for problem in error.problems:
            assert problem.message and "Traceback" not in problem.message
        if currently_in_test_context():
            event("refused")
        return None
    if currently_in_test_context():
        event("loaded")
    return accord.Contract(model)


def exercise(contract: accord.Contract, original: str | None = None) -> None:
    """A contract that loads compiles, validates (never raising for data) and diffs."""
    for engine in ("pandas", "polars"):
        contract.to_pandera(engine=engine)
    frame = pl.DataFrame({name: [None, None] for name in contract.model.fields})
    for profile in [None, *contract.profiles]:
        contract.validate(frame, profile=profile)
        contract.validate(frame.to_pandas(), profile=profile)
    if original is not None:
        accord.diff(accord.load(original), contract)


@SETTINGS
@given(token_soup)
def test_yaml_token_soup_is_a_contract_or_a_contract_error(text: str) -> None:
    contract = loads_or_contract_error(text)
    if contract is not None:
        exercise(contract)


@SETTINGS
@given(documents)
def test_random_yaml_documents_are_a_contract_or_a_contract_error(document: Any) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    note(text)
    contract = loads_or_contract_error(text)
    if contract is not None:
        exercise(contract)


# -- mutated real contracts -----------------------------------------------------------------------

Path_ = tuple[Any, ...]


def paths(node: Any, prefix: Path_ = ()) -> list[Path_]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def parent_of(tree: Any, path: Path_) -> Any:
    node = tree
    for part in path[:-1]:
        node = node[part]
    return node


def typo(word: str, draw: st.DrawFn) -> str:
    if not word:
        return "x"
    at = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "upper"]))
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    if kind == "swap" and at + 1 < len(word):
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word.upper()


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(TREES)))
    tree = yaml.safe_load(yaml.safe_dump(TREES[name]))  # a deep copy of plain data
    for _ in range(draw(st.integers(1, 3))):
        every = paths(tree)
        if not every:
            break
        path = draw(st.sampled_from(every))
        parent, last = parent_of(tree, path), path[-1]
        action = draw(
            st.sampled_from(
                ["delete", "rename", "replace", "retype", "wrap", "empty", "duplicate", "swap"]
            )
        )
        note(f"{action} {'.'.join(map(str, path))}")
        if action == "delete":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            new = draw(st.sampled_from(VOCABULARY) | st.just(typo(str(last), draw)))
            parent[new] = parent.pop(last)
        elif action == "replace":
            parent[last] = draw(scalars)
        elif action == "retype" and isinstance(parent, dict):
            parent[last] = draw(st.sampled_from(TYPES)) if last == "type" else draw(documents)
        elif action == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"x": parent[last]}]))
        elif action == "empty":
            parent[last] = type(parent[last])() if isinstance(parent[last], list | dict) else ""
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[last])
        elif action == "swap" and isinstance(parent, dict) and len(parent) > 1:
            other = draw(st.sampled_from(sorted(map(str, parent))))
            if other in parent:
                parent[last], parent[other] = parent[other], parent[last]
    return name, tree


def dump(tree: Any) -> str:
    # allow_nan is not an option of safe_dump: NaN and infinities dump as .nan and .inf
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_originals_load_as_text_and_as_dumped_data(name: str) -> None:
    for text in (TEXTS[name], dump(TREES[name])):
        contract = loads_or_contract_error(text)
        assert contract is not None, name
        exercise(contract, TEXTS[name])


@SETTINGS
@given(mutants())
def test_mutated_contracts_are_a_contract_or_a_contract_error(mutant: tuple[str, Any]) -> None:
    name, tree = mutant
    text = dump(tree)
    contract = loads_or_contract_error(text)
    if contract is not None:
        exercise(contract, TEXTS[name])


@SETTINGS
@given(
    st.sampled_from(sorted(TEXTS)),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(["delete", "insert", "replace"]),
            st.sampled_from(TOKENS) | st.characters(),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_character_level_mutations_are_a_contract_or_a_contract_error(
    name: str, edits: list[tuple[float, str, str]]
) -> None:
    text = TEXTS[name]
    for where, action, piece in edits:
        at = math.floor(where * len(text))
        if action == "delete":
            text = text[:at] + text[at + len(piece) :]
        elif action == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    note(text)
    contract = loads_or_contract_error(text)
    if contract is not None:
        exercise(contract, TEXTS[name])
