"""JDK date-time patterns (``yyyy-MM-dd'T'HH:mm:ssXXX``, what ODCS files write in
``logicalTypeOptions.format``) to the strftime formats accord applies to text (INTEROP A.9.11).

accord's formats are chrono's (polars parses them). Each JDK letter run maps to one directive or
the pattern is not mapped; quoted text is a literal. Where chrono has no exact equivalent the
closest wider directive is used and the caller is told why.
"""

from __future__ import annotations

# letter runs with an exact chrono directive
_EXACT = {
    "yyyy": "%Y",
    "uuuu": "%Y",
    "yy": "%y",
    "MM": "%m",
    "dd": "%d",
    "HH": "%H",
    "hh": "%I",
    "mm": "%M",
    "ss": "%S",
    "a": "%p",
    "SSS": "%3f",
    "SSSSSS": "%6f",
    "SSSSSSSSS": "%9f",
    "xxx": "%:z",  # +01:00
    "xx": "%z",  # +0100
    "Z": "%z",
    "ZZ": "%z",
    "ZZZ": "%z",
}
# ISO offsets that write zero as "Z": chrono's permissive offset reads Z, +01, +0100 and +01:00
_PERMISSIVE = {"X", "XX", "XXX", "ZZZZZ"}
APPROXIMATED = (
    "the offset {run} also writes UTC as 'Z'; accord's %#z reads that and any other offset "
    "spelling (+01, +0100, +01:00), so it accepts a little more than {pattern}"
)


def strftime(jdk: str) -> tuple[str | None, str | None]:
    """(accord format, note): the format is None when a part has no equivalent (the note says
    which); a note beside a format says how it is wider than the JDK pattern."""
    out: list[str] = []
    note = None
    index = 0
    while index < len(jdk):
        char = jdk[index]
        if char == "'":
            literal, index = _quoted(jdk, index)
            if literal is None:
                return None, f"unclosed quote in date-time format {jdk!r}"
            out.append(literal.replace("%", "%%"))
            continue
        if not char.isalpha():
            out.append("%%" if char == "%" else char)
            index += 1
            continue
        end = index
        while end < len(jdk) and jdk[end] == char:
            end += 1
        run = jdk[index:end]
        if run in _EXACT:
            out.append(_EXACT[run])
        elif run in _PERMISSIVE:
            out.append("%#z")
            note = APPROXIMATED.format(run=run, pattern=repr(jdk))
        else:
            return None, f"'{run}' in date-time format {jdk!r} has no accord equivalent"
        index = end
    return "".join(out), note


def _quoted(jdk: str, start: int) -> tuple[str | None, int]:
    """The literal a quote at ``start`` opens (``''`` is one quote, in or out of quotes), and
    the index after it."""
    index = start + 1
    if jdk[index : index + 1] == "'":
        return "'", index + 1
    literal = []
    while index < len(jdk):
        if jdk[index] == "'":
            if jdk[index + 1 : index + 2] == "'":
                literal.append("'")
                index += 2
                continue
            return "".join(literal), index + 1
        literal.append(jdk[index])
        index += 1
    return None, index
