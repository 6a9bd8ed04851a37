"""Files, globs and directories to the list of data files a run reads, refusing what it cannot.

Every data file must be a regular file: a run reads a file more than once (a header, then the
values; a JSON Lines schema, then the rows) and checks it read the file to its end, neither of
which a pipe, a FIFO or a device allows. Read once, a pipe would lose what the first pass took;
sized by ``stat``, it would read as empty and pass. So such a path is refused, naming what it is.

A ``**`` glob is expanded here, not by ``glob.glob``, which follows a symbolic link to a parent
directory round and round until the path is too long (exponentially many paths with two such
links). A directory is entered once per remaining pattern, however many links lead to it.

A URI (``s3://bucket/extract/*.parquet``) is resolved by ``accord.run.remote`` to
``RemotePath`` objects, read where they lie; the checks above are for local files only.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePath

from accord.errors import DataReadError
from accord.run.io.remote_file import RemotePath, is_local

SUFFIXES = {
    "csv": (".csv", ".tsv"),
    "parquet": (".parquet", ".pq"),
    "jsonl": (".jsonl", ".ndjson"),
    "arrow": (".arrow", ".feather", ".ipc"),
}
URI_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://(.*)", re.DOTALL)
SUFFIX_FORMATS = {suffix: kind for kind, suffixes in SUFFIXES.items() for suffix in suffixes}
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@contextmanager
def os_errors(path: Path) -> Iterator[None]:
    """Operating-system failures as DataReadError naming the path."""
    try:
        yield
    except PermissionError:
        raise DataReadError("permission denied", path=str(path)) from None
    except IsADirectoryError:
        raise DataReadError("is a directory", path=str(path)) from None
    except FileNotFoundError:
        raise DataReadError("not found", path=str(path)) from None
    except OSError as error:
        raise DataReadError(error.strerror or str(error), path=str(path)) from None


def check_regular(path: Path) -> None:
    """DataReadError unless ``path`` (its target, for a link) is a regular file."""
    with os_errors(path):
        mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    raise DataReadError(
        f"is {what}, not a regular file; accord reads a data file more than once and checks "
        "that it read every byte, which a pipe or device does not allow: save the data to a "
        "file first (e.g. `cat > data.jsonl`) and validate that",
        path=str(path),
    )


def _directory_files(directory: Path, *, required: bool = True) -> list[Path]:
    with os_errors(directory):
        entries = sorted(directory.iterdir())
    # Not only regular files: a FIFO named like a data file is refused by name, never skipped.
    found = [p for p in entries if p.suffix.lower() in SUFFIX_FORMATS and not p.is_dir()]
    if not found and required:
        kinds = ", ".join(f"*{suffix}" for suffix in SUFFIX_FORMATS)
        raise DataReadError(f"is a directory with no data files ({kinds})", path=str(directory))
    return found


def _entries(directory: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory or os.curdir) as scan:
            return sorted(scan, key=lambda entry: entry.name)
    except OSError:  # unreadable or vanished: glob.glob, too, matches nothing there
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _join(directory: str, name: str) -> str:
    return str(Path(directory, name)) if directory else name


def _matches(
    directory: str, parts: Sequence[str], seen: set[tuple[int, int, int]]
) -> Iterator[str]:
    """Paths under ``directory`` matching the pattern components ``parts``, as glob.glob with
    ``recursive=True`` matches them (hidden names only by a pattern starting with a dot)."""
    if not parts:
        yield directory
        return
    head, rest = parts[0], parts[1:]
    if head == "**":
        try:
            info = Path(directory or os.curdir).stat()
        except OSError:
            return
        key = (info.st_dev, info.st_ino, len(parts))
        if key in seen:  # a link back to a directory already walked for this pattern
            return
        seen.add(key)
        # Zero directories: the rest of the pattern here, or (``**`` last) the directory itself.
        yield from _matches(directory, rest, seen)
        for entry in _entries(directory):
            if entry.name.startswith("."):
                continue
            path = _join(directory, entry.name)
            if not rest:
                yield path
            if _is_dir(entry):
                yield from _matches(path, parts, seen)
        return
    if not glob.has_magic(head):
        path = _join(directory, head)
        if os.path.lexists(path):
            yield from _matches(path, rest, seen)
        return
    hidden = head.startswith(".")
    for entry in _entries(directory):
        visible = hidden or not entry.name.startswith(".")
        if visible and fnmatch.fnmatchcase(entry.name, head) and (not rest or _is_dir(entry)):
            yield from _matches(_join(directory, entry.name), rest, seen)


def expand_glob(pattern: str) -> list[str]:
    """The paths matching ``pattern``, sorted; ``**`` matches any depth, each directory once."""
    if "**" not in pattern:
        # glob.glob, unlike Path.glob, takes absolute patterns and patterns with ``..``.
        return sorted(glob.glob(pattern))  # noqa: PTH207
    parts = PurePath(pattern).parts
    anchored = PurePath(pattern).is_absolute()
    start, parts = (parts[0], parts[1:]) if anchored else ("", parts)
    found = dict.fromkeys(_matches(start, parts, set()))
    return sorted(p for p in found if p)


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Data files named by files, globs and directories (a directory's data files, sorted)."""
    if isinstance(paths, str | Path):  # one path, not a sequence of its characters
        paths = [paths]
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        text = str(given)
        if isinstance(given, RemotePath):
            found.append(given)
        elif is_remote(text):
            from accord.run.remote import remote_files  # noqa: PLC0415

            found += remote_files(text)
        elif not path.exists() and any(c in text for c in "*?["):
            matches = [Path(m) for m in expand_glob(text)]
            files = [m for m in matches if not m.is_dir()]
            # A matched directory (a partition, say) adds its data files, if it has any.
            files += [f for m in matches if m.is_dir() for f in _directory_files(m, required=False)]
            if not files:
                raise DataReadError(f"no data files match {text!r}", path=text)
            found += files
        elif not path.exists():
            broken = " (a broken symbolic link)" if path.is_symlink() else ""
            raise DataReadError(f"not found{broken}", path=text)
        elif path.is_dir():
            found += _directory_files(path)
        elif not os.access(path, os.R_OK):
            raise DataReadError("permission denied", path=text)
        else:
            found.append(path)
    if not found:
        raise DataReadError("no data files match: no paths were given")
    for path in found:
        if not is_local(path):
            continue  # an object store holds objects, each read as a regular file
        if not path.exists():
            raise DataReadError("not found (a broken symbolic link)", path=str(path))
        check_regular(path)
    unique = {_identity(p): p for p in reversed(found)}  # first mention of a file wins
    return [p for p in found if unique[_identity(p)] is p]


def _identity(path: Path) -> str:
    return os.path.realpath(path) if is_local(path) else str(path)


def is_remote(text: str) -> bool:
    """Whether ``text`` is a URI with a scheme other than ``file`` (object storage)."""
    match = URI_RE.fullmatch(text)
    return match is not None and match.group(1).lower() != "file"
