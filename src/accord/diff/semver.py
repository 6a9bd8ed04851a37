"""The semantic-versioning rule of SPEC section 4.

Two bumps are compared: the one the changes *require* (major for anything breaking under the
compatibility mode, minor for any other non-neutral change, patch for metadata only) and the one
the two version strings *declare*. Pre-release and build tags do not change the size of a bump;
they only take part in deciding whether the version went down (``2.0.0-rc.1`` is below ``2.0.0``,
as semver orders them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.contract.model import SEMVER
from accord.diff.model import BUMP_ORDER, FORBIDDEN, Bump, Change, Direction, Mode


@dataclass(frozen=True, order=False)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()

    @property
    def core(self) -> tuple[int, int, int]:
        return self.major, self.minor, self.patch


def parse_version(text: str) -> Version | None:
    """``2.1.0-rc.1+build`` to a :class:`Version`; None when it is not semver."""
    match = SEMVER.match(text.strip())
    if match is None:
        return None
    pre = tuple(match.group(4).split(".")) if match.group(4) else ()
    return Version(int(match.group(1)), int(match.group(2)), int(match.group(3)), pre)


def precedence(a: Version, b: Version) -> int:
    """-1, 0 or 1 as ``a`` sorts before, with, or after ``b`` under semver 2.0 precedence."""
    if a.core != b.core:
        return -1 if a.core < b.core else 1
    if a.prerelease == b.prerelease:
        return 0
    # A release sorts after any of its pre-releases.
    if not a.prerelease or not b.prerelease:
        return 1 if not a.prerelease else -1
    for left, right in zip(a.prerelease, b.prerelease, strict=False):
        if left == right:
            continue
        left_num, right_num = left.isdigit(), right.isdigit()
        if left_num and right_num:
            return -1 if int(left) < int(right) else 1
        if left_num != right_num:
            return -1 if left_num else 1  # numeric identifiers sort before alphanumeric ones
        return -1 if left < right else 1
    return -1 if len(a.prerelease) < len(b.prerelease) else 1


@dataclass(frozen=True)
class VersionStep:
    """What the version strings say about a change."""

    bump: Bump
    went_down: bool
    changed: bool
    problem: str | None = None
    """Set when a version string is not semver; the step is then unusable."""


def declared_step(old: str, new: str) -> VersionStep:
    """The bump declared by going from version ``old`` to ``new``."""
    old_v, new_v = parse_version(old), parse_version(new)
    changed = old.strip() != new.strip()
    if old_v is None or new_v is None:
        bad = old if old_v is None else new
        return VersionStep("none", False, changed, f"version {bad!r} is not MAJOR.MINOR.PATCH")
    went_down = precedence(new_v, old_v) < 0
    bump: Bump = "none"
    if not went_down:
        if new_v.major != old_v.major:
            bump = "major"
        elif new_v.minor != old_v.minor:
            bump = "minor"
        elif new_v.patch != old_v.patch:
            bump = "patch"
    return VersionStep(bump, went_down, changed)


def is_breaking(direction: Direction, mode: Mode) -> bool:
    return direction in FORBIDDEN[mode]


def required_bump(changes: Iterable[Change]) -> Bump:
    """Major if anything breaks, minor for any other non-neutral change, patch for metadata."""
    required: Bump = "none"
    for change in changes:
        if change.breaking:
            return "major"
        step: Bump = "patch" if change.direction == "neutral" else "minor"
        if BUMP_ORDER[step] > BUMP_ORDER[required]:
            required = step
    return required


def bump_fits(declared: Bump, required: Bump) -> bool:
    return BUMP_ORDER[declared] >= BUMP_ORDER[required]
