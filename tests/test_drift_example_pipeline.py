"""The example pipeline (examples/pipeline) runs as its README says: train, score, refuse drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "examples" / "pipeline"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PIPELINE / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_train_then_score_then_refuse_a_drifted_batch(tmp_path: Path) -> None:
    trained = _run("train.py", "--out", str(tmp_path))
    assert trained.returncode == 0, trained.stderr
    assert "training set: 5,000 rows valid under card_features@1.0.0" in trained.stdout
    assert (tmp_path / "model.json").exists()
    assert (tmp_path / "stats.json").stat().st_size < 16_000

    scored = _run("score.py", "--model", str(tmp_path))
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.startswith("scored 2,000 transactions")
    assert scored.stderr == ""  # no drift warnings on a batch like the training set

    drifted = _run("score.py", "--model", str(tmp_path), "--drift")
    assert drifted.returncode == 1
    assert "batch rejected, nothing scored" in drifted.stderr
    for code in ("drift.psi amount", "drift.mean_shift amount", "drift.unseen_categories currency"):
        assert code in drifted.stderr
    assert "Traceback" not in drifted.stderr
