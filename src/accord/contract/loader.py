"""Contract text or file to a validated :class:`ContractModel`, reporting every problem at once.

Three passes, each adding to one list of problems so the user fixes a file in one go:
the YAML tree (syntax, tags, limits), the shape (pydantic, with did-you-mean hints mapped back to
lines), and the meaning (``semantics.py``), which only runs on a well-shaped contract.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from accord.contract import checks as check_catalogue
from accord.contract.model import ContractModel, Origin
from accord.contract.semantics import partial_semantic_problems, semantic_problems
from accord.contract.suggest import closest, did_you_mean
from accord.contract.yaml_tree import (
    MAX_BYTES,
    LocatedTree,
    YamlSyntaxError,
    parse_yaml,
    path_text,
    too_large,
)
from accord.errors import ContractError, Problem

Loc = tuple[str | int, ...]

# Foreign contract formats read wherever an accord contract is: name to the module that reads
# it, imported by name on first sight of such a file (like the engine registry), because
# ``interop/`` sits above this layer. Each module has ``detect(raw) -> bool`` and
# ``load(tree, source, object_name) -> ContractModel``.
FOREIGN_FORMATS = {"odcs": "accord.interop.odcs"}


def load_contract(path_or_text: str | Path, *, object_name: str | None = None) -> ContractModel:
    """Load a contract from a path, or from YAML text when the argument holds a newline.

    ``object_name`` picks one object of a foreign file that holds several (ODCS ``schema[]``).
    """
    if isinstance(path_or_text, Path) or "\n" not in path_or_text:
        path = Path(path_or_text)
        return load_text(_read(path), source=str(path), object_name=object_name)
    return load_text(path_or_text, source=None, object_name=object_name)


def read_contract_text(path: Path) -> str:
    """A contract file's text, refused cleanly when missing, unreadable, too large or not UTF-8."""
    return _read(path)


