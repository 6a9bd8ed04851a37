"""A contract file as it was at a git ref, for ``accord diff CONTRACT... --against REF``.

git runs as a child process with an argument list (never a shell) inside the repository that
holds the file, so the same command works from any working directory. A ref that could be read
as an option is refused before git sees it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from accord.errors import DiffError

_TIMEOUT_S = 30


@dataclass(frozen=True)
class Revision:
    """A file's content at a ref; ``label`` (``REF:path/in/repo``) names it in messages."""

    text: str
    label: str


def _git() -> str:
    found = shutil.which("git")
    if found is None:
        raise DiffError("--against needs git, and no git executable was found on PATH")
    return found


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        # The argument list holds no shell syntax; the ref was checked not to be an option.
        return subprocess.run(  # noqa: S603
            [_git(), *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            timeout=_TIMEOUT_S,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except subprocess.TimeoutExpired:
        raise DiffError(f"git {args[0]} did not finish within {_TIMEOUT_S}s in {cwd}") from None
    except OSError as error:
        raise DiffError(f"cannot run git in {cwd}: {error.strerror or error}") from None


def _existing_dir(path: Path) -> Path:
    """``path`` if it is a directory, else the nearest one above it that exists (a deleted
    contract's folder may be gone too)."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate
    return Path.cwd()


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's last line of complaint, which is the one that says what went wrong."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"git exited with status {result.returncode}"


CONTRACT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Repository:
    """The git work tree that holds the contracts being compared."""

    root: Path

    @classmethod
    def containing(cls, path: Path) -> Repository:
        where = _existing_dir(path.absolute())
        result = _run(["rev-parse", "--show-toplevel"], where)
        if result.returncode != 0:
            raise DiffError(f"{path} is not inside a git repository ({_stderr(result)})")
        return cls(Path(os.path.realpath(result.stdout.decode("utf-8", "surrogateescape").strip())))

    def check_ref(self, ref: str) -> None:
        """Raise :class:`DiffError` unless ``ref`` names a commit of this repository."""
        if not ref.strip() or ref.startswith("-"):
            raise DiffError(f"invalid git ref {ref!r}")
        result = _run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.root)
        if result.returncode != 0:
            raise DiffError(
                f"unknown git ref {ref!r} in the repository at {self.root}; "
                "fetch it first (in CI: actions/checkout with fetch-depth: 0)"
            )

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` as git names it: relative to the top of the work tree, with slashes."""
        try:
            inside = Path(os.path.realpath(path.absolute())).relative_to(self.root)
        except ValueError:
            raise DiffError(f"{path} is not inside the git repository at {self.root}") from None
        return PurePosixPath(*inside.parts)

    def read(self, path: Path, ref: str) -> Revision | None:
        """``path`` as it was at ``ref`` (already checked); None when it did not exist there."""
        spec = f"{ref}:{self.relative(path)}"
        if _run(["cat-file", "-e", spec], self.root).returncode != 0:
            return None
        result = _run(["show", spec], self.root)
        if result.returncode != 0:
            raise DiffError(f"cannot read {spec}: {_stderr(result)}")
        try:
            return Revision(result.stdout.decode("utf-8-sig"), spec)
        except UnicodeDecodeError as error:
            raise DiffError(
                f"{spec} is not UTF-8 text (bad byte at offset {error.start})"
            ) from None

    def contracts(self, directory: Path, ref: str) -> list[Path]:
        """Contract files under ``directory`` now or at ``ref``, so a deleted one is found too."""
        found = {p for p in directory.rglob("*") if p.suffix in CONTRACT_SUFFIXES and p.is_file()}
        inside = self.relative(directory)
        listing = _run(["ls-tree", "-r", "--name-only", "-z", ref, "--", str(inside)], self.root)
        if listing.returncode != 0:
            raise DiffError(f"cannot list {directory} at {ref}: {_stderr(listing)}")
        for name in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if name.endswith(CONTRACT_SUFFIXES):
                # Back to a path as the user wrote it, under the directory they gave.
                found.add(directory / PurePosixPath(name).relative_to(inside))
        return sorted(found)
