"""Making data-derived values safe to store in a report and safe to show.

Reports carry whatever the data held: column names from a hostile CSV header, values with ANSI
escapes, bytes that are not UTF-8, NaN. Two jobs live here:

* at model construction, :func:`json_safe` and :func:`well_formed` turn any value into something
  every JSON encoder and UTF-8 writer accepts, so ``Report.to_json`` can never fail or emit
  ``NaN`` tokens that strict parsers reject;
* at rendering, :func:`visible_text` makes every invisible or terminal-controlling character
  visible as an escape (``\\x1b``, ``\\n``), so a value can neither inject terminal sequences nor
  hide what it really holds from the person reading the report.

No rich, pandas or numpy import here (pydantic only): this module is on the light import path.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, JsonValue

if TYPE_CHECKING:
    from accord.report.model import Example

__all__ = [
    "SafeJson",
    "SafeJsonDict",
    "SafeStr",
    "UtcDatetime",
    "clean_text",
    "escape_invisible_json",
    "format_count",
    "format_example",
    "format_fraction",
    "format_value",
    "json_safe",
    "visible_text",
    "well_formed",
    "xml_text",
]

# Example values longer than this are cut in rendered output (never in the JSON report), so one
# pathological cell cannot push a whole table off the screen.
_DISPLAY_LIMIT = 200
# Percentages below this are shown as "<0.0001%"; "g" formatting turns scientific beyond it.
_SMALLEST_PERCENT = 0.0001
_LARGEST_PERCENT = 99.9
# Deeper nesting than this in an example value is almost certainly a cycle or junk; stringify it.
_MAX_DEPTH = 32
# Escapes for the invisible characters people know by name; others become \xNN or \uNNNN.
_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}

# rich's own markup tag grammar (rich.markup.RE_TAGS); only text matching it needs escaping, and
# escaping anything else would print a stray backslash.
_RICH_TAG_RE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def well_formed(text: str) -> str:
    """Return ``text`` encodable as UTF-8: valid surrogate pairs joined, lone ones escaped.

    Lone surrogates arrive from ``surrogateescape``-decoded file names and bytes; every UTF-8
    writer (and pydantic's JSON encoder) refuses them, so they become a visible ``\\udc80``.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Re-pair surrogates first so an emoji split into two code points survives intact.
        joined = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return joined.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def json_safe(value: object, _depth: int = 0) -> JsonValue:
    """Coerce any value to plain JSON data that round-trips through a strict JSON parser.

    bytes become their ``b'..'`` repr, NaN and infinities the strings ``"NaN"``, ``"inf"``,
    ``"-inf"``, temporal values ISO strings, Decimals strings (no float rounding), numpy-like
    scalars their ``.item()``; anything else its ``str``.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)  # an IntEnum or other int subclass becomes a plain int
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return float(value)  # a float subclass such as numpy.float64 becomes a plain float
    if isinstance(value, str):
        return well_formed(str(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return repr(bytes(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta | Decimal):
        return str(value)
    if _depth >= _MAX_DEPTH:
        return _fallback_str(value)
    if isinstance(value, Mapping):
        return {_key(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v, _depth + 1) for v in value]
    # numpy and arrow scalars expose .item(); arrays expose .tolist(). Duck-typed on purpose so
    # this module never imports numpy.
    for method in ("item", "tolist"):
        convert = getattr(value, method, None)
        if callable(convert):
            try:
                converted = convert()
            except (TypeError, ValueError):
                continue
            if converted is not value:
                return json_safe(converted, _depth + 1)
    return _fallback_str(value)


def _key(key: object) -> str:
    return well_formed(key if isinstance(key, str) else str(json_safe(key)))


def _fallback_str(value: object) -> str:
    try:
        return well_formed(str(value))
    except Exception:  # a broken __str__ in user data must not break a report
        return f"<unprintable {type(value).__name__}>"


def _safe_mapping(value: object) -> object:
    # Only mappings are coerced; anything else goes on to pydantic to be rejected with a message.
    return json_safe(value) if isinstance(value, Mapping) else value


def _to_utc(value: datetime) -> datetime:
    # Normalising to UTC makes pydantic serialise the offset as "Z", as SPEC section 3 shows.
    return value.astimezone(UTC)


# Field types for the report model: whatever a caller passes, what is stored is JSON-safe.
SafeStr = Annotated[str, AfterValidator(well_formed)]
SafeJson = Annotated[JsonValue, BeforeValidator(json_safe)]
SafeJsonDict = Annotated[dict[str, JsonValue], BeforeValidator(_safe_mapping)]
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


def visible_text(text: str) -> str:
    """Show every non-printable character as an escape (``\\n``, ``\\x1b``, ``\\u202e``).

    Non-printable is Python's ``str.isprintable``: controls (C0, C1, DEL), format characters
    (bidi overrides, zero-width spaces, soft hyphens), line and paragraph separators, spaces other
    than U+0020, private-use and unassigned code points. Used by every renderer on every
    data-derived string: nothing in the output can move the cursor, change colours, reorder
    text, or hide the trailing ``\\r`` or zero-width space that made a check fail.
    """
    text = well_formed(text)
    if text.isprintable():  # the common case, decided in C
        return text
    return "".join(char if char.isprintable() else _escape_char(char) for char in text)


def _escape_char(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Written as the complement of printable ASCII: the same characters as [\x7f-\U0010ffff], which
# re takes 9 ms to compile (a range across every plane), on every command's start.
_NOT_PLAIN_ASCII_RE = re.compile("[^\x00-\x7e]")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char.isprintable():
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_invisible_json(text: str) -> str:
    """JSON text with every invisible character inside its strings written as a ``\\uXXXX``
    escape: DEL, C1 controls, bidi overrides, zero-width and line-separator characters.

    JSON encoders escape only C0 controls, so a report viewed with ``cat`` or in a code review
    could otherwise reorder or hide what a value holds. Outside strings JSON text is ASCII, so
    every such character is inside a string and the parsed values are unchanged.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return _NOT_PLAIN_ASCII_RE.sub(_json_escape, text)


def clean_text(text: str) -> str:
    """:func:`visible_text`, then escaped for rich console markup (``console.print(markup)``)."""
    cleaned = _RICH_TAG_RE.sub(r"\1\1\\\2", visible_text(text))
    # A trailing backslash would escape whatever markup the caller appends after it.
    if cleaned.endswith("\\") and not cleaned.endswith("\\\\"):
        cleaned += "\\"
    return cleaned


def xml_text(text: str) -> str:
    """Text that is always legal XML 1.0 content.

    :func:`visible_text` already escapes everything XML forbids (C0 controls other than tab and
    newline, U+FFFE, U+FFFF, lone surrogates), and shows tab and newline as escapes too.
    """
    return visible_text(text)


def format_value(value: JsonValue) -> str:
    """One example value as a reader should see it: JSON-quoted, every control visible.

    Quoting strings shows a trailing space or an empty string that plain text would hide. Very
    long values are cut for display; the JSON report keeps them whole.
    """
    shown = visible_text(json.dumps(value, ensure_ascii=False))
    if len(shown) > _DISPLAY_LIMIT:
        return f"{shown[:_DISPLAY_LIMIT]}… ({len(shown) - _DISPLAY_LIMIT} more characters)"
    return shown


def format_example(example: Example) -> str:
    """``row 5120: -3.2``, ``part-1.csv row 7: "x"`` when the run read several files, and
    ``row 11, line 13: "x"`` when the line in a text file is known."""
    where = (
        f"{visible_text(example.file)} row {example.row}" if example.file else f"row {example.row}"
    )
    if example.line is not None:
        where += f", line {example.line}"
    return f"{where}: {format_value(example.value)}"


# Said wherever examples are shown: a row number is easy to take for a line number.
ROWS_NOTE = (
    "Rows are 0-based positions among the data rows (a header is not counted); "
    "a line is where the row starts in a CSV or JSON Lines file."
)


def format_count(count: int | None) -> str:
    """Thousands-separated count, empty when the violation carries none."""
    return "" if count is None else f"{count:,}"


def format_fraction(fraction: float | None) -> str:
    """A fraction as a percentage with up to three significant digits (0.0000971 -> 0.00971%).

    Rounding never reaches the ends it has not reached: a non-zero fraction below 0.0001% reads
    "<0.0001%" (not "0%", and never scientific notation), and one just short of all rows reads
    ">99.9%" (not "100%"). The exact count sits next to it in every rendering.
    """
    if fraction is None:
        return ""
    percent = fraction * 100
    if 0 < percent < _SMALLEST_PERCENT:
        return f"<{_SMALLEST_PERCENT}%"
    if _LARGEST_PERCENT < percent < 100:
        return f">{_LARGEST_PERCENT}%"
    return f"{percent:.3g}%"
