"""Where the ODCS tests find their files: the peer fixtures beside the clone, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "odcs_corpus"
# CI keeps a copy of shared/ beside the clone; a git worktree sits one level deeper.
_CANDIDATES = [
    ROOT.parent / "shared" / "peer-fixtures",
    ROOT.parents[1] / "shared" / "peer-fixtures",
]
PEER = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


def peer(relative: str) -> Path:
    """A peer fixture, or a visible skip when the shared folder is not beside the clone."""
    if not PEER.is_dir():
        pytest.skip(f"peer fixtures not found at {PEER} (the shared/ folder beside the clone)")
    return PEER / relative
