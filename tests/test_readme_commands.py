"""Every shell command shown in the README and in ``examples/`` runs as written (issue 16).

Fenced ``sh``/``bash`` blocks are run line by line, ``console`` blocks by their ``$`` lines, in a
copy of the repository, with the ``accord`` of this checkout on PATH. A documented command may
find violations (exit 1) but must run: exit 2, an internal error or a traceback fails the test.
Lines that need data made first, or that install, are in ALLOWED with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "examples").rglob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELLS = {"sh", "bash", "shell"}

# Lines not run as written, each with the reason. A listed line that is no longer in a document
# fails the test, so the list cannot outlive what it excuses.
ALLOWED = {
    "pip install .": "installing is slow and needs the index; test_first_try_install builds the "
    "wheel and runs it outside the clone",
}
# Data a documented command reads, made before the commands run (the README's own setting).
MADE_FIRST = {
    "train.parquet": "training data: the example's rows that honour the contract",
    "batch.parquet": "a serving batch: the same rows without the label",
}


def commands() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for language, body in FENCE.findall(text):
            if language in SHELLS:
                lines = [line for line in body.splitlines() if line.strip()]
            elif language == "console":
                lines = [line[2:] for line in body.splitlines() if line.startswith("$ ")]
            else:
                continue
            found += [(str(document.relative_to(ROOT)), line) for line in lines]
    return found


COMMANDS = commands()


def clean_rows() -> pl.DataFrame:
    frame = pl.read_csv(ROOT / "examples" / "transactions.csv", infer_schema=False)
    typed = frame.with_columns(
        pl.col("transaction_id", "customer_id", "card_age_days").cast(pl.Int64),
        pl.col("parent_id").cast(pl.Int64),
        pl.col("amount").cast(pl.Float64, strict=False),
        pl.col("is_fraud") == "true",
        pl.col("authorised_at", "settled_at").str.to_datetime(time_zone="UTC", strict=False),
    )
    return typed.filter(
        pl.col("amount").is_not_null()
        & (pl.col("amount") >= 0)
        & pl.col("authorised_at").is_not_null()
        & pl.col("currency").is_in(["EUR", "USD", "GBP", "JPY"])
        & pl.col("country").str.contains(r"^[A-Z]{2}$")
        & pl.col("transaction_id").is_unique()
        & (pl.col("email").is_null() | pl.col("email").str.contains(r"^[^@ ]+@[^@ ]+$"))
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what the documents refer to, with the data they assume made first."""
    root = tmp_path_factory.mktemp("readme")
    for name in ("contracts", "examples"):
        shutil.copytree(
            ROOT / name, root / name, ignore=shutil.ignore_patterns("build", "__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    rows = clean_rows()
    rows.write_parquet(root / "train.parquet")
    rows.drop("is_fraud").write_parquet(root / "batch.parquet")
    return root


def test_the_documents_show_commands_and_the_allow_list_is_current() -> None:
    lines = {line for _, line in COMMANDS}
    assert len(lines) >= 8, COMMANDS
    assert {line.split("#")[0].strip() for line in lines} >= set(ALLOWED)
    shown = " ".join(lines)
    assert all(name in shown for name in MADE_FIRST)


@pytest.mark.parametrize(("document", "line"), COMMANDS, ids=[line[:60] for _, line in COMMANDS])
def test_a_documented_command_runs(workspace: Path, document: str, line: str) -> None:
    command = line.split("  #", maxsplit=1)[0].strip()
    if command in ALLOWED:
        pytest.skip(ALLOWED[command])
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["bash", "-c", command], cwd=workspace, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode in (0, 1), f"{document}: {command}\n{said}"
    assert "Traceback (most recent" not in said and "internal error:" not in said, (
        f"{document}: {command}\n{said}"
    )
