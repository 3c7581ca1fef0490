"""Grants: which VM may bind which "granted" entries, as path globs.

A pattern is an absolute path whose segments may be ``*`` (exactly one
segment), ``**`` (zero or more segments) or contain ``*`` inside a name
(``add*``: any characters within that one segment).  Patterns are compiled
into one regex per VM, because ``permits`` runs on every bind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from osvm_core.errors import ParameterError

if TYPE_CHECKING:
    from osvm_core.names.tree import Entry

__all__ = ["Grants", "compile_pattern"]

_GLOB_SEGMENT_RE = re.compile(r"[A-Za-z0-9_.*-]+\Z")


def compile_pattern(pattern: str) -> str:
    """The regex source (unanchored) for one glob; ParameterError names a bad pattern."""
    if not isinstance(pattern, str) or not pattern.startswith("/"):
        raise ParameterError(f"bad grant pattern {pattern!r}: must be absolute (start with '/')")
    body = pattern[1:]
    if not body:
        return ""  # "/" grants only the root, which never holds an entry
    parts = []
    for seg in body.split("/"):
        if seg == "**":
            parts.append("(?:/[^/]+)*")
        elif seg and _GLOB_SEGMENT_RE.match(seg) and "**" not in seg and seg not in (".", ".."):
            parts.append("/" + "[^/]*".join(re.escape(piece) for piece in seg.split("*")))
        else:
            raise ParameterError(
                f"bad grant pattern {pattern!r}: segment {seg!r} is not a name, '*' or '**'"
            )
    return "".join(parts)


class Grants:
    """The grants of every VM; ``permits`` applies an entry's rights."""

    def __init__(self) -> None:
        self._patterns: dict[str, list[str]] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable[str]]) -> Grants:
        """Build from ``{vm: [pattern, ...]}`` as a system file's ``[grants]`` table gives it."""
        grants = cls()
        for vm, patterns in mapping.items():
            if isinstance(patterns, str):
                patterns = [patterns]
            for pattern in patterns:
                grants.allow(vm, pattern)
        return grants

    def allow(self, vm: str, pattern: str) -> None:
        """Let ``vm`` bind granted entries whose path matches ``pattern``."""
        compile_pattern(pattern)  # validate now, so the error names the bad pattern
        patterns = self._patterns.setdefault(vm, [])
        if pattern not in patterns:
            patterns.append(pattern)
            self._compiled.pop(vm, None)

    def revoke(self, vm: str, pattern: str) -> None:
        """Withdraw one pattern (ParameterError if ``vm`` never had it)."""
        patterns = self._patterns.get(vm, [])
        if pattern not in patterns:
            raise ParameterError(f"vm {vm!r} has no grant {pattern!r}")
        patterns.remove(pattern)
        self._compiled.pop(vm, None)

    def patterns(self, vm: str) -> list[str]:
        """The patterns granted to ``vm``, in the order given."""
        return list(self._patterns.get(vm, ()))

    def matches(self, vm: str, path: str) -> bool:
        """True if one of ``vm``'s patterns matches ``path`` (rights not considered)."""
        regex = self._compiled.get(vm)
        if regex is None:
            patterns = self._patterns.get(vm)
            if not patterns:
                return False
            regex = re.compile("(?:" + "|".join(compile_pattern(p) for p in patterns) + r")\Z")
            self._compiled[vm] = regex
        return regex.match(path) is not None

    def permits(self, vm: str, entry: Entry) -> bool:
        """May ``vm`` bind ``entry``?  Public: anyone; owner: only the owner; granted: owner or a grant."""
        rights = entry.rights
        if rights == "public" or entry.owner == vm:
            return True
        if rights == "granted":
            return self.matches(vm, entry.path)
        return False
