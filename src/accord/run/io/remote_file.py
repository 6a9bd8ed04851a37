"""One object on remote storage, read where it lies through a pyarrow file system.

``RemotePath`` is a ``Path`` so that every reader, check and message that takes a data file
takes it unchanged: its ``open`` and ``stat`` go to the object store (ranged reads of a
random-access file, buffered so a sequential scan costs one request per buffer, not per line),
and ``str()`` is its URI, so reports and errors name ``s3://bucket/key``. Code that hands a path
to a native reader (pyarrow, polars) asks :func:`arrow_input` or :func:`is_local` first, so no
reader resolves the URI with credentials of its own.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pyarrow as pa

    _PathBase = Path
else:
    _PathBase = type(Path())  # the concrete class (PosixPath): Path itself cannot be subclassed
    # before Python 3.12

__all__ = ["RemotePath", "arrow_input", "is_local"]

READ_BUFFER = 8 << 20
"""Bytes fetched per request when a remote object is read sequentially (a CSV scan, say)."""


class RemotePath(_PathBase):
    """A file on object storage: its URI, the file system that reads it, its key and size."""

    _uri: str
    _filesystem: Any
    _key: str
    _size: int

    @classmethod
    def of(cls, uri: str, filesystem: Any, key: str, size: int) -> RemotePath:
        path = cls(uri)
        path._uri, path._filesystem, path._key, path._size = uri, filesystem, key, size
        return path

    def __str__(self) -> str:
        # A path derived from this one (``parent``, ``with_suffix``) has no URI of its own.
        return getattr(self, "_uri", None) or super().__str__()

    def __repr__(self) -> str:
        return f"RemotePath({str(self)!r})"

    def open_input(self) -> pa.NativeFile:
        """The object as pyarrow's random-access file (ranged reads, nothing staged)."""
        return self._filesystem.open_input_file(self._key)

    def open(  # type: ignore[override]  # read-only: no mode that writes
        self,
        mode: str = "r",
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> IO[Any]:
        if mode not in ("r", "rb", "rt"):
            raise PermissionError(f"{self} is read-only remote data")
        if buffering == 0 and mode == "rb":
            return cast("IO[Any]", self.open_input())  # each read is one request
        # Otherwise buffered by READ_BUFFER, whatever was asked: small reads are requests.
        binary = io.BufferedReader(self.open_input(), READ_BUFFER)
        if mode == "rb":
            return binary
        return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=newline)

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        del follow_symlinks
        mode = stat.S_IFREG | 0o444
        return os.stat_result((mode, 0, 0, 1, 0, 0, self._size, 0, 0, 0))

    def lstat(self) -> os.stat_result:
        return self.stat()

    # Newer Pythons answer these with os.path on the string, which would look on local disk.
    # An object exists (it was listed) and is a file, however links are followed.
    def exists(self, *, follow_symlinks: bool = True) -> bool:  # noqa: ARG002
        return True

    def is_file(self, *, follow_symlinks: bool = True) -> bool:  # noqa: ARG002
        return True

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:  # noqa: ARG002
        return False

    def is_symlink(self) -> bool:
        return False


def is_local(path: Path) -> bool:
    """Whether a native reader may be given ``path`` itself (a file on this machine)."""
    return not isinstance(path, RemotePath)


def arrow_input(path: Path) -> pa.NativeFile:
    """``path`` opened as pyarrow's random-access file, local or remote."""
    import pyarrow as pa  # noqa: PLC0415

    if isinstance(path, RemotePath):
        return path.open_input()
    return pa.OSFile(str(path))
