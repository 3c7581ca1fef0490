"""The table of system primitives and the decorator that fills it (see words.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .layout import F_COMPILE_ONLY, F_IMMEDIATE

SYSTEM: list[tuple[str, Callable[..., Any], int]] = []
IMMEDIATE = F_IMMEDIATE
COMPILE_ONLY = F_COMPILE_ONLY


def word(name: str, flags: int = 0) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``function(machine, ctx)`` as the system primitive ``name``."""
    def add(function: Callable[..., Any]) -> Callable[..., Any]:
        SYSTEM.append((name, function, flags))
        return function
    return add
