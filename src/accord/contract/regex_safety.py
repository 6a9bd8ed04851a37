"""Patterns must compile and must mean the same on every engine, in linear time.

Both engines run patterns with Rust's linear-time ``regex`` crate, after
:mod:`accord.contract.regex_syntax` rewrote them from the Python syntax contracts are written in.
Backreferences and lookaround cannot run in linear time, and a pattern whose counted repeats
compile beyond the engine's size limit cannot run at all: rejecting them at load, with the
reason, is better than a pattern that fails on one engine at run time, or a catastrophic
backtracking pattern that hangs CI under Python's ``re``.
"""

from __future__ import annotations

import re
import warnings

from accord.contract.regex_syntax import PatternRefusedError, to_rust


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    try:
        with warnings.catch_warnings():  # '[[' and '&&' warn; the rewrite keeps Python's reading
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(pattern)
    except re.error as error:
        return f"{error.msg} at position {error.pos}" if error.pos is not None else error.msg
    except RecursionError:
        return "pattern is nested too deeply"
    try:
        to_rust(pattern)
    except PatternRefusedError as refused:
        return str(refused)
    except RecursionError:  # pragma: no cover - compile would have failed first
        return "pattern is nested too deeply"
    return None
