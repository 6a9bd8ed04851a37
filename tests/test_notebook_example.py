"""``examples/report_in_a_notebook.ipynb`` runs top to bottom in a real kernel and shows the HTML
report, so the example a user opens first cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "report_in_a_notebook.ipynb"


def test_notebook_example_runs_and_shows_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel imports accord from this checkout, whatever is installed.
    monkeypatch.setenv(
        "PYTHONPATH",
        os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert not [o for cell in outputs for o in cell if o["output_type"] == "error"]
    shown = outputs[0][0]["data"]
    assert shown["text/html"].startswith('<div class="accord-report"')
    assert ">FAILED<" in shown["text/html"] and "fields.currency.checks[0]" in shown["text/html"]
    assert shown["text/plain"].startswith("<Report transactions@1.2.0 FAILED")
    printed = outputs[1][0]["text"]
    assert printed.startswith("Report transactions@1.2.0 FAILED: violations ")
    assert "error check.failed currency" in printed
    assert outputs[-1][0]["data"]["text/plain"] == "True"  # saved and read back unchanged
