"""What the GX exporter and importer share: severity and code names, regex forms, type names."""

from __future__ import annotations

import re

# accord severity -> GX 1.x expectation severity, and back (0.x meta.severity is read too)
GX_SEVERITY = {"error": "critical", "warning": "warning"}
ACCORD_SEVERITY = {"critical": "error", "warning": "warning", "error": "error", "info": "warning"}

FRESHNESS_PARAMETER = "accord_freshness_min__{field}"

# A full match in GX's search-style regex: on pandas GX runs ``str.contains`` (``re.search``);
# ``\Z``, not ``$``, because ``$`` also matches before a trailing newline.
_SPECIAL = frozenset(".^$*+?{}[]|()\\")
_FULL = re.compile(r"^\^\(\?:(?P<inner>.*)\)\\Z$", re.DOTALL)


def full_match_regex(pattern: str) -> str:
    """An accord pattern (a full match) as the regex GX searches with."""
    return f"^(?:{pattern})\\Z"


def literal_of(regex: str) -> str | None:
    """The text a regex made by ``re.escape`` matches literally, or None if it is no such regex."""
    text, index = [], 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and index + 1 < len(regex) and not regex[index + 1].isalnum():
            text.append(regex[index + 1])
            index += 2
            continue
        if char in _SPECIAL:
            return None
        text.append(char)
        index += 1
    literal = "".join(text)
    return literal if re.escape(literal) == regex else None


def text_check(regex: str) -> tuple[str, str] | None:
    """The accord text check (kind, text) an exported ``starts_with`` / ``ends_with`` /
    ``contains`` regex stands for, so it comes back as written."""
    if regex.startswith("^") and (found := literal_of(regex[1:])) is not None:
        return "starts_with", found
    if regex.endswith("\\Z") and (found := literal_of(regex[:-2])) is not None:
        return "ends_with", found
    found = literal_of(regex)
    return ("contains", found) if found is not None else None


def accord_pattern(regex: str) -> str:
    """A GX regex (searched for) as an accord pattern (matched in full), keeping its meaning:
    the exporter's own form comes back as written; anything else may match anywhere."""
    found = _FULL.match(regex)
    if found is not None:
        return found.group("inner")
    if regex.startswith("^") and "|" not in regex:
        # already anchored at both ends (no alternation can escape the anchors): accord's $
        # never matches before a trailing newline, which is what GX's \Z says
        if regex.endswith("\\Z") and not regex.endswith("\\\\Z"):
            return regex[:-2] + "$"
        if regex.endswith("$") and not regex.endswith("\\$"):
            return regex
    return f"(?s:.*)(?:{regex})(?s:.*)"
