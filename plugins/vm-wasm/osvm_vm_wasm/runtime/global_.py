"""Global instance: a typed, possibly mutable cell shared by every module that imports it."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import GlobalType


@dataclass(slots=True)
class Global:
    type: GlobalType
    value: int   # integers unsigned, floats as IEEE-754 bit patterns (see exec.values)
