"""Writing a result file the way the user meant, without ever destroying what the run read.

Every command that writes a file goes through :func:`write_file`. Its rules:

- A destination that is one of the run's inputs (the same file, however it is named: a symbolic
  link, a hard link, ``./x`` or an absolute path) is refused before anything is written.
- A symbolic link is written through: its target gets the new content, the link stays a link.
- A regular file (or a new one) is replaced whole, through a temporary file in the same folder
  and ``os.replace``, so a failure never leaves half a report and a reader never sees one. A
  replaced file keeps its permission bits.
- Anything else that can be written (a FIFO, ``/dev/null``, a terminal) is written into
  directly: replacing it with a regular file would break whoever set it up.
- ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` and ``/proc/self/fd/N`` (or a link to one)
  are written to that open descriptor, as the shell set it up: a ``>> log`` keeps appending,
  and a pipe gets the bytes rather than a file named after it.

Errors are :class:`~accord.errors.OutputError` naming the file and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from accord.errors import OutputError

__all__ = ["Input", "check_destination", "write_file"]


class Input(NamedTuple):
    """A file the run reads, which no output may overwrite; ``role`` says what it is to the
    user ("the contract", "a data file", ...)."""

    path: str | Path
    role: str


def check_destination(path: Path, inputs: Iterable[Input] = ()) -> None:
    """Refuse, before any work is done, a destination that could never be written or that is
    one of ``inputs``; :func:`write_file` checks again when it writes."""
    if _descriptor_of(path) is None:
        _destination(path, list(inputs))


def write_file(path: Path, content: str | bytes, inputs: Iterable[Input] = ()) -> None:
    """Write ``content`` (text is written as UTF-8) to ``path`` by the rules of this module."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    descriptor = _descriptor_of(path)
    if descriptor is not None:
        _write_descriptor(path, descriptor, data)
        return
    target, existing = _destination(path, list(inputs))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_into(path, target, data)
    else:
        _replace(path, target, data, existing)


_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/(?:self|thread-self|(?P<pid>\d+))/fd)/(?P<fd>\d+)")


def _descriptor_of(path: Path) -> int | None:
    """The open descriptor ``path`` stands for, following links to it, or None. Resolving
    such a path like any other would name ``pipe:[1234]`` or replace the shell's file."""
    # normpath, not resolve(): only the links the loop follows may be followed
    current = Path(os.path.normpath(Path(path).absolute()))
    for _ in range(40):  # the kernel's own limit on links followed
        text = str(current)
        if text in _STANDARD:
            return _STANDARD[text]
        found = _DESCRIPTOR.fullmatch(text)
        if found and found["pid"] in (None, str(os.getpid())):
            return int(found["fd"])
        if not current.is_symlink():
            return None
        current = Path(os.path.normpath(current.parent / current.readlink()))
    return None


def _write_descriptor(path: Path, descriptor: int, data: bytes) -> None:
    stream = {1: sys.stdout, 2: sys.stderr}.get(descriptor, False)
    if stream is None:  # Python found it closed at start-up
        raise OutputError(f"cannot write {path}: it is closed; leave it open or name a file")
    try:
        if stream:
            stream.flush()  # what was printed before stays before
        _write_all(descriptor, data)
    except OSError as error:
        raise _cannot(path, error) from None


def _destination(path: Path, inputs: list[Input]) -> tuple[Path, os.stat_result | None]:
    """The file that will really be written (every link followed) and its status, if it exists."""
    # realpath, not resolve(strict=True): a dangling link names the file to create, as in a shell.
    target = Path(os.path.realpath(path))
    try:
        existing: os.stat_result | None = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise _cannot(path, error) from None
    if existing is None:
        _check_folder(path, target.parent)
        return target, None
    if stat.S_ISDIR(existing.st_mode):
        raise OutputError(
            f"cannot write {path}: it is a folder; name a file inside it, such as "
            f"{Path(path) / 'report.json'}",
            path=str(path),
        )
    if stat.S_ISREG(existing.st_mode):
        for item in inputs:
            if _same_file(existing, item.path):
                raise OutputError(
                    f"refusing to write {path}: it is {item.role} {item.path} that this run "
                    "reads, and writing there would destroy it; choose another output file",
                    path=str(path),
                )
    return target, existing


def _same_file(existing: os.stat_result, other: str | Path) -> bool:
    if "://" in str(other):  # object storage is never a local file
        return False
    try:
        status = Path(other).stat()
    except (OSError, ValueError):  # an input that does not exist cannot be overwritten
        return False
    return (status.st_dev, status.st_ino) == (existing.st_dev, existing.st_ino)


def _check_folder(path: Path, folder: Path) -> None:
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(
            f"cannot write {path}: {folder} {what}; create the folder or choose another file",
            path=str(path),
        )


def _write_into(path: Path, target: Path, data: bytes) -> None:
    """Write into a FIFO, a device or a terminal as it is: no temporary file, no truncation."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as error:
        raise _cannot(path, error) from None
    try:
        _write_all(descriptor, data)
    except OSError as error:
        raise _cannot(path, error) from None
    finally:
        os.close(descriptor)


def _replace(path: Path, target: Path, data: bytes, existing: os.stat_result | None) -> None:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.accord-tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o666)  # the umask decides, as for any new file
    except OSError as error:
        if existing is not None and error.errno in (errno.EACCES, errno.EPERM):
            # A writable file in a folder we may not create files in: write it in place, as
            # a shell redirection would; atomicity needs the folder, the user's intent does not.
            _write_in_place(path, target, data)
            return
        raise _cannot(path, error) from None
    try:
        try:
            if existing is not None:
                _keep_owner_and_mode(descriptor, existing)
            _write_all(descriptor, data)
            os.fsync(descriptor)  # the new content is on disk before its name is
        finally:
            os.close(descriptor)
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _cannot(path, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, target: Path, data: bytes) -> None:
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
    except OSError as error:
        raise _cannot(path, error) from None
    try:
        _write_all(descriptor, data)
    except OSError as error:
        raise _cannot(path, error) from None
    finally:
        os.close(descriptor)


def _keep_owner_and_mode(descriptor: int, existing: os.stat_result) -> None:
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))
    if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        # Only root may give a file away; for anyone else the new file is then theirs.
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, existing.st_uid, existing.st_gid)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _cannot(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    fix = {
        errno.EACCES: "choose a file you may write, or fix its permissions",
        errno.EPERM: "choose a file you may write, or fix its permissions",
        errno.EROFS: "the file system is read-only; write elsewhere",
        errno.ENOSPC: "free some space or write elsewhere",
        errno.ENXIO: "nothing is listening there; write to a file instead",
        errno.ENOENT: "create the folder or choose another file",
        errno.ENOTDIR: "a part of the path is not a folder; choose another file",
        errno.EBADF: "that descriptor is not open for writing; name a file instead",
        errno.EPIPE: "the reader stopped early; read all of it, or name a file instead",
    }.get(error.errno or 0)
    message = f"cannot write {path}: {reason}" + (f"; {fix}" if fix else "")
    return OutputError(message, path=str(path))
