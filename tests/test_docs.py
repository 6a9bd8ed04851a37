"""The documentation: generated references are current, every contract key is described, and the
site builds with ``mkdocs build --strict`` (issue 16)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from accord.contract.json_schema import contract_json_schema

ROOT = Path(__file__).resolve().parents[1]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["reference/contract.md", "reference/cli.md"])
def test_generated_reference_pages_are_current(page: str) -> None:
    build = generator().PAGES[page]
    assert (ROOT / "docs" / page).read_text(encoding="utf-8") == build(), (
        f"docs/{page} is stale: run `python docs/generate.py` and commit it"
    )


def test_every_key_of_the_contract_schema_is_described() -> None:
    missing: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if not (isinstance(value, dict) and str(value.get("description", "")).strip()):
                    missing.append(f"{path}.{key}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(contract_json_schema(), "#")
    assert missing == []


def test_the_contract_reference_names_every_check_and_top_level_key() -> None:
    text = (ROOT / "docs" / "reference" / "contract.md").read_text(encoding="utf-8")
    schema = contract_json_schema()
    for key in schema["properties"]:
        assert f"| `{key}` |" in text
    from accord.contract.checks import CHECK_KINDS

    for kind in CHECK_KINDS:
        assert f"| `{kind}` |" in text


def test_every_nav_page_exists_and_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, str):
            pages.append(node)
        elif isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)

    collect(config["nav"])
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert set(pages) <= on_disk, set(pages) - on_disk
    assert on_disk <= set(pages), on_disk - set(pages)


def test_the_changelog_cites_only_shipped_files() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"`((?:[\w.-]+/)+[\w.*-]+\.(?:py|md|yml|yaml|json|sh|csv|toml))`", text))
    missing = [path for path in cited if not list(ROOT.glob(path))]
    assert missing == []


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="the docs extra")
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
         str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reference" / "contract" / "index.html").is_file()
