"""Contracts deleted since a git ref, for ``accord diff FILE... --against REF``.

A shell expands ``contracts/*.yaml`` to the files that exist now, so a contract deleted since
REF is never named, and a deletion (a breaking change) would pass. The folders of the files
given are therefore searched at REF too, as a folder argument is.
"""

from __future__ import annotations

import fnmatch
import glob
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.diff.git import Repository

_MAGIC = frozenset("*?[")
# A contract has a top-level `accord:` key; a workflow or compose file beside it has not.
CONTRACT_KEY = re.compile(r"^accord\s*:", re.MULTILINE)


def is_pattern(path: Path) -> bool:
    """Whether ``path`` is a glob the shell left unexpanded (it matched nothing, or was quoted)."""
    return (
        not path.exists() and bool(_MAGIC & set(path.name)) and not glob.has_magic(str(path.parent))
    )


def expand(pattern: Path, repository: Repository, ref: str) -> list[Path]:
    """The contract files ``pattern`` matches now or at ``ref`` (a quoted or empty glob)."""
    folder = pattern.parent
    if not folder.is_dir():
        return []
    return [
        path
        for path in repository.contracts(folder, ref)
        if path.parent == folder and fnmatch.fnmatchcase(path.name, pattern.name)
    ]


def deleted_siblings(files: list[Path], ref: str) -> list[Path]:
    """Files beside ``files`` (same folder, same suffix) that were contracts at ``ref`` and are
    gone now: what the shell's expansion of ``folder/*.suffix`` could not name."""
    from accord.diff.git import Repository  # noqa: PLC0415

    given = {path.absolute() for path in files}
    found: list[Path] = []
    for folder in dict.fromkeys(path.parent for path in files):
        if not folder.is_dir():
            continue
        suffixes = {path.suffix for path in files if path.parent == folder}
        repository = Repository.containing(folder)
        repository.check_ref(ref)
        for path in repository.contracts(folder, ref):
            if (
                path.parent == folder
                and path.suffix in suffixes
                and path.absolute() not in given
                and not path.exists()
                and _was_contract(repository, path, ref)
            ):
                found.append(path)
    return found


def _was_contract(repository: Repository, path: Path, ref: str) -> bool:
    """Only a deleted contract matters, not a deleted workflow or compose file beside it."""
    before = repository.read(path, ref)
    return before is not None and CONTRACT_KEY.search(before.text) is not None
