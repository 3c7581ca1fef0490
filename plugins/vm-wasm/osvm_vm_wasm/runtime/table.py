"""Table instance: a growable vector of function references (``None`` = uninitialized)."""

from __future__ import annotations

from typing import Any

from ..types import Limits


class Table:
    __slots__ = ("elements", "limits")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.elements: list[Any] = [None] * limits.min

    @property
    def size(self) -> int:
        return len(self.elements)
