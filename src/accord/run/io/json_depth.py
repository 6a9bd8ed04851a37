"""A refusal of JSON Lines nested deeper than accord reads, before polars infers a schema.

polars' schema inference over lines whose lists or objects nest to different depths takes time
exponential in the depth (a line 50 levels deep beside one 52 deep did not finish in minutes;
each two levels double the time from about 20 on). A file that deep is refused naming its first
such line, as a Parquet file nested too deep for Arrow is; nothing is read only in part.

The depth is measured without parsing: in blocks of whole lines, brackets outside strings are
counted (a quote ends a string unless an odd run of backslashes precedes it). JSON strings
cannot hold a raw newline, so every line starts at depth 0 outside any string.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.errors import DataReadError

MAX_DEPTH = 20
"""The deepest nesting of lists and objects in one line that accord reads (the line's own
object is level 1)."""

_BLOCK = 8 << 20
_BRACKET, _BRACE, _BRACKET_END, _BRACE_END = b"[{]}"
_QUOTE, _BACKSLASH, _NEWLINE = b'"\\\n'


def refuse_deep_nesting(path: Path) -> None:
    """DataReadError naming the first line of ``path`` nested deeper than ``MAX_DEPTH``."""
    lines_before = 0
    with path.open("rb") as handle:
        carry = b""
        while True:
            chunk = handle.read(_BLOCK)
            data = carry + chunk
            if not data:
                return
            end = data.rfind(b"\n") + 1 if chunk else len(data)
            if end == 0:  # one line longer than a block: read on until it ends
                carry = data
                continue
            carry = data[end:]  # the block is read in place: no copy of megabytes
            deep_at = _first_too_deep(np.frombuffer(data, np.uint8, count=end))
            if deep_at is not None:
                line = lines_before + data.count(b"\n", 0, deep_at) + 1
                raise DataReadError(
                    f"line {line}: lists or objects nested more than {MAX_DEPTH} levels deep; "
                    f"accord reads JSON nested at most {MAX_DEPTH} levels: flatten the value "
                    "or store it as a JSON string",
                    path=str(path),
                )
            lines_before += data.count(b"\n", 0, end)
            if not chunk:
                return


def _first_too_deep(data: np.ndarray) -> int | None:
    """The offset in ``data`` (whole lines) where nesting first exceeds ``MAX_DEPTH``."""
    # Openers are few beside the other bytes (a brace or two a record), so they are counted
    # per line from their positions: a running count of every byte cost three times as much.
    openers = np.flatnonzero((data == _BRACKET) | (data == _BRACE))
    if openers.size <= MAX_DEPTH:
        return None  # fewer openers than the limit cannot nest beyond it
    ends = np.flatnonzero(data == _NEWLINE)
    if ends.size == 0 or ends[-1] != data.size - 1:
        ends = np.append(ends, data.size - 1)  # the file's last line has no newline
    per_line = np.bincount(np.searchsorted(ends, openers), minlength=ends.size)
    suspects = per_line > MAX_DEPTH
    if not suspects.any():
        return None  # the common case: two passes over the block
    lengths = np.diff(ends, prepend=-1)
    kept = np.flatnonzero(np.repeat(suspects, lengths))
    deep = _too_deep_in_lines(data[kept])
    return int(kept[deep]) if deep is not None else None


def _too_deep_in_lines(data: np.ndarray) -> int | None:
    """The first offset nested deeper than the limit, brackets inside strings not counted."""
    index = np.arange(data.size, dtype=np.int64)
    backslash = data == _BACKSLASH
    # the length of the run of backslashes just before each byte
    last_other = np.maximum.accumulate(np.where(backslash, -1, index))
    run_before = np.zeros(data.size, dtype=np.int64)
    run_before[1:] = index[:-1] - last_other[:-1]
    quotes = (data == _QUOTE) & (run_before % 2 == 0)
    newline = data == _NEWLINE
    # each line counted from its own start: a broken line cannot leave the next one inside a
    # string or nested
    last_newline = np.maximum.accumulate(np.where(newline, index, -1))
    started = last_newline >= 0
    at_start = np.where(started, last_newline, 0)
    quote_count = np.cumsum(quotes, dtype=np.int64)
    quotes_in_line = quote_count - np.where(started, quote_count[at_start], 0)
    in_string = (quotes_in_line % 2 == 1) & ~quotes
    opening = (data == _BRACKET) | (data == _BRACE)
    closing = (data == _BRACKET_END) | (data == _BRACE_END)
    step = opening.astype(np.int64) - closing.astype(np.int64)
    step[in_string] = 0
    depth = np.cumsum(step)
    depth -= np.where(started, depth[at_start], 0)
    deep = np.flatnonzero(depth > MAX_DEPTH)
    return int(deep[0]) if deep.size else None
