"""Line numbers for report examples from text files: ``row 11, line 13``.

A report's ``row`` is a 0-based data-row position; in a CSV with a header, blank-free JSON Lines,
and quoted cells that span lines, the line an editor shows differs from it. The lines are found
after validation, by one scan of each file up to its last example row, so engines and batches
know nothing of them, and a run without examples reads nothing again.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from accord.run.io.common import format_of

# Encodings whose newline and quote bytes are the ASCII ones, so bytes can be scanned as is.
_ASCII_SUPERSETS = frozenset({"utf-8", "utf8", "utf-8-sig", "ascii", "latin-1", "latin1"})


def with_lines(report: Any, contract: Any, data_format: str | None) -> Any:
    """``report`` with ``line`` on every example whose file is CSV or JSON Lines."""
    sources = list(report.dataset.sources)
    wanted: dict[str, set[int]] = defaultdict(set)
    for violation in report.violations:
        for example in violation.examples:
            path = example.file or (sources[0] if len(sources) == 1 else None)
            if path is not None:
                wanted[path].add(example.row)
    lines = {path: _lines_of(path, rows, contract, data_format) for path, rows in wanted.items()}
    if not any(lines.values()):
        return report
    violations = []
    for violation in report.violations:
        examples = []
        for example in violation.examples:
            path = example.file or (sources[0] if len(sources) == 1 else None)
            line = lines.get(path, {}).get(example.row) if path is not None else None
            examples.append(example.model_copy(update={"line": line}) if line else example)
        violations.append(violation.model_copy(update={"examples": examples}))
    return report.model_copy(update={"violations": violations})


def _data_path(text: str) -> Path:
    """The file a report names: local, or the remote object its URI names (read in place)."""
    from accord.errors import DataReadError  # noqa: PLC0415
    from accord.run.io.paths import is_remote  # noqa: PLC0415
    from accord.run.remote import remote_files  # noqa: PLC0415

    if not is_remote(text):
        return Path(text)
    try:
        found = remote_files(text)
    except DataReadError:  # gone since it was read: the example keeps its row, without a line
        return Path(text)
    return found[0] if len(found) == 1 else Path(text)


def _lines_of(text: str, rows: set[int], contract: Any, data_format: str | None) -> dict[int, int]:
    try:
        kind = format_of(Path(text), data_format, contract.source.format)
    except Exception:
        return {}
    if kind not in ("csv", "jsonl"):
        return {}  # no lines to name: a remote object is not looked up again
    options = contract.source.csv
    path = _data_path(text)
    try:
        if kind == "csv" and options.encoding.lower() in _ASCII_SUPERSETS:
            return csv_lines(path, rows, header=options.header, quote=options.quote.encode())
        if kind == "jsonl":
            return jsonl_lines(path, rows)
    except OSError:
        return {}
    return {}


def csv_lines(path: Path, rows: set[int], *, header: bool, quote: bytes) -> dict[int, int]:
    """The 1-based line where each data row of ``rows`` starts. A record goes on while a quote
    is open; doubled quotes inside a cell keep the count even, so parity tells."""
    first = 1 if header else 0
    targets = {row + first: row for row in rows}
    last = max(targets)
    found: dict[int, int] = {}
    record, inside = 0, False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not inside:
                if record in targets:
                    found[targets[record]] = number
                if record >= last:
                    break
            if raw.count(quote) % 2:
                inside = not inside
            if not inside:
                record += 1
    return found


def jsonl_lines(path: Path, rows: set[int]) -> dict[int, int]:
    """The line of each record of ``rows``: blank lines hold no record."""
    last = max(rows)
    found: dict[int, int] = {}
    record = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            if record in rows:
                found[record] = number
            if record >= last:
                break
            record += 1
    return found