def _read(path: Path) -> str:
    def fail(message: str) -> ContractError:
        return ContractError([Problem(message, source=str(path))], source=str(path))

    if path.is_dir():
        raise fail("is a directory, not a contract file")
    try:
        # Never more than the size limit plus one byte: a huge file, /dev/zero or a pipe that
        # never ends is refused without being read into memory.
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail("contract file not found") from None
    except PermissionError:
        raise fail("permission denied reading the contract file") from None
    except OSError as error:
        raise fail(f"cannot read the contract file: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise too_large(f"contract is larger than {MAX_BYTES // (1024 * 1024)} MiB", str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise fail(f"contract is not UTF-8 text (bad byte at offset {error.start})") from None


def load_text(text: str, *, source: str | None, object_name: str | None = None) -> ContractModel:
    try:
        tree = parse_yaml(text, source=source)
    except YamlSyntaxError as error:
        raise ContractError([error.problem], source=source) from None
    if isinstance(tree.value, dict) and not tree.problems and "accord" not in tree.value:
        for module_name in FOREIGN_FORMATS.values():
            reader = importlib.import_module(module_name)
            if reader.detect(tree.value):
                model: ContractModel = reader.load(tree, source, object_name)
                return model
    if object_name is not None:
        raise ContractError(
            [Problem("--object applies to ODCS files with several objects only", source=source)],
            source=source,
        )
    return model_from_tree(tree, source)


def model_from_tree(tree: LocatedTree, source: str | None) -> ContractModel:
    """Shape and meaning of a parsed accord contract, every problem located by ``tree``."""
    problems = list(tree.problems)
    if tree.value is None and not problems:
        raise ContractError([Problem("contract is empty", source=source)], source=source)
    if not isinstance(tree.value, dict):
        if not problems:
            problems.append(
                Problem(
                    "a contract must be a YAML mapping of keys to values",
                    line=1,
                    column=1,
                    source=source,
                )
            )
        raise ContractError(problems, source=source)
    _Shaper(tree, source, problems).drop_malformed_checks()
    try:
        contract = ContractModel.model_validate(tree.value)
    except ValidationError as error:
        problems.extend(_shape_problems(error, tree, source))
        problems.extend(_locate(tree, source, partial_semantic_problems(tree.value)))
        raise ContractError(_sorted(problems), source=source) from None
    origin = Origin(path=source, positions={path_text(k): v for k, v in tree.positions.items()})
    contract = contract.with_origin(origin)
    problems.extend(_locate(tree, source, semantic_problems(contract)))
    if problems:
        raise ContractError(_sorted(problems), source=source)
    return contract


def _locate(tree: LocatedTree, source: str | None, found: list[tuple[Loc, str]]) -> list[Problem]:
    located = []
    for path, message in found:
        line, column = _position(tree, path)
        located.append(
            Problem(message, location=path_text(path), line=line, column=column, source=source)
        )
    return located


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _position(tree: LocatedTree, path: Loc) -> tuple[int | None, int | None]:
    """The closest known position: the path itself or its nearest ancestor."""
    for end in range(len(path), -1, -1):
        found = tree.positions.get(path[:end])
        if found:
            return found
    return None, None


class _Shaper:
    """Checks whose shape cannot be normalised are reported here with a precise message and
    removed, so pydantic does not add a second, vaguer complaint about the same lines."""

    def __init__(self, tree: LocatedTree, source: str | None, problems: list[Problem]) -> None:
        self.tree, self.source, self.problems = tree, source, problems

    def drop_malformed_checks(self) -> None:
        root = self.tree.value
        self._fields(root.get("fields"), ("fields",))
        profiles = root.get("profiles")
        if isinstance(profiles, dict):
            for name, profile in profiles.items():
                if isinstance(profile, dict):
                    self._fields(profile.get("fields"), ("profiles", name, "fields"))

    def _fields(self, fields: Any, path: Loc) -> None:
        if not isinstance(fields, dict):
            return
        for name, spec in fields.items():
            if not isinstance(spec, dict):
                continue
            here = (*path, name)
            if isinstance(spec.get("checks"), list):
                # A placeholder keeps list positions stable so later errors point at the right
                # item; the contract is never returned once a problem has been recorded.
                spec["checks"] = [
                    raw if self._check_ok(raw, (*here, "checks", index)) else _PLACEHOLDER_CHECK
                    for index, raw in enumerate(spec["checks"])
                ]
            self._fields(spec.get("fields"), (*here, "fields"))
            if isinstance(spec.get("items"), dict):
                self._fields({"items": spec["items"]}, here)

    def _check_ok(self, raw: Any, path: Loc) -> bool:
        if not isinstance(raw, dict):
            return self._report(path, "a check is a mapping such as '- between: {min: 0, max: 1}'")
        kinds = check_catalogue.check_kind_keys(raw)
        if not kinds:
            return self._report(
                path,
                "check names no kind; expected one of: " + ", ".join(check_catalogue.CHECK_KINDS),
            )
        known = [k for k in kinds if check_catalogue.CHECK_ALIASES.get(k, k) in _CHECK_KINDS]
        if len(kinds) > 1 and len(known) == 1:
            # one kind plus a stray key: most often a misspelt option (``severty: warning``)
            options = sorted(check_catalogue.CHECK_OPTION_KEYS)
            for stray in (k for k in kinds if k != known[0]):
                self._report(
                    (*path, stray),
                    f"unknown key '{stray}' beside the check '{known[0]}'"
                    + (
                        did_you_mean(stray, options)
                        or f"; a check takes one kind plus {', '.join(options)} or x- keys"
                    ),
                )
            return False
        if len(kinds) > 1:
            return self._report(
                path,
                f"a check holds exactly one kind, found {len(kinds)}: "
                + ", ".join(kinds)
                + "; write each as its own list item",
            )
        written = kinds[0]
        kind = check_catalogue.CHECK_ALIASES.get(written, written)
        if kind not in check_catalogue.CHECK_MODELS:
            known = [*check_catalogue.CHECK_KINDS, *check_catalogue.CHECK_ALIASES]
            return self._report(
                (*path, written), f"unknown check '{written}'" + did_you_mean(written, known)
            )
        params = raw[written]
        if kind in check_catalogue.MAPPING_PARAM_KINDS | {"custom"} and not isinstance(
            params, dict
        ):
            model = check_catalogue.CHECK_MODELS[kind]
            keys = [k for k in model.model_fields if k not in _CHECK_BASE_KEYS]
            return self._report(
                (*path, written), f"'{written}' takes a mapping of " + ", ".join(keys)
            )
        return True

    def _report(self, path: Loc, message: str) -> bool:
        line, column = _position(self.tree, path)
        self.problems.append(
            Problem(message, location=path_text(path), line=line, column=column, source=self.source)
        )
        return False


_PLACEHOLDER_CHECK = {"kind": "max_null_fraction", "value": 1.0}
_CHECK_KINDS = frozenset(check_catalogue.CHECK_MODELS)
_CHECK_BASE_KEYS = frozenset({"kind", "severity", "name", "description", "extensions"})


def _shape_problems(error: ValidationError, tree: LocatedTree, source: str | None) -> list[Problem]:
    details = error.errors(include_url=False)
    unknown_keys = {
        (tuple(d["loc"][:-1]), closest(str(d["loc"][-1]), _allowed_keys(tuple(d["loc"][:-1]))))
        for d in details
        if d["type"] == "extra_forbidden"
    }
    problems = []
    for detail in details:
        loc = _yaml_loc(tuple(detail["loc"]), tree.value)
        kind = detail["type"]
        parent, last = loc[:-1], (loc[-1] if loc else "")
        if kind == "missing" and (parent, last) in unknown_keys:
            continue  # "unknown key 'nmae' (did you mean 'name'?)" already says it
        location = loc
        if kind == "extra_forbidden":
            location = parent
            message = f"unknown key '{last}'" + _takes(parent, tuple(detail["loc"][:-1]), last)
        elif kind == "missing":
            location = parent
            message = f"missing required key '{last}'"
        elif kind == "literal_error":
            expected = _literal_choices(tuple(detail["loc"]))
            message = f"{detail['input']!r} is not one of: {', '.join(map(str, expected))}"
            message += did_you_mean(str(detail["input"]), map(str, expected))
        else:
            message = _plain_message(detail)
        line, column = _position(tree, loc)
        problems.append(
            Problem(message, location=path_text(location), line=line, column=column, source=source)
        )
    return problems


def _takes(parent: Loc, model_loc: Loc, key: Any) -> str:
    """A close match, or else every key the mapping takes: ``mean_between: {low, high}`` has
    no near miss, and the fix is to know that it takes ``min`` and ``max``."""
    allowed = _allowed_keys(model_loc)
    close = did_you_mean(str(key), allowed)
    if close or not allowed:
        return close
    owner = parent[-1] if parent else ""
    if owner in check_catalogue.CHECK_MODELS or owner in check_catalogue.CHECK_ALIASES:
        allowed = [k for k in allowed if k not in _CHECK_BASE_KEYS]  # written beside the check
    name = f"'{owner}'" if isinstance(owner, str) and owner else "this mapping"
    return f"; {name} takes: {', '.join(allowed)}"


def _plain_message(detail: Any) -> str:
    message = str(detail["msg"])
    got = detail.get("input")
    if detail["loc"] == ("name",) and detail["type"] == "string_pattern_mismatch":
        return (
            f"contract name {got!r} must start with a lowercase letter and hold only "
            "a-z, 0-9, '_', '.' and '-'"
        )
    message = message[0].lower() + message[1:]
    if (
        detail["type"] == "string_type"
        and isinstance(got, int | float)
        and not isinstance(got, bool)
    ):
        if detail["loc"] == ("version",):
            # Quoting 1.0 only trades this error for "not semantic versioning".
            return (
                f"version must be text MAJOR.MINOR.PATCH, got the number {got!r}; "
                f"write e.g. version: {_semver_like(got)}"
            )
        return f"{message}, got the number {got!r}; quote it ('{got}') to write text"
    if detail["type"].endswith("_type") and not isinstance(got, dict | list):
        return f"{message}, got {got!r}"
    return message


def _semver_like(number: float) -> str:
    parts = [*str(number).split("."), "0", "0"]
    return ".".join(parts[:3])


def _yaml_loc(loc: Loc, raw: Any) -> Loc:
    """Map a pydantic location back to the YAML path (undo the check normalisation)."""
    out: list[str | int] = []
    node = raw
    index = 0
    while index < len(loc):
        part = loc[index]
        is_check = (
            len(out) >= 2
            and out[-2] == "checks"
            and isinstance(out[-1], int)
            and isinstance(node, dict)
        )
        if is_check and isinstance(part, str) and part in check_catalogue.CHECK_MODELS:
            written = next(
                (k for k in node if check_catalogue.CHECK_ALIASES.get(k, k) == part), part
            )
            rest = loc[index + 1 :]
            if rest and rest[0] in _CHECK_BASE_KEYS:
                return (*out, *rest)
            params = node.get(written)
            if (
                rest
                and rest[0] == check_catalogue.SCALAR_PARAM_KEY
                and not isinstance(params, dict)
            ):
                rest = rest[1:]
            if rest and rest[0] == "params" and part == "custom":
                rest = rest[1:]
            return (*out, written, *rest)
        out.append(part)
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (
                node[part]
                if isinstance(node, list) and isinstance(part, int) and part < len(node)
                else None
            )
        )
        index += 1
    return tuple(out)


def _annotation_at(loc: Loc) -> Any:
    annotation: Any = ContractModel
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    return annotation


def _unwrap(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is None:
        return [annotation]
    if str(origin) == "typing.Annotated" or getattr(origin, "__name__", "") == "Annotated":
        return _unwrap(get_args(annotation)[0])
    if origin in (list, dict) or origin is Literal:
        return [annotation]
    members = []
    for arg in get_args(annotation):
        members.extend(_unwrap(arg))
    return members


def _step(annotation: Any, part: str | int) -> Any:
    for member in _unwrap(annotation):
        origin = get_origin(member)
        if origin is list and isinstance(part, int):
            return get_args(member)[0]
        if origin is dict and isinstance(part, str):
            return get_args(member)[1]
        if isinstance(member, type) and issubclass(member, BaseModel):
            if part in check_catalogue.CHECK_MODELS and member is check_catalogue.BaseCheck:
                return check_catalogue.CHECK_MODELS[str(part)]
            for name, info in member.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
    if isinstance(part, str) and part in check_catalogue.CHECK_MODELS:
        return check_catalogue.CHECK_MODELS[part]
    return None


def _allowed_keys(loc: Loc) -> list[str]:
    annotation = _annotation_at(loc)
    keys: list[str] = []
    for member in _unwrap(annotation) if annotation is not None else []:
        if isinstance(member, type) and issubclass(member, BaseModel):
            keys.extend(
                info.alias or name
                for name, info in member.model_fields.items()
                if name not in {"kind", "extensions"}
            )
    return keys


def _literal_choices(loc: Loc) -> list[Any]:
    annotation = _annotation_at(loc)
    choices: list[Any] = []
    for member in _unwrap(annotation) if annotation is not None else []:
        choices.extend(get_args(member) if get_origin(member) is Literal else [])
    return choices
