"""Data on object storage (``s3://``, ``gs://``, ``abfs://``, ``hf://``) through pyarrow's file
systems, with the credentials and endpoint of the usual environment (``AWS_ACCESS_KEY_ID``,
``AWS_PROFILE``, ``AWS_ENDPOINT_URL``, ``GOOGLE_APPLICATION_CREDENTIALS``, ...).

A URI names a file, a prefix (its data files, as a local folder) or a glob, as local paths do.
``remote_files`` resolves it to ``RemotePath`` objects, which the readers stream where they lie
(``io.remote_file``): Parquet by row groups from the random-access file, CSV and JSON Lines a
buffer at a time. What cannot be is copied to a private temporary folder first (``staged``):
Arrow IPC, which polars reads in bounded memory only by mapping a local file, and any data
Spark reads, which needs a path of its own file system. The report (and any error) names the
URIs, never the copies.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from accord.errors import DataReadError
from accord.run.io.paths import SUFFIX_FORMATS, URI_RE, is_remote
from accord.run.io.remote_file import RemotePath

if TYPE_CHECKING:
    from accord.report.model import Report

__all__ = ["REMOTE_SCHEMES", "Staged", "is_remote", "remote_files", "staged"]

REMOTE_SCHEMES = ("s3", "gs", "gcs", "abfs", "abfss", "hf")
_GLOB_CHARS = "*?["
_CHUNK = 8 << 20
_PREFIX = "accord-remote-"
_NO_BUCKET = "the bucket does not exist (or these credentials cannot see it)"


@dataclass
class Staged:
    """Local copies of the remote data, and the way back from them to the URIs."""

    paths: list[str]
    prefixes: dict[str, str] = field(default_factory=dict)
    """Local folder (with a trailing separator) to the URI prefix it stands for."""

    def uri_text(self, text: str) -> str:
        for local, uri in self.prefixes.items():
            text = text.replace(local, uri)
        return text

    def restore(self, report: Report) -> Report:
        """``report`` naming the URIs wherever it names a local copy (sources, example files,
        messages)."""
        if not self.prefixes:
            return report
        return type(report).from_json(self.uri_text(report.to_json()))


def _problem(uri: str, error: OSError) -> DataReadError:
    text = str(error)
    # S3 names a missing bucket; GCS answers 404 to listing one (a missing key is never listed)
    gcs_missing = "NOT_FOUND" in text and "ListObjects" in text
    if "NO_SUCH_BUCKET" in text or "bucket does not exist" in text.lower() or gcs_missing:
        return DataReadError(_NO_BUCKET, path=uri)
    refused = ("ACCESS_DENIED", "AccessDenied", "INVALID_ACCESS_KEY_ID", "SIGNATURE_DOES_NOT_MATCH")
    if any(word in text for word in refused):
        return DataReadError(
            "access denied: check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "AWS_PROFILE, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_ACCOUNT_KEY) and the "
            "bucket's permissions",
            path=uri,
        )
    first = text.splitlines()[0] if text else type(error).__name__
    return DataReadError(first, path=uri)


def _gcs_emulator(host: str) -> Any:
    """Google Cloud Storage at ``STORAGE_EMULATOR_HOST`` (``http://127.0.0.1:9023``), as
    Google's own client libraries read it: pyarrow's ``gs://`` ignores it and would look for
    cloud credentials instead. An emulator takes no credentials; a failing request is
    retried for seconds, not pyarrow's default quarter of an hour."""
    import pyarrow.fs as pafs  # noqa: PLC0415

    scheme, _, address = host.rpartition("://")
    return pafs.GcsFileSystem(
        anonymous=True,
        endpoint_override=address.rstrip("/"),
        scheme=scheme or "http",
        retry_time_limit=dt.timedelta(seconds=5),
    )


def _filesystem(scheme: str, uri: str) -> tuple[Any, str]:
    import pyarrow.fs as pafs  # noqa: PLC0415 - only remote runs pay for the file systems

    if scheme == "hf":
        try:
            import fsspec  # type: ignore[import-not-found]  # noqa: PLC0415
        except ImportError:
            raise DataReadError(
                "hf:// is read through fsspec: install huggingface_hub (pip install "
                "huggingface_hub), which provides it",
                path=uri,
            ) from None
        filesystem = pafs.PyFileSystem(pafs.FSSpecHandler(fsspec.filesystem("hf")))
        return filesystem, uri.split("://", 1)[1]
    emulator = os.environ.get("STORAGE_EMULATOR_HOST")
    if scheme in ("gs", "gcs") and emulator:
        return _gcs_emulator(emulator), uri.split("://", 1)[1]
    try:
        filesystem, path = pafs.FileSystem.from_uri(uri)
    except (OSError, ValueError, ImportError) as error:
        if isinstance(error, OSError) and "NO_SUCH_BUCKET" in str(error):
            raise _problem(uri, error) from None
        raise DataReadError(
            f"cannot open {scheme}:// storage with this pyarrow build: {error}", path=uri
        ) from None
    return filesystem, path


def _data_file(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in SUFFIX_FORMATS


def _listing(filesystem: Any, base: str, *, recursive: bool) -> list[Any]:
    import pyarrow.fs as pafs  # noqa: PLC0415

    return list(filesystem.get_file_info(pafs.FileSelector(base, recursive=recursive)))


def _resolve(uri: str) -> tuple[Any, list[tuple[str, int]], str]:
    """(file system, (path, size) of each file, scheme) of one data URI."""
    match = URI_RE.fullmatch(uri)
    assert match is not None
    scheme = match.group(1).lower()
    if scheme not in REMOTE_SCHEMES:
        raise DataReadError(
            f"remote storage {scheme}:// is not supported; accord reads local paths and "
            f"{', '.join(s + '://' for s in REMOTE_SCHEMES)}",
            path=uri,
        )
    rest = match.group(2)
    parts = rest.split("/")
    first_glob = next((i for i, p in enumerate(parts) if any(c in p for c in _GLOB_CHARS)), None)
    import pyarrow.fs as pafs  # noqa: PLC0415

    if first_glob is None:
        filesystem, path = _filesystem(scheme, uri)
        info = filesystem.get_file_info(path)
        if info.type == pafs.FileType.File:
            return filesystem, [(path, info.size)], scheme
        if info.type == pafs.FileType.Directory:
            files = sorted(
                (i.path, i.size)
                for i in _listing(filesystem, path, recursive=False)
                if i.type == pafs.FileType.File and _data_file(i.path)
            )
            if not files:
                raise DataReadError("is a prefix with no data files", path=uri)
            return filesystem, files, scheme
        # A key that does not exist: listing its bucket tells a missing bucket from a missing key.
        _listing(filesystem, path.split("/", 1)[0], recursive=False)
        raise DataReadError("not found", path=uri)
    base_uri = f"{scheme}://" + "/".join(parts[:first_glob])
    filesystem, base = _filesystem(scheme, base_uri)
    pattern = "/".join([base.rstrip("/"), *parts[first_glob:]]) if base else rest
    deep = "**" in parts[first_glob:] or len(parts) - first_glob > 1
    depth = pattern.count("/")
    listed = []  # the folder before the pattern does not exist: nothing matches
    if filesystem.get_file_info(base).type != pafs.FileType.NotFound:
        listed = _listing(filesystem, base, recursive=deep)
    files = sorted(
        (i.path, i.size)
        for i in listed
        if i.type == pafs.FileType.File
        and fnmatch.fnmatchcase(i.path, pattern)
        and ("**" in pattern or i.path.count("/") == depth)
    )
    if not files:
        bucket = base.split("/", 1)[0]
        if bucket and filesystem.get_file_info(bucket).type == pafs.FileType.NotFound:
            raise DataReadError(_NO_BUCKET, path=uri)
        raise DataReadError(f"no data files match {uri!r}", path=uri)
    return filesystem, files, scheme


def remote_files(uri: str) -> list[RemotePath]:
    """The files a remote URI names (one file, a prefix's data files, a glob's matches), sorted,
    to be read where they lie. A missing bucket, a missing key or denied access is a
    ``DataReadError`` naming the URI."""
    try:
        filesystem, files, scheme = _resolve(uri)
    except OSError as error:
        raise _problem(uri, error) from None
    found = []
    for path, size in files:
        if ".." in PurePosixPath(path).parts:  # a key must not climb out of a staging folder
            raise DataReadError(f"refusing the object key {path!r}", path=uri)
        found.append(RemotePath.of(_uri_of(uri, scheme, path), filesystem, path, size))
    return found


def _uri_of(given: str, scheme: str, path: str) -> str:
    """The URI naming file system path ``path`` (bucket/key; container/key for abfs; repo/path
    for hf) as ``given`` names its location, so reports name what the user wrote and the URI
    resolves again: ``abfs://container@account.dfs.core.windows.net/key`` keeps its account."""
    authority = given.split("://", 1)[1].split("/", 1)[0]
    if "@" not in authority:
        return f"{scheme}://{path}"
    container, _, key = path.partition("/")
    return f"{scheme}://{container}@{authority.split('@', 1)[1]}/{key}"


def _copy(remote: RemotePath, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with remote.open_input() as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink, _CHUNK)


StagePredicate = Callable[[Sequence[RemotePath]], bool]
"""Whether the files of one URI must be copied to local disk before they are read."""


def stage_all(files: Sequence[RemotePath]) -> bool:
    del files
    return True


STREAMED_FORMATS = frozenset({"parquet", "csv", "jsonl"})
"""Formats read where they lie; the others are staged (see the module docstring)."""


def unstreamable(
    data_format: str | None, default_format: str | None, *, engine_reads_paths: bool = False
) -> StagePredicate:
    """Stage the files of a URI unless all are read in a streamed format (``data_format``, the
    CLI's ``--data-format``, else the suffix's, else ``default_format``, the contract's), and
    always when the engine opens the paths itself (Spark)."""

    def stage(files: Sequence[RemotePath]) -> bool:
        if engine_reads_paths:
            return True
        kinds = {data_format or SUFFIX_FORMATS.get(f.suffix.lower(), default_format) for f in files}
        return not kinds <= STREAMED_FORMATS

    return stage


@contextmanager
def staged(paths: Sequence[str], stage: StagePredicate = stage_all) -> Iterator[Staged]:
    """``paths`` with the remote ones ``stage`` asks for copied to local disk (removed when the
    block ends); every other path, local or remote, passes through unchanged for the readers
    to stream. Errors raised inside the block name URIs, never copies."""
    if not any(is_remote(str(p)) for p in paths):
        yield Staged([str(p) for p in paths])
        return
    with ExitStack() as cleanup:
        root: Path | None = None  # made on the first copy: streamed data needs no folder
        result = Staged([])
        for given in paths:
            text = str(given)
            if not is_remote(text):
                result.paths.append(text)
                continue
            files = remote_files(text)
            if not stage(files):
                result.paths.append(text)
                continue
            if root is None:
                root = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix=_PREFIX)))
            for remote in files:
                scheme, key = str(remote).split("://", 1)
                target = root / scheme / key
                try:
                    _copy(remote, target)
                except OSError as error:
                    raise _problem(text, error) from None
                result.paths.append(str(target))
                result.prefixes[f"{root / scheme}/"] = f"{scheme}://"
        try:
            yield result
        except DataReadError as error:
            shown = result.uri_text(str(error))
            if shown == str(error):
                raise
            raise DataReadError(shown) from None
